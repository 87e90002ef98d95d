"""The KPI dashboard in Chromium: axe, reflow, filters by keyboard without a page
load (URL kept, back works), the same filters without JavaScript, the results
dashboard.js swaps in from the API's HTML identical to the server's page, a
rejected filter in the error summary, and the layout at 1280 and 375 px.

Tests wait on the page's own readiness: #dashboard's data-state is "ready" once
an answer is swapped in and its count announced."""

import pytest

from marmot import roles
from tests.browser.conftest import axe_violations, has_horizontal_scroll
from tests.indicators.pages.fixtures import build_place, measure
from tests.workstreams.factories import (
    MarmotPrincipleFactory,
    UserFactory,
    WorkstreamFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)

# The tiles' markup with attributes sorted and whitespace-only text dropped.
CANONICAL = """(selector) => {
  const canon = (node) => {
    if (node.nodeType === Node.TEXT_NODE) {
      const text = node.textContent.replace(/\\s+/g, " ").trim();
      return text ? JSON.stringify(text) : "";
    }
    if (node.nodeType !== Node.ELEMENT_NODE) return "";
    const attributes = [...node.attributes]
      .map((a) => `${a.name}=${JSON.stringify(a.value)}`).sort().join(" ");
    const children = [...node.childNodes].map(canon).join("");
    return `<${node.localName} ${attributes}>${children}</${node.localName}>`;
  };
  return canon(document.querySelector(selector));
}"""


def officer():
    user = UserFactory(username="officer", is_staff=True)
    user.groups.add(roles.roles_ensure_groups()[roles.OFFICER])
    return user


def build():
    """Measures in two principles and overarching, with the awkward cases."""
    place = build_place()
    one = MarmotPrincipleFactory(number=1, title="Give every child the best start")
    five = MarmotPrincipleFactory(number=5, title="Healthy standard of living")
    early = WorkstreamFactory(slug="early-years", name="Early years")
    first = measure(
        place,
        code="school-readiness",
        name="School readiness",
        principle=one,
        polarity="high_is_good",
        neighbours=60.0,
        results={"national": "worse", "region": "similar", "target": "better"},
    )
    first.workstreams.set([early])
    measure(
        place,
        code="child-poverty",
        name="Children in low-income families",
        principle=five,
        values=(20.0, None, 22.5),
        results={"national": "better", "nearest_neighbours": "not_compared"},
        trend=None,
        unit="per 1,000",
        display_decimals=2,
    )
    measure(
        place,
        code="life-expectancy",
        name='Life expectancy <at birth> & "male"',
        principle=None,
        values=(78.1,),
        periods=("2020-22",),
        unit="years",
        results={"national": "similar"},
    )
    measure(place, code="draft", name="Draft measure", is_published=False)


def wait_for_status(page, text):
    """Until dashboard.js has swapped in an answer counting ``text``."""
    page.wait_for_function(
        """(text) => {
          const root = document.getElementById("dashboard");
          return root.dataset.state === "ready"
            && document.getElementById("dashboard-status").textContent === text;
        }""",
        arg=text,
    )


def tile_names(page):
    return page.locator(".marmot-dashboard-tile__title").all_inner_texts()


@pytest.mark.parametrize("who", ["anonymous", "officer"])
def test_no_wcag_violations_and_reflow(open_page, who):
    build()
    user = officer() if who == "officer" else None
    page = open_page("/dashboard/", user=user)
    page.locator(".govuk-details__summary").first.click()  # the figures table
    assert axe_violations(page) == []
    expected = 4 if who == "officer" else 3
    assert page.locator(".marmot-dashboard-tile").count() == expected
    assert ("Draft measure" in page.content()) is (who == "officer")
    narrow = open_page("/dashboard/?comparator=region", user=user, width=320)
    narrow.locator(".govuk-details__summary").first.click()
    assert not has_horizontal_scroll(narrow)
    assert page.js_errors == [] and narrow.js_errors == []


