"""Builders and an HTML reader shared by the dashboard tests (no tests here)."""

from html.parser import HTMLParser

from indicators.models import Area
from tests.indicators.factories import (
    AreaFactory,
    AssessmentFactory,
    IndicatorFactory,
    IndicatorValueFactory,
    PeriodFactory,
    TrendFactory,
)
from tests.workstreams.factories import PlaceFactory

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
        [trend] = tree.find("marmot-dashboard-tile__trend", node)
        rows = tree.find("marmot-dashboard-tile__benchmark", node)
        svg = next(
            c for c in node["children"] if isinstance(c, dict) and c["tag"] == "svg"
        )
        found[text(title)] = {
            "node": node,
            "href": title["children"][0]["attrs"]["href"],
            "value": text(latest),
            "benchmarks": [text(row) for row in rows],
            "trend": text(trend),
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
