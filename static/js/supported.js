// Marks the page as able to run GOV.UK Frontend (runs before anything paints).
document.body.className +=
  " js-enabled" +
  ("noModule" in HTMLScriptElement.prototype ? " govuk-frontend-supported" : "");