def test_filter_by_keyboard_updates_tiles_and_url_without_a_page_load(open_page):
    build()
    page = open_page("/dashboard/")
    page.evaluate("() => { window.stillTheSamePage = true; }")
    for _ in range(40):  # Tab from the top of the page to the first filter
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.id") == "id_principle":
            break
    else:
        pytest.fail("The principle filter cannot be reached with Tab")

    page.keyboard.press("ArrowDown")  # "Overarching measures"
    wait_for_status(page, "1 measure shown")

    assert tile_names(page) == ['Life expectancy <at birth> & "male"']
    assert page.evaluate("() => window.stillTheSamePage") is True
    assert page.evaluate("() => document.activeElement.id") == "id_principle"
    assert page.url.endswith("/dashboard/?principle=overarching")
    csv = page.locator("#dashboard-csv").get_attribute("href")
    assert csv == "/dashboard/data.csv?principle=overarching"

    page.keyboard.press("Tab")  # on to the workstream filter, then the Apply button
    page.keyboard.press("ArrowDown")
    wait_for_status(page, "0 measures shown")
    assert "No measures match these filters" in page.inner_text("#dashboard-tiles")
    assert page.url.endswith("?principle=overarching&workstream=early-years")

    page.go_back()
    wait_for_status(page, "1 measure shown")
    assert page.input_value("#id_workstream") == ""
    page.go_back()
    wait_for_status(page, "3 measures shown")
    assert page.input_value("#id_principle") == ""
    assert page.evaluate("() => window.stillTheSamePage") is True
    assert page.js_errors == []


def test_reloading_the_filtered_url_shows_the_same_tiles(open_page):
    build()
    page = open_page("/dashboard/")
    page.select_option("#id_assessment_result", "worse")
    wait_for_status(page, "1 measure shown")
    shown = page.evaluate(CANONICAL, "#dashboard-tiles")

    page.reload()

    assert page.input_value("#id_assessment_result") == "worse"
    assert page.inner_text("#dashboard-status") == "1 measure shown"
    assert page.evaluate(CANONICAL, "#dashboard-tiles") == shown
    assert tile_names(page) == ["School readiness"]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("principle", ""),
        ("comparator", "nearest_neighbours"),
        ("comparator", "national"),
        ("assessment_result", "better"),
    ],
)
def test_results_swapped_in_match_the_servers_page(open_page, field, value):
    build()
    server = open_page(f"/dashboard/?{field}={value}", javascript=False)
    expected = server.evaluate(CANONICAL, "#dashboard")

    page = open_page("/dashboard/")
    page.select_option("#id_principle", "overarching")  # swapped in by dashboard.js
    page.wait_for_function("() => location.search === '?principle=overarching'")
    page.select_option("#id_principle", "")
    if value:
        page.select_option(f"#id_{field}", value)
    page.locator("#dashboard-filters button").press("Enter")  # no page load either
    page.wait_for_function(
        "(q) => location.search === q", arg=f"?{field}={value}" if value else ""
    )
    # Every fetch finished (Enter may start one after the change event's).
    page.wait_for_function(
        "() => document.getElementById('dashboard').dataset.state === 'ready'"
        " && !document.getElementById('dashboard').hasAttribute('aria-busy')"
    )

    shown = page.evaluate(CANONICAL, "#dashboard")
    assert shown.replace(' data-state="ready"', "") == expected
    assert "<script" not in expected  # API text went in as text, not markup
    assert page.js_errors == []


def test_without_javascript_the_form_filters_on_the_server(open_page):
    build()
    page = open_page("/dashboard/", javascript=False)
    page.select_option("#id_principle", "1")
    with page.expect_navigation():
        page.click("button:has-text('Apply filters')")

    assert "principle=1" in page.url
    assert tile_names(page) == ["School readiness"]
    assert page.inner_text("#dashboard-status") == "1 measure shown"


def test_worse_and_getting_worse_by_keyboard(open_page):
    build()  # school readiness: worse than England, increasing and getting worse
    page = open_page("/dashboard/")
    page.select_option("#id_comparator", "national")
    wait_for_status(page, "3 measures shown")
    page.select_option("#id_assessment_result", "worse")
    wait_for_status(page, "1 measure shown")
    page.focus("#id_trend")
    page.select_option("#id_trend", "worse")
    wait_for_status(page, "1 measure shown")

    assert tile_names(page) == ["School readiness"]
    assert page.url.endswith(
        "/dashboard/?comparator=national&assessment_result=worse&trend=worse"
    )
    assert page.evaluate("() => document.activeElement.id") == "id_trend"
    page.select_option("#id_trend", "better")
    wait_for_status(page, "0 measures shown")
    assert page.js_errors == []


