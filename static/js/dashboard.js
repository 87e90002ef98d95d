// The KPI dashboard's filters without a page reload (the page works without it).
//
// Changing a filter fetches GET /api/v1/dashboard/ (same origin, the session
// cookie) with the form's fields as its query (the form uses the API's names),
// redraws the tiles, keeps the filters in the URL (pushState; back and forward
// restore them) and announces the count in the page's status region. Focus stays
// where it was. If the API cannot answer, the form is submitted normally.
//
// The tiles are built with the DOM (never innerHTML) and match
// templates/indicators/_dashboard_tile.html element for element; sparkline
// geometry and number formatting mirror indicators/sparkline.py operation for
// operation. Change them together: tests/browser/test_dashboard*.py compares them.

const FILTERS = ["principle", "workstream", "comparator", "assessment_result"];
const COMPARATORS = ["national", "region", "nearest_neighbours"];
const OVERARCHING = "overarching";
const SVG = "http://www.w3.org/2000/svg";
const RESULT_SHAPES = { better: "green", similar: "amber", worse: "red" };
const BENCHMARK_NAMES = {
  national: "England",
  region: "region",
  nearest_neighbours: "nearest neighbours",
  target: "target",
};

// --- numbers and sparklines (as indicators/sparkline.py) ----------------------

export function formatNumber(value, decimals) {
  let text = value.toFixed(decimals);
  if (Number(text) === 0) text = text.replace("-", "");
  const [whole, fraction] = text.split(".");
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return fraction === undefined ? grouped : `${grouped}.${fraction}`;
}

export function formatValue(value, decimals, unit = "") {
  if (value === null || value === undefined) return "No value";
  const number = formatNumber(value, decimals);
  if (!unit) return number;
  return unit === "%" ? `${number}${unit}` : `${number} ${unit}`;
}

export function coordinate(value) {
  const tenths = Math.floor(value * 10 + 0.5);
  return `${Math.floor(tenths / 10)}.${tenths % 10}`;
}

function summary(series, decimals, unit) {
  const present = series.filter(([, value]) => value !== null);
  if (!present.length) return "No values to show";
  const [firstLabel, first] = present[0];
  const [lastLabel, last] = present[present.length - 1];
  const show = (value) => formatValue(value, decimals, unit);
  let text;
  if (present.length === 1) {
    text = `One value: ${show(last)} in ${lastLabel}`;
  } else {
    const start = Number(formatNumber(first, decimals).replaceAll(",", ""));
    const end = Number(formatNumber(last, decimals).replaceAll(",", ""));
    if (start === end) {
      text = `Level at ${show(last)} from ${firstLabel} to ${lastLabel}`;
    } else {
      text =
        `${end > start ? "Rising" : "Falling"} from ${show(first)} in ` +
        `${firstLabel} to ${show(last)} in ${lastLabel}`;
    }
  }
  const missing = series.filter(([, value]) => value === null).map(([label]) => label);
  if (missing.length) text += `; no value for ${missing.join(", ")}`;
  return text;
}

export function sparkline(series, { decimals = 1, unit = "", width = 200, height = 40, pad = 4 } = {}) {
  const count = series.length;
  const values = series.map(([, value]) => value).filter((value) => value !== null);
  const low = values.length ? Math.min(...values) : null;
  const high = values.length ? Math.max(...values) : null;
  const points = series.map(([label, value], index) => {
    const x = count === 1 ? width / 2 : pad + (index * (width - 2 * pad)) / (count - 1);
    let y = null;
    if (value !== null) {
      y = high === low ? coordinate(height / 2)
        : coordinate(pad + ((high - value) * (height - 2 * pad)) / (high - low));
    }
    return { label, value, x: coordinate(x), y };
  });
  const drawn = points.flatMap((point, index) => (point.y === null ? [] : [index]));
  const strokes = [];
  const dots = [];
  for (const index of drawn) {
    const point = points[index];
    const before = index > 0 ? points[index - 1].y : null;
    const after = index + 1 < count ? points[index + 1].y : null;
    strokes.push(`${before === null ? "M" : "L"}${point.x} ${point.y}`);
    if ((before === null && after === null) || index === drawn[drawn.length - 1]) dots.push(point);
  }
  return {
    width, height, points, dots, minimum: low, maximum: high,
    path: strokes.join(" "), summary: summary(series, decimals, unit),
  };
}

// --- markup (as templates/indicators/_dashboard_*.html) -----------------------

function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
  element.append(...children.filter((child) => child !== null && child !== undefined));
  return element;
}

