// Long selects (organisations, activities, recommendations) as GOV.UK's
// accessible autocomplete, and an activity list narrowed to the chosen
// workstream. Progressive enhancement: without JavaScript (or if the
// autocomplete script did not load) each is a plain <select>, and the server
// refuses an activity of another workstream with a field error.
//
// Markup (set by the Django forms):
// - <select data-marmot-autocomplete> becomes an autocomplete over all its
//   options; the <select> stays in the form (hidden) and carries the value.
// - <select data-marmot-narrow-by="id_workstream"> (options grouped in
//   <optgroup label="Workstream name">) offers only the options of the group
//   named by the chosen option of that other select.

const ENHANCE = "select[data-marmot-autocomplete]";

function allowedGroup(select) {
  const byId = select.dataset.marmotNarrowBy;
  if (!byId) return null;
  const chooser = document.getElementById(byId);
  if (!chooser || !chooser.value) return null;
  return chooser.options[chooser.selectedIndex].textContent.trim();
}

function offered(select) {
  const group = allowedGroup(select);
  return Array.from(select.options).filter((option) => {
    if (!option.value) return false;
    const parent = option.parentElement;
    const label = parent && parent.tagName === "OPTGROUP" ? parent.label : null;
    return group === null || label === null || label === group;
  });
}

function narrow(select) {
  // Without the autocomplete: hide (and disable) other workstreams' groups.
  const group = allowedGroup(select);
  for (const optgroup of select.querySelectorAll("optgroup")) {
    const hidden = group !== null && optgroup.label !== group;
    optgroup.hidden = hidden;
    optgroup.disabled = hidden;
  }
  const chosen = select.options[select.selectedIndex];
  if (chosen && chosen.disabled) select.value = "";
}

// The field's GOV.UK hint and error stay the input's description (the
// autocomplete manages aria-describedby for its own hint and drops others).
function keepDescribedBy(input, ids) {
  if (!ids) return;
  const ours = ids.split(/\s+/).filter(Boolean);
  const keep = () => {
    const current = (input.getAttribute("aria-describedby") || "")
      .split(/\s+/)
      .filter(Boolean);
    const wanted = [...new Set([...current, ...ours])];
    if (wanted.join(" ") !== current.join(" ")) {
      input.setAttribute("aria-describedby", wanted.join(" "));
    }
  };
  keep();
  new MutationObserver(keep).observe(input, {
    attributes: true,
    attributeFilter: ["aria-describedby"],
  });
}

function enhance(select) {
  const autocomplete = window.accessibleAutocomplete;
  if (!autocomplete) return;
  const id = select.id;
  autocomplete.enhanceSelectElement({
    selectElement: select,
    defaultValue: "",
    showAllValues: true,
    inputClasses: select.classList.contains("govuk-select--error")
      ? "govuk-input--error"
      : null,
    source: (query, populate) => {
      const words = query.toLowerCase().split(/\s+/).filter(Boolean);
      populate(
        offered(select)
          .map((option) => option.textContent.trim())
          .filter((text) => {
            const lower = text.toLowerCase();
            return words.every((word) => lower.includes(word));
          }),
      );
    },
    onConfirm: (text) => {
      // Called with nothing on blur without a new choice: keep the choice
      // (an emptied box clears it, below).
      if (text === undefined) return;
      const match = offered(select).find(
        (option) => option.textContent.trim() === text,
      );
      select.value = match ? match.value : "";
    },
    tNoResults: () => "Nothing matches: check the spelling or clear the box",
  });
  // enhanceSelectElement gives the input the select's id (labels and the
  // error summary point at it); a cleared box clears the choice.
  const input = document.getElementById(id);
  if (input && input.tagName === "INPUT") {
    keepDescribedBy(input, select.getAttribute("aria-describedby"));
    input.addEventListener("change", () => {
      if (!input.value.trim()) select.value = "";
    });
    input.addEventListener("blur", () => {
      if (!input.value.trim()) select.value = "";
    });
  }
}

function start() {
  for (const select of document.querySelectorAll("select[data-marmot-narrow-by]")) {
    const chooser = document.getElementById(select.dataset.marmotNarrowBy);
    if (!chooser) continue;
    narrow(select);
    chooser.addEventListener("change", () => {
      narrow(select);
      const input = document.getElementById(select.id.replace(/-select$/, ""));
      if (input && input.tagName === "INPUT" && !select.value) input.value = "";
    });
  }
  for (const select of document.querySelectorAll(ENHANCE)) enhance(select);
  document.documentElement.dataset.marmotAutocomplete = "ready";
}

start();
