// Start GOV.UK Frontend's components (the page works without this).
import { initAll } from "./../build/govuk-frontend.min.js";

initAll();