function svg(tag, attributes) {
  const element = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
  return element;
}

export function assessment(result, benchmark = "national", label = "") {
  const name = label || BENCHMARK_NAMES[benchmark] || benchmark;
  const words = {
    better: `Better than ${name}`,
    similar: `Similar to ${name}`,
    worse: `Worse than ${name}`,
    higher: `Higher than ${name}`,
    lower: `Lower than ${name}`,
  };
  const shape = Object.hasOwn(RESULT_SHAPES, result) ? RESULT_SHAPES[result] : "none";
  return h("span", { class: `marmot-rag marmot-rag--${shape}` },
    h("span", { class: "marmot-rag__shape", "aria-hidden": "true" }),
    h("span", {}, Object.hasOwn(words, result) ? words[result] : `Not compared with ${name}`));
}

export function benchmarkNames(place) {
  const country = place ? place.country.name : "England";
  const region = place ? place.region.name : "Region";
  return {
    national: [country, country],
    region: [region, region],
    nearest_neighbours: ["Nearest neighbours", "nearest neighbours"],
    target: ["Target", "target"],
  };
}

function sparklineSvg(line) {
  const element = svg("svg", {
    class: "marmot-sparkline", viewBox: `0 0 ${line.width} ${line.height}`,
    width: line.width, height: line.height, role: "img", "aria-label": line.summary,
  });
  if (line.path) {
    element.append(svg("path", {
      d: line.path, fill: "none", stroke: "currentColor", "stroke-width": "2",
      "stroke-linejoin": "round", "stroke-linecap": "round",
    }));
  }
  for (const dot of line.dots) {
    element.append(svg("circle", { cx: dot.x, cy: dot.y, r: "3", fill: "currentColor" }));
  }
  return element;
}

function figures(name, rows) {
  if (!rows.length) return null;
  const cell = (text) => h("td", { class: "govuk-table__cell govuk-table__cell--numeric" }, text);
  return h("details", { class: "govuk-details marmot-dashboard-tile__figures" },
    h("summary", { class: "govuk-details__summary" },
      h("span", { class: "govuk-details__summary-text" }, "Show the figures",
        h("span", { class: "govuk-visually-hidden" }, ` for ${name}`))),
    h("div", { class: "govuk-details__text" },
      h("table", { class: "govuk-table marmot-dashboard-tile__table" },
        h("caption", { class: "govuk-table__caption govuk-visually-hidden" }, `${name} by period`),
        h("thead", { class: "govuk-table__head" }, h("tr", { class: "govuk-table__row" },
          h("th", { scope: "col", class: "govuk-table__header" }, "Period"),
          h("th", { scope: "col", class: "govuk-table__header govuk-table__header--numeric" }, "Value"))),
        h("tbody", { class: "govuk-table__body" }, ...rows.map(([label, value]) =>
          h("tr", { class: "govuk-table__row" },
            h("th", { scope: "row", class: "govuk-table__header" }, label), cell(value)))))));
}

export function tile(entry, names, comparator, indicatorUrl) {
  const { indicator, latest } = entry;
  const decimals = indicator.display_decimals;
  const unit = indicator.unit;
  const rows = (comparator ? [comparator] : COMPARATORS).map((key) => ({
    key, heading: names[key][0], name: names[key][1],
    valueText: formatValue(entry.benchmarks[key] ? entry.benchmarks[key].value : null, decimals, unit),
    result: entry.assessments[key] ? entry.assessments[key].result : "",
  }));
  const target = entry.assessments.target;
  if (target && !comparator) rows.push({ key: "target", heading: names.target[0], name: names.target[1], valueText: null, result: target.result });
  const line = sparkline(entry.series.map((p) => [p.period, p.value]), { decimals, unit });
  const href = indicatorUrl.replace("__code__", encodeURIComponent(indicator.code));
  return h("li", { class: "marmot-card marmot-dashboard-tile" },
    h("h3", { class: "govuk-heading-s marmot-dashboard-tile__title" },
      h("a", { class: "govuk-link", href }, indicator.name)),
    h("p", { class: "govuk-body marmot-dashboard-tile__latest" },
      h("span", { class: "marmot-dashboard-tile__value" }, latest ? formatValue(latest.value, decimals, unit) : "No value yet"),
      latest ? " " : null,
      latest ? h("span", { class: "marmot-dashboard-tile__period" }, `in ${latest.period}`) : null),
    h("dl", { class: "marmot-dashboard-tile__benchmarks" }, ...rows.map((row) =>
      h("div", { class: "marmot-dashboard-tile__benchmark" },
        h("dt", { class: "marmot-dashboard-tile__benchmark-name" }, row.heading),
        h("dd", { class: "marmot-dashboard-tile__benchmark-result" },
          row.valueText ? h("span", { class: "marmot-dashboard-tile__benchmark-value" }, row.valueText) : null,
          row.valueText ? " " : null,
          assessment(row.result, row.key, row.name))))),
    h("p", { class: "govuk-body-s marmot-dashboard-tile__trend" }, `Trend: ${entry.trend ? entry.trend.label : "Not assessed"}`),
    sparklineSvg(line),
    figures(indicator.name, line.points.map((p) => [p.label, formatValue(p.value, decimals, unit)])));
}

