// Build the site's CSS and copy GOV.UK Frontend's (and the accessible
// autocomplete's) JavaScript and GOV.UK's images into
// static/build/ (git-ignored). Run by `make assets` after `npm ci`.
import { cpSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as sass from "sass";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const govuk = join(root, "node_modules", "govuk-frontend", "dist", "govuk");
const out = join(root, "static", "build");

rmSync(out, { recursive: true, force: true });
mkdirSync(join(out, "govuk", "assets"), { recursive: true });

const result = sass.compile(join(root, "frontend", "scss", "main.scss"), {
  loadPaths: [join(root, "node_modules")],
  style: "compressed",
  quietDeps: true,
  silenceDeprecations: ["import"],
});
writeFileSync(join(out, "marmot.css"), result.css);
for (const name of ["govuk-frontend.min.js", "govuk-frontend.min.js.map"]) {
  cpSync(join(govuk, name), join(out, name));
}
// GOV.UK's accessible autocomplete (a UMD script: window.accessibleAutocomplete),
// started by static/js/autocomplete.js over long selects. Its CSS is in main.scss.
const autocomplete = join(root, "node_modules", "accessible-autocomplete", "dist");
for (const name of ["accessible-autocomplete.min.js", "accessible-autocomplete.min.js.map"]) {
  cpSync(join(autocomplete, name), join(out, name));
}
// Images only: the site uses Arial, so GOV.UK's fonts are not copied.
cpSync(join(govuk, "assets", "images"), join(out, "govuk", "assets", "images"), {
  recursive: true,
});
cpSync(join(govuk, "assets", "manifest.json"), join(out, "govuk", "assets", "manifest.json"));
console.log(`built ${join("static", "build", "marmot.css")} (${result.css.length} bytes)`);
