"""Builders and HTML readers shared by the indicator page and dashboard tests
(no tests here).

`measure_build` makes a measure with the place, England, the region and the
nearest neighbours over several periods, judgements of every method, a target,
deprivation deciles and wards. `build_place` and the dashboard builders below it
make the dashboard's data."""

import datetime as dt
import re
from html import unescape
from html.parser import HTMLParser

from indicators.models import Area, Assessment, Indicator, Method, Trend
from tests.indicators.factories import (
    AreaFactory,
    AssessmentFactory,
    IndicatorFactory,
    IndicatorValueFactory,
    PeriodFactory,
    TargetFactory,
    TrendFactory,
)
from tests.workstreams.factories import PlaceFactory, WorkstreamFactory

PERIODS = ("2015/16", "2016/17", "2022/23")


def build_place():
    return PlaceFactory(
        name="Testtown",
        area=AreaFactory(code="E06000001", name="Testtown"),
        country=AreaFactory(
            code="E92000001", name="England", area_type=Area.Type.COUNTRY
        ),
        region=AreaFactory(
            code="E12000001", name="Test Region", area_type=Area.Type.REGION
        ),
        nearest_neighbours=AreaFactory(
            code="NN-TEST", name="Test neighbours", area_type=Area.Type.COMPARATOR_GROUP
        ),
    )


def measure(
    place,
    *,
    values=(36.1, 37.0, 39.4),
    periods=PERIODS,
    england=30.0,
    region=41.5,
    neighbours=None,
    results=None,
    trend="Increasing and getting worse",
    **indicator_fields,
):
    """An indicator with the place's series and benchmark values for each period,
    published assessments of the latest value (``results``: benchmark -> result)
    and its trend."""
    indicator = IndicatorFactory(**indicator_fields)
    latest = None
    for label, value in zip(periods, values, strict=True):
        period = PeriodFactory(label=label)
        latest = IndicatorValueFactory(
            indicator=indicator,
            area=place.area,
            period=period,
            value=value,
            lower95=None,
            upper95=None,
        )
        for area, benchmark in (
            (place.country, england),
            (place.region, region),
            (place.nearest_neighbours, neighbours),
        ):
            if benchmark is not None:
                IndicatorValueFactory(
                    indicator=indicator,
                    area=area,
                    period=period,
                    value=benchmark,
                    lower95=None,
                    upper95=None,
                )
    for benchmark, result in (results or {"national": "worse"}).items():
        AssessmentFactory(value=latest, benchmark=benchmark, result=result)
    if trend:
        TrendFactory(value=latest, label=trend)
    return indicator


class Tree(HTMLParser):
    """A tiny DOM: enough to read the text of elements by class."""

    VOID = {"br", "img", "input", "link", "meta", "hr", "source", "wbr"}

    def __init__(self, html):
        super().__init__()
        self.root = {"tag": "", "attrs": {}, "children": []}
        self.stack = [self.root]
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        node = {"tag": tag, "attrs": dict(attrs), "children": []}
        self.stack[-1]["children"].append(node)
        if tag not in self.VOID:
            self.stack.append(node)

    def handle_endtag(self, tag):
        for index in range(len(self.stack) - 1, 0, -1):
            if self.stack[index]["tag"] == tag:
                del self.stack[index:]
                return

    def handle_data(self, data):
        self.stack[-1]["children"].append(data)

    def find(self, css_class, node=None):
        node = node or self.root
        found = []
        for child in node["children"]:
            if isinstance(child, dict):
                if css_class in (child["attrs"].get("class") or "").split():
                    found.append(child)
                found += self.find(css_class, child)
        return found


def text(node) -> str:
    if isinstance(node, str):
        return node
    return " ".join(" ".join(text(c) for c in node["children"]).split())


def tiles(response) -> dict[str, dict]:
    """Tile title -> {"node", "value", "benchmarks", "trend", "sparkline"}."""
    assert response.status_code == 200, response.content[:500]
    tree = Tree(response.content.decode())
    found = {}
    for node in tree.find("marmot-dashboard-tile"):
        [title] = tree.find("marmot-dashboard-tile__title", node)
        [latest] = tree.find("marmot-dashboard-tile__latest", node)
        trend = tree.find("marmot-dashboard-tile__trend", node)  # none: a KPI
        rows = tree.find("marmot-dashboard-tile__benchmark", node)
        svg = next(
            c for c in node["children"] if isinstance(c, dict) and c["tag"] == "svg"
        )
        found[text(title)] = {
            "node": node,
            "href": title["children"][0]["attrs"]["href"],
            "value": text(latest),
            "benchmarks": [text(row) for row in rows],
            "trend": text(trend[0]) if trend else "",
            "sparkline": svg["attrs"],
            "figures": [
                text(row)
                for body in tree.find("govuk-table__body", node)
                for row in tree.find("govuk-table__row", body)
            ],
        }
    return found


