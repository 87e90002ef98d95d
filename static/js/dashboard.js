// The KPI dashboard's filters without a page reload (the page works without it:
// the form's GET renders the same results on the server).
//
// A filter change asks GET /api/v1/dashboard/ (the form's fields are its query
// parameters) for HTML: the page's own results region, rendered on the server
// from the same template as the page (ADR 20). This swaps it in, keeps the
// filters in the URL (back and forward restore them), announces the count in
// the page's status region, and shows a wrong filter's message in the GOV.UK
// error summary. Focus stays where it was. If the server cannot answer, the
// form is submitted as without JavaScript.
//
// #dashboard's data-state is "loading" while a fetch runs and "ready" once the
// answer is in place and its count announced.

function start(root, form) {
  const status = root.querySelector("#dashboard-status");
  const title = document.title.replace(/^Error: /, "");
  let controller = null;

  function query() {
    const params = new URLSearchParams();
    for (const [name, value] of new FormData(form)) if (value) params.append(name, value);
    const text = params.toString();
    return text ? `?${text}` : "";
  }

  // The error summary (from a 400), or none; the first render's field errors go.
  function showErrors(summary) {
    document.querySelector(".govuk-error-summary")?.remove();
    for (const message of form.querySelectorAll(".govuk-error-message")) message.remove();
    for (const group of form.querySelectorAll(".govuk-form-group--error")) group.classList.remove("govuk-form-group--error");
    for (const field of form.querySelectorAll(".govuk-select--error")) {
      field.classList.remove("govuk-select--error");
      const ids = (field.getAttribute("aria-describedby") || "").split(" ").filter((id) => id && !id.endsWith("-error"));
      if (ids.length) field.setAttribute("aria-describedby", ids.join(" "));
      else field.removeAttribute("aria-describedby");
    }
    document.title = summary ? `Error: ${title}` : title;
    if (!summary) return;
    document.querySelector("main h1").before(summary);
    summary.setAttribute("tabindex", "-1");
    summary.focus();
  }

  // Every child of #dashboard but the status region (kept, so it is announced).
  function swap(fresh, mine) {
    const incoming = fresh.querySelector("#dashboard-status");
    const nodes = [...fresh.childNodes];
    const at = nodes.indexOf(incoming);
    for (const child of [...root.childNodes]) if (child !== status) child.remove();
    status.before(...nodes.slice(0, at));
    status.after(...nodes.slice(at + 1));
    status.textContent = ""; // emptied first, so the same count is announced again
    setTimeout(() => {
      if (mine !== controller) return;
      status.textContent = incoming.textContent;
      root.dataset.state = "ready";
    }, 50);
  }

  async function update(push) {
    const search = query();
    controller?.abort();
    const mine = (controller = new AbortController());
    root.dataset.state = "loading";
    root.setAttribute("aria-busy", "true");
    try {
      const response = await fetch(`${root.dataset.apiUrl}${search}`, {
        credentials: "same-origin", headers: { Accept: "text/html" }, signal: mine.signal,
      });
      if (response.status !== 200 && response.status !== 400) throw new Error(`The dashboard answered ${response.status}`);
      const answer = new DOMParser().parseFromString(await response.text(), "text/html");
      const fresh = answer.getElementById("dashboard");
      if (!fresh) throw new Error("The answer has no results");
      if (mine !== controller) return;
      showErrors(answer.querySelector(".govuk-error-summary"));
      swap(fresh, mine);
      if (push && search !== location.search) history.pushState(null, "", `${location.pathname}${search}`);
    } catch (error) {
      if (error.name !== "AbortError" && mine === controller) form.submit();
    } finally {
      if (mine === controller) root.removeAttribute("aria-busy");
    }
  }

  form.addEventListener("change", () => update(true));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    update(true);
  });
  window.addEventListener("popstate", () => {
    const params = new URLSearchParams(location.search);
    for (const field of form.elements) if (field.name) field.value = params.get(field.name) || "";
    update(false);
  });
  root.dataset.state = "ready";
}

const root = document.getElementById("dashboard");
const form = document.getElementById("dashboard-filters");
if (root && form) start(root, form);