// --- the page ----------------------------------------------------------------

function start(root, form) {
  const status = root.querySelector("#dashboard-status");
  const tiles = root.querySelector("#dashboard-tiles");
  const csv = root.querySelector("#dashboard-csv");
  const csvPath = new URL(csv.href).pathname;
  let controller = null;

  const query = () => {
    const params = new URLSearchParams();
    for (const name of FILTERS) if (form.elements[name]?.value) params.set(name, form.elements[name].value);
    return params;
  };

  function render(data, comparator) {
    const names = benchmarkNames(data.place);
    const groups = new Map();
    groups.set(OVERARCHING, { title: "Overarching measures", entries: [] });
    for (const option of form.elements.principle.options) {
      if (option.value) groups.set(option.value, { title: option.textContent.trim(), entries: [] });
    }
    for (const entry of data.indicators) {
      const key = entry.indicator.principle === null ? OVERARCHING : String(entry.indicator.principle);
      if (!groups.has(key)) groups.set(key, { title: `Principle ${key}`, entries: [] });
      groups.get(key).entries.push(entry);
    }
    const sections = [...groups.values()].filter((group) => group.entries.length).map((group) =>
      h("div", { class: "marmot-dashboard__group" },
        h("h2", { class: "govuk-heading-m" }, group.title),
        h("ul", { class: "marmot-cards marmot-dashboard__tiles" },
          ...group.entries.map((entry) => tile(entry, names, comparator, root.dataset.indicatorUrl)))));
    if (!sections.length) {
      sections.push(h("p", { class: "govuk-body" }, "No measures match these filters. Choose other filters or clear them."));
    }
    tiles.replaceChildren(...sections);
    const count = data.indicators.length;
    // Emptied first so the same count is announced again.
    status.textContent = "";
    setTimeout(() => { status.textContent = `${count} measure${count === 1 ? "" : "s"} shown`; }, 50);
  }

  function clearErrors() {
    document.querySelector(".govuk-error-summary")?.remove();
    for (const message of form.querySelectorAll(".govuk-error-message")) message.remove();
    for (const group of form.querySelectorAll(".govuk-form-group--error")) group.classList.remove("govuk-form-group--error");
    for (const select of form.querySelectorAll(".govuk-select--error")) {
      select.classList.remove("govuk-select--error");
      const ids = (select.getAttribute("aria-describedby") || "").split(" ").filter((id) => id && !id.endsWith("-error"));
      if (ids.length) select.setAttribute("aria-describedby", ids.join(" "));
      else select.removeAttribute("aria-describedby");
    }
    document.title = document.title.replace(/^Error: /, "");
  }

  async function update(push) {
    const params = query();
    const search = params.toString() ? `?${params}` : "";
    controller?.abort();
    controller = new AbortController();
    const mine = controller;
    root.setAttribute("aria-busy", "true");
    try {
      const response = await fetch(`${root.dataset.apiUrl}${search}`, {
        credentials: "same-origin", headers: { Accept: "application/json" }, signal: mine.signal,
      });
      if (!response.ok) throw new Error(`The dashboard API answered ${response.status}`);
      const data = await response.json();
      if (mine !== controller) return;
      render(data, params.get("comparator"));
      csv.href = `${csvPath}${search}`;
      clearErrors();
      if (push && search !== location.search) history.pushState({ dashboard: search }, "", `${location.pathname}${search}`);
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
    for (const name of FILTERS) if (form.elements[name]) form.elements[name].value = params.get(name) || "";
    update(false);
  });
}

if (typeof document !== "undefined") {
  const root = document.getElementById("dashboard");
  const form = document.getElementById("dashboard-filters");
  if (root && form) start(root, form);
}