def group_titles(response) -> list[str]:
    tree = Tree(response.content.decode())
    return [
        text(group["children"][1]) for group in tree.find("marmot-dashboard__group")
    ]


def status(response) -> str:
    tree = Tree(response.content.decode())
    [node] = [n for n in tree.find("govuk-body") if n["attrs"].get("role") == "status"]
    return text(node)


B = Assessment.Benchmark
QUINTILE_TYPE = "Deprivation quintile (IMD2019)"
QUINTILES = [
    "Most deprived quintile",
    "Second most deprived quintile",
    "Third more deprived quintile",
    "Second least deprived quintile",
    "Least deprived quintile",
]


def measure_build(*, periods=4, wards=3, quintiles=5, published=True, **indicator):
    """A measure with data for `periods` years from 2015; returns (indicator, place)."""
    place = PlaceFactory(
        area__name="Testtown",
        country__name="England",
        region__name="North Region",
        nearest_neighbours__name="Similar councils",
    )
    workstream = WorkstreamFactory(name="Good work", slug="good-work")
    fields = {
        "name": "Children in low-income families",
        "definition": "Children under 16 in relative low-income families.",
        "source": "DWP Stat-Xplore",
        "unit": "%",
        "polarity": Indicator.Polarity.LOW_IS_GOOD,
        "is_published": published,
        "expected_next_release": dt.date(2099, 3, 1),
        **indicator,
    }
    measure = IndicatorFactory(**fields)
    measure.workstreams.add(workstream)
    years = [PeriodFactory(label=str(2015 + i)) for i in range(periods)]
    lines = {
        place.area: (20.0, 1.0),
        place.country: (15.0, 0.5),
        place.region: (17.0, 0.25),
        place.nearest_neighbours: (19.0, 0.0),
    }
    latest = None
    for area, (start, step) in lines.items():
        for i, period in enumerate(years):
            value = start + step * i
            row = IndicatorValueFactory(
                indicator=measure,
                area=area,
                period=period,
                value=value,
                lower95=value - 1.5,
                upper95=value + 1.5,
            )
            if area == place.area:
                latest = row
    ward_areas = [
        AreaFactory(name=f"Ward {n}", area_type=Area.Type.WARD, parent=place.area)
        for n in range(wards)
    ]
    for i, period in enumerate(years):
        for n, ward in enumerate(ward_areas):
            value = 10.0 + n * (8 - i)
            IndicatorValueFactory(
                indicator=measure,
                area=ward,
                period=period,
                value=value,
                lower95=value - 2,
                upper95=value + 2,
            )
        for rank, label in enumerate(QUINTILES[:quintiles]):
            IndicatorValueFactory(
                indicator=measure,
                area=place.area,
                period=period,
                category_type=QUINTILE_TYPE,
                category=label,
                value=30.0 - rank * (2.0 - 0.3 * i),
                lower95=None,
                upper95=None,
                denominator=1000,
            )
    AssessmentFactory(value=latest, benchmark=B.NATIONAL, result="worse")
    AssessmentFactory(
        value=latest,
        benchmark=B.NATIONAL,
        result="similar",
        method=Method.COMPUTED,
        level=95,
        published_text="",
        explanation="The 95% intervals do not overlap.",
        disagrees_with_published=True,
    )
    AssessmentFactory(
        value=latest, benchmark=B.REGION, result="similar", published_text="A"
    )
    AssessmentFactory(
        value=latest,
        benchmark=B.NEAREST_NEIGHBOURS,
        result="better",
        method=Method.MANUAL,
        published_text="",
        reason="Checked against the neighbours' own reports.",
    )
    TargetFactory(indicator=measure, area=place.area, period=years[-1], value=18.0)
    AssessmentFactory(
        value=latest,
        benchmark=B.TARGET,
        result="worse",
        method=Method.COMPUTED,
        published_text="",
    )
    TrendFactory(value=latest, label=Trend.Label.NO_SIGNIFICANT_CHANGE)
    TrendFactory(
        value=latest,
        label=Trend.Label.INCREASING_WORSE,
        method=Method.COMPUTED,
        published_text="",
        explanation="Weighted regression over the last 4 periods.",
    )
    return measure, place


def page_text(response) -> str:
    """The main content as text (SVG left out), whitespace collapsed."""
    html = response.content.decode()
    main = html[html.index("<main") : html.index("</main>")]
    main = re.sub(r"<svg.*?</svg>", " ", main, flags=re.S)
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", main)))
