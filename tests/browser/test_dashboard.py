"""The KPI dashboard in Chromium: axe, reflow, filters by keyboard without a page
load (URL kept, back works), the same filters without JavaScript, and tiles drawn
by dashboard.js identical to the server's."""

import json
import random

import pytest

from indicators.sparkline import format_value, sparkline
from tests.browser.conftest import axe_violations, has_horizontal_scroll
from tests.site.test_dashboard_helpers import build_place, measure
from tests.workstreams.factories import (
    MarmotPrincipleFactory,
    UserFactory,
    WorkstreamFactory,
)
from workstreams import roles

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
    page.wait_for_function(
        "(text) => document.getElementById('dashboard-status').textContent === text",
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
def test_tiles_drawn_by_javascript_match_the_servers(open_page, field, value):
    build()
    server = open_page(f"/dashboard/?{field}={value}", javascript=False)
    expected = server.evaluate(CANONICAL, "#dashboard")

    page = open_page("/dashboard/")
    page.select_option("#id_principle", "overarching")  # drawn by dashboard.js
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
        "() => !document.getElementById('dashboard').hasAttribute('aria-busy')"
        " && /shown$/.test(document.getElementById('dashboard-status').textContent)"
    )

    assert page.evaluate(CANONICAL, "#dashboard") == expected
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


def test_sparkline_and_numbers_in_javascript_match_python(open_page, live_server):
    build_place()
    page = open_page("/dashboard/")
    chance = random.Random(5)
    cases = []
    for _ in range(300):
        decimals = chance.randint(0, 3)
        unit = chance.choice(["", "%", "per 1,000", "years"])
        series = [
            (
                f"20{10 + i}",
                chance.choice(
                    [None, 0.25, -2.5, chance.uniform(-5e4, 5e4), chance.uniform(0, 1)]
                ),
            )
            for i in range(chance.randint(0, 7))
        ]
        cases.append({"series": series, "decimals": decimals, "unit": unit})

    drawn = page.evaluate(
        """async (cases) => {
          const m = await import("/static/js/dashboard.js");
          return cases.map(({ series, decimals, unit }) => {
            const line = m.sparkline(series, { decimals, unit });
            return [line.path, line.dots.map((d) => [d.x, d.y]), line.summary,
                    series.map(([, v]) => m.formatValue(v, decimals, unit))];
          });
        }""",
        json.loads(json.dumps(cases)),
    )

    for case, js in zip(cases, drawn, strict=True):
        line = sparkline(case["series"], decimals=case["decimals"], unit=case["unit"])
        python = [
            line.path,
            [[d.x, d.y] for d in line.dots],
            line.summary,
            [
                format_value(v, case["decimals"], case["unit"])
                for _, v in case["series"]
            ],
        ]
        assert js == python, case
