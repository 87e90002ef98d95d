"""The indicator page (`/indicators/<code>/`): one measure, read for display.

Queries, whatever the number of values, periods or breakdowns: the indicator
(with its principle) and its workstreams (2, :func:`indicator_for_page`), then
the place, the values of the place, its benchmark areas and its wards, the
latest value's assessments, its trends, the targets and the category
breakdowns (6, :func:`indicator_page`).

"Latest" is the last period of the place's headline series, as on the dashboard
(:func:`indicators.assessment.series.headline_series`); the chart and table
follow that series' sex and age in every area. Which judgement is shown among
several is :mod:`indicators.selectors`' rule (ADR 0009); every row is listed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Q

from indicators.assessment.series import (
    BenchmarkIndex,
    group_series,
    headline_series,
    normal_age,
    normal_sex,
)
from indicators.charts import LineChart, SeriesData, chart_summary, line_chart
from indicators.formatting import (
    format_interval,
    indicator_value,
    publication_words,
    unit_of,
    value_display,
)
from indicators.freshness import Freshness, FreshnessStatus, indicator_freshness
from indicators.models import (
    Area,
    Assessment,
    Indicator,
    IndicatorValue,
    Place,
    Target,
    Trend,
)
from indicators.page_selectors.indicator_breakdowns import (
    BreakdownView,
    breakdown_views,
)
from indicators.page_selectors.indicator_checks import (
    NOT_PUBLISHED,
    assessment_checked,
    missing_value_text,
    trend_checked,
)
from indicators.page_selectors.indicator_format import (
    BENCHMARK_NAMES,
    BENCHMARK_ORDER,
    POLARITY_WORDS,
    Judgement,
    assessment_judgement,
    judgement_sort_key,
    trend_judgement,
)
from indicators.page_selectors.value_methods import methods_used, value_method_words
from indicators.selectors import assessments_effective, place_get, trend_effective

B = Assessment.Benchmark
BENCHMARK_TITLES = {
    B.NATIONAL: "National",
    B.REGION: "Region",
    B.NEAREST_NEIGHBOURS: "Nearest neighbours",
    B.TARGET: "Target",
}
FRESHNESS_TAGS = {
    FreshnessStatus.FRESH: "govuk-tag--green",
    FreshnessStatus.DUE: "govuk-tag--yellow",
    FreshnessStatus.STALE: "govuk-tag--red",
}


def indicator_for_page(*, code: str, workstreams: bool = True) -> Indicator | None:
    """The indicator with its principle (one query) and its workstreams (one)."""
    indicators = Indicator.objects.select_related("principle").filter(code=code)
    if workstreams:
        # The workstreams that link to it (Workstream.indicators, in their
        # own order): read through the reverse name, nothing imported.
        indicators = indicators.prefetch_related("workstreams")
    return indicators.first()


@dataclass
class Comparison:
    """One benchmark for the latest value: its value, the shown result, all rows."""

    benchmark: str
    name: str  # the benchmark area's name, or e.g. "Target"
    label: str  # how the result names it: "Worse than {label}"
    value_text: str = ""
    interval_text: str = ""
    shown: Judgement | None = None
    others: list[Judgement] = field(default_factory=list)

    @property
    def value_not_published(self) -> bool:
        """A published judgement whose benchmark value the source left out."""
        return self.value_text == NOT_PUBLISHED


@dataclass
class TableRow:
    period: str
    #: (value, interval, how it was made) per area; the last is blank when
    #: every value in the table was made the same way (``table_method``).
    cells: list[tuple[str, str, str]]


@dataclass
class IndicatorPage:
    indicator: Indicator
    place: Place | None
    latest: IndicatorValue | None = None
    latest_text: str = ""
    latest_interval: str = ""
    population: str = ""
    freshness: Freshness | None = None
    #: "Published <release date> in <source>" of the latest value (not the
    #: date it was loaded).
    published: str = ""
    chart: LineChart | None = None
    chart_summary: str = ""
    area_names: list[str] = field(default_factory=list)
    table_rows: list[TableRow] = field(default_factory=list)
    #: How every value in the table was made, when all were made one way.
    table_method: str = ""
    #: How the latest value was made, when calculated here (not published).
    latest_method: str = ""
    #: One sentence per way the page's values were made (About this measure).
    methods: list[str] = field(default_factory=list)
    comparisons: list[Comparison] = field(default_factory=list)
    trend: Judgement | None = None
    other_trends: list[Judgement] = field(default_factory=list)
    target: Target | None = None
    target_text: str = ""
    breakdowns: list[BreakdownView] = field(default_factory=list)

    @property
    def unit(self) -> str:
        """The unit values are shown with (ADR 0017)."""
        return unit_of(self.indicator)

    @property
    def polarity_words(self) -> str:
        return POLARITY_WORDS.get(self.indicator.polarity, "")

    @property
    def freshness_tag(self) -> str:
        status = self.freshness.status if self.freshness else ""
        return FRESHNESS_TAGS.get(status, "govuk-tag--grey")

    @property
    def has_whiskers(self) -> bool:
        return bool(self.chart) and any(s.whiskers for s in self.chart.series)


def _benchmark_areas(place: Place) -> list[tuple[str, Area | None]]:
    return [
        (B.NATIONAL, place.country),
        (B.REGION, place.region),
        (B.NEAREST_NEIGHBOURS, place.nearest_neighbours),
    ]


def _matching_series(series, area_id: int, headline: IndicatorValue):
    """The area's whole-population series for the headline's sex and age."""
    exact, normal = None, None
    for key, rows in series.items():
        if key[1] != area_id or key[4]:
            continue
        if (key[2], key[3]) == (headline.sex, headline.age):
            exact = rows
        elif (normal_sex(key[2]), normal_age(key[3])) == (
            normal_sex(headline.sex),
            normal_age(headline.age),
        ):
            normal = normal or rows
    return exact or normal or []


def _population(value: IndicatorValue) -> str:
    parts = [
        text
        for text, normal in ((value.sex, "persons"), (value.age, "all ages"))
        if text and text.strip().lower() != normal
    ]
    return ", ".join(parts)


def _chart(page: IndicatorPage, lines: list[tuple[str, list[IndicatorValue]]]):
    indicator = page.indicator
    periods = {v.period_id: v.period for _, rows in lines for v in rows}
    ordered = sorted(periods.values(), key=lambda p: (p.sort_key, p.ends_on))
    categories = [p.label for p in ordered]
    data = []
    picked_by_line = []
    for name, rows in lines:
        by_period = {v.period_id: v for v in rows}
        picked = [by_period.get(p.pk) for p in ordered]
        picked_by_line.append(picked)
        data.append(
            SeriesData(
                name=name,
                values=[v.value if v else None for v in picked],
                lower=[v.lower95 if v else None for v in picked],
                upper=[v.upper95 if v else None for v in picked],
            )
        )
        page.area_names.append(name)
    unit = unit_of(indicator).strip()
    y_label = f"Value ({unit})" if unit else "Value"
    page.chart = line_chart(categories, data, y_label=y_label, x_label="Period")
    page.chart_summary = chart_summary(
        categories, data, lambda v: indicator_value(v, indicator, blank="")
    )
    made = [[value_method_words(v) if v else "" for v in p] for p in picked_by_line]
    ways = {words for line in made for words in line if words}
    page.table_method = ways.pop() if len(ways) == 1 else ""
    for i, period in enumerate(ordered):
        page.table_rows.append(
            TableRow(
                period.label,
                [
                    (
                        indicator_value(s.values[i], indicator, blank="No value"),
                        format_interval(s.lower[i], s.upper[i], indicator),
                        "" if page.table_method else how[i],
                    )
                    for s, how in zip(data, made, strict=True)
                ],
            )
        )


def _comparisons(page: IndicatorPage, index: BenchmarkIndex, assessments) -> None:
    place, latest, indicator = page.place, page.latest, page.indicator
    shown = assessments_effective(assessments)
    areas = dict(_benchmark_areas(place))
    for benchmark in BENCHMARK_ORDER:
        rows = sorted(
            (a for a in assessments if a.benchmark == benchmark),
            key=lambda a: judgement_sort_key(a, shown.get(benchmark)),
        )
        area = areas.get(benchmark)
        if not rows and (benchmark == B.TARGET or area is None):
            continue
        label = BENCHMARK_NAMES[benchmark]
        if area is not None and benchmark != B.NEAREST_NEIGHBOURS:
            label = area.name
        judgements = [
            assessment_checked(assessment_judgement(row, label), row, latest, index)
            for row in rows
        ]
        comparison = Comparison(
            benchmark=benchmark,
            name=area.name if area else BENCHMARK_TITLES[benchmark],
            label=label,
            shown=judgements[0] if judgements else None,  # sorted shown first
            others=judgements[1:],
        )
        if area is not None:
            value = index.find(latest, area.pk)
            if value is None:
                comparison.value_text = missing_value_text(comparison.shown)
            else:
                comparison.value_text = indicator_value(
                    value.value, indicator, blank=""
                )
                comparison.interval_text = format_interval(
                    value.lower95, value.upper95, indicator
                )
        elif page.target is not None:
            comparison.value_text = page.target_text
        page.comparisons.append(comparison)


def _target(targets: list[Target], latest: IndicatorValue) -> Target | None:
    ahead = [t for t in targets if t.period.sort_key >= latest.period.sort_key]
    return (ahead or targets[-1:] or [None])[0]


def indicator_page(
    *, indicator: Indicator, today: dt.date, place: Place | None = None
) -> IndicatorPage:
    """Everything the indicator page shows (six queries; see the module doc)."""
    place = place or place_get()
    page = IndicatorPage(indicator=indicator, place=place)
    if place is None:
        return page
    area_ids = [place.area_id] + [a.pk for _, a in _benchmark_areas(place) if a]
    values = list(
        IndicatorValue.objects.filter(indicator=indicator, category_type="")
        .filter(
            Q(area_id__in=area_ids)
            | Q(area__parent_id=place.area_id, area__area_type=Area.Type.WARD)
        )
        .select_related("area", "period")
        .order_by("pk")
    )
    for value in values:
        value.indicator = indicator
    page.methods = methods_used(values)
    series = group_series(values)
    headline = headline_series(series).get((indicator.pk, place.area_id), [])
    latest = headline[-1] if headline else None
    page.latest = latest
    page.freshness = indicator_freshness(indicator, latest, today=today)
    targets = list(
        Target.objects.filter(indicator=indicator, area_id=place.area_id)
        .select_related("period")
        .order_by("period__sort_key", "period__ends_on")
    )
    sex, age = (latest.sex, latest.age) if latest else ("", "")
    page.breakdowns = breakdown_views(
        indicator=indicator, place=place, values=values, sex=sex, age=age
    )
    if latest is None:
        return page
    page.latest_text = value_display(latest, indicator, blank="No value")
    page.latest_interval = format_interval(latest.lower95, latest.upper95, indicator)
    page.population = _population(latest)
    page.published = publication_words(latest)
    if latest.method != IndicatorValue.Method.PUBLISHED:
        page.latest_method = value_method_words(latest)
    lines = [(place.area.name, headline)]
    for _, area in _benchmark_areas(place):
        if area is not None and (rows := _matching_series(series, area.pk, latest)):
            lines.append((area.name, rows))
    _chart(page, lines)
    page.target = _target(targets, latest)
    if page.target is not None:
        page.target_text = (
            f"{indicator_value(page.target.value, indicator)} by "
            f"{page.target.period.label}"
        )
    assessments = list(
        Assessment.objects.filter(value=latest)
        .select_related("benchmark_area")
        .order_by("pk")
    )
    _comparisons(page, BenchmarkIndex(values), assessments)
    trends = list(Trend.objects.filter(value=latest).order_by("pk"))
    shown_trend = trend_effective(trends)
    trends.sort(key=lambda t: judgement_sort_key(t, shown_trend))
    judgements = [trend_checked(trend_judgement(row), row, headline) for row in trends]
    if shown_trend is not None:
        page.trend, page.other_trends = judgements[0], judgements[1:]
    return page