def test_a_rejected_filter_is_shown_in_the_error_summary(open_page):
    build()
    page = open_page("/dashboard/")
    # A value the server does not accept (as from a page left open while a
    # workstream was removed).
    page.evaluate(
        """() => document.getElementById("id_workstream")
             .add(new Option("Gone", "gone-workstream"))"""
    )
    page.select_option("#id_workstream", "gone-workstream")
    page.wait_for_function(
        "() => document.getElementById('dashboard').dataset.state === 'ready'"
    )

    summary = page.locator(".govuk-error-summary")
    assert summary.count() == 1
    assert "Select a workstream from the list" in summary.inner_text()
    assert page.evaluate(
        "() => document.activeElement.classList.contains('govuk-error-summary')"
    )
    assert page.title().startswith("Error: ")
    assert page.locator(".marmot-dashboard-tile").count() == 0
    # Summary first in main, before the heading (GOV.UK).
    assert page.evaluate(
        "() => document.querySelector('main h1').previousElementSibling"
        ".classList.contains('govuk-error-summary')"
    )

    page.select_option("#id_workstream", "")
    wait_for_status(page, "3 measures shown")
    assert page.locator(".govuk-error-summary").count() == 0
    assert not page.title().startswith("Error: ")
    assert page.js_errors == []


# Elements in <main> that stick out of it, and boxes whose content is cut off
# or scrolls (overflow other than visible with content wider than the box).
CUT_OFF = """() => {
  const main = document.querySelector("main").getBoundingClientRect();
  const name = (el) => el.localName + (el.className && typeof el.className === "string"
    ? "." + el.className.trim().split(/\\s+/).join(".") : "");
  const found = [];
  for (const el of document.querySelectorAll("main *")) {
    if (!el.getClientRects().length) continue;  // not rendered (closed details)
    if (el.closest(".govuk-visually-hidden")) continue;
    const box = el.getBoundingClientRect();
    if (box.right > main.right + 1 || box.left < main.left - 1) {
      found.push(`${name(el)} from ${box.left} to ${box.right}`);
    }
    const style = getComputedStyle(el);
    if (style.overflowX !== "visible" && el.scrollWidth > el.clientWidth + 1) {
      found.push(`${name(el)} clips: ${el.scrollWidth} in ${el.clientWidth}`);
    }
  }
  return found;
}"""

# For each tile: how far its value, comparisons and trend reach to the right,
# and the height from its value to its trend.
KEY_FACTS = """() => [...document.querySelectorAll(".marmot-dashboard-tile")]
.map((tile) => {
  const output = tile.classList.contains("marmot-dashboard-tile--output");
  const parts = ["latest", "benchmarks", output ? "overdue" : "trend"]
    .map((part) => tile.querySelector(`.marmot-dashboard-tile__${part}`));
  const boxes = parts.map((part) => part.getBoundingClientRect());
  const texts = [...tile.querySelectorAll(
    ".marmot-dashboard-tile__value, .marmot-dashboard-tile__benchmark-result > *,"
    + " .marmot-dashboard-tile__trend")];
  return {
    output,
    name: tile.querySelector("h3").textContent.trim(),
    right: Math.max(
      ...boxes.map((b) => b.right),
      ...texts.map((t) => t.getBoundingClientRect().right)),
    left: Math.min(...boxes.map((b) => b.left)),
    height: boxes[2].bottom - boxes[0].top,
    clipped: texts.filter((t) => t.scrollWidth > t.clientWidth + 1).length,
  };
})"""


def test_nothing_is_cut_off_at_1280_and_key_facts_fit_a_phone(open_page, luton):
    for query in ("", "?comparator=region&trend=no_change"):
        wide = open_page(f"/dashboard/{query}", width=1280)
        for summary in wide.locator(".govuk-details__summary").all()[:3]:
            summary.click()  # some figures tables open
        assert not has_horizontal_scroll(wide), query
        assert wide.evaluate(CUT_OFF) == [], query

    phone = open_page("/dashboard/", width=375)
    for summary in phone.locator(".govuk-details__summary").all()[:3]:
        summary.click()
    assert not has_horizontal_scroll(phone)
    assert phone.evaluate(CUT_OFF) == []
    facts = phone.evaluate(KEY_FACTS)
    # the 27 published outcome measures (and any awaiting data), then the KPIs
    assert len([fact for fact in facts if not fact["output"]]) >= 27
    viewport = 667  # a phone's screen height at 375 px wide
    problems = [
        fact
        for fact in facts
        if fact["right"] > 375
        or fact["left"] < 0
        or fact["clipped"]
        or fact["height"] > viewport
    ]
    assert problems == []
    assert phone.js_errors == [] and wide.js_errors == []
