// The workplan page's "Move up" / "Move down" buttons without losing your place.
//
// Without JavaScript each button posts its own form and the page reloads at the
// top. With it, the form is posted with fetch (same origin, the session cookie,
// the CSRF token in the form), the page's <main> is swapped for the one the
// server answers with (its success banner is announced: role="alert"), and focus
// goes back to the button you pressed, now on the priority's new row (or to the
// other button when it reached the top or the bottom), unless the answer has an
// error summary, which takes focus itself. If anything fails, the form is
// submitted normally.

import { initAll } from "./../build/govuk-frontend.min.js";

const FORMS = ".marmot-chair-priorities__form";

function focusTarget(main, priority, direction) {
  const selector = (d) =>
    `button[data-priority="${priority}"][data-direction="${d}"]`;
  const other = direction === "up" ? "down" : "up";
  return (
    main.querySelector(selector(direction)) ||
    main.querySelector(selector(other)) ||
    main.querySelector(`#priority-${priority}`)
  );
}

async function move(form, button) {
  const response = await fetch(form.action, {
    method: "POST",
    body: new FormData(form),
    credentials: "same-origin",
    headers: { Accept: "text/html" },
  });
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  const html = await response.text();
  const next = new DOMParser().parseFromString(html, "text/html");
  const newMain = next.querySelector("main");
  if (!newMain) throw new Error("No <main> in the answer");
  for (const banner of newMain.querySelectorAll(".govuk-notification-banner")) {
    banner.setAttribute("data-disable-auto-focus", "true");
  }
  const main = document.querySelector("main");
  const imported = document.importNode(newMain, true);
  main.replaceWith(imported);
  document.title = next.title;
  initAll({ scope: imported });
  bind(imported);
  // An error summary (a move that could not happen) has taken focus itself.
  if (imported.querySelector(".govuk-error-summary")) return;
  const target = focusTarget(
    imported,
    button.dataset.priority,
    button.dataset.direction,
  );
  if (target) {
    if (target.tagName !== "BUTTON") target.setAttribute("tabindex", "-1");
    target.focus();
  }
}

function bind(scope) {
  for (const form of scope.querySelectorAll(FORMS)) {
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      const button = form.querySelector("button");
      button.disabled = true;
      move(form, button).catch(() => form.submit());
    });
  }
}

bind(document);
