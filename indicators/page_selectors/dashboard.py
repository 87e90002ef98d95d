"""The KPI dashboard page's read-model: filters, tiles grouped by principle.

One path for every form of the dashboard (ADR 20): :func:`dashboard_entries`
reads the measures for the page, its CSV and ``GET /api/v1/dashboard/`` (JSON);
:func:`dashboard_page` turns them into the tiles that
``templates/indicators/_dashboard_results.html`` renders, for the page's first
render and for the fragment the API returns as HTML (which
``static/js/dashboard.js`` swaps in when a filter changes).

Queries, whatever the number of indicators: place, principles, workstreams,
visible ids, then the five of ``indicator_latest_values``, and when output KPIs
are shown the two of :func:`indicators.output_progress.output_progress` (their
year's periods, year to date against the pro-rata target, what is overdue).
"""

import datetime as dt
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django import forms
from django.utils import timezone

from indicators.filters import OVERARCHING, TRENDS, TRENDS_ACCEPTED, DashboardFilter
from indicators.formatting import format_value, unit_of, value_display
from indicators.links import linked_rows
from indicators.models import Assessment, Indicator, MarmotPrinciple, Place
from indicators.output_progress import output_progress
from indicators.page_selectors.indicator_checks import missing_value_text
from indicators.page_selectors.output_summary import OutputSummary, output_summary
from indicators.rules import visible_indicators
from indicators.selectors import IndicatorLatest, indicator_latest_values, place_get
from indicators.sparkline import Sparkline, sparkline
from marmot.site.forms import GovukForm

COMPARATORS = [str(c) for c in DashboardFilter.COMPARATORS]
RESULTS = [
    ("better", "Better"),
    ("similar", "Similar"),
    ("worse", "Worse"),
    ("higher", "Higher (neither better nor worse)"),
    ("lower", "Lower (neither better nor worse)"),
    ("not_compared", "Not compared"),
]
OVERARCHING_TITLE = "Overarching measures"
#: Output KPIs have no principle: they are shown in a group of their own.
OUTPUTS = "outputs"
OUTPUTS_TITLE = "Output KPIs"
KINDS = [
    (Indicator.Kind.OUTCOME.value, "Outcome measures"),
    (Indicator.Kind.LOCAL_OUTPUT.value, "Output KPIs"),
]
#: An outcome measure with no value yet says so in words.
AWAITING_DATA = "Awaiting data: no value has been published yet"
UNREAD = object()  # dashboard_entries(place=...) not given: read it
FILTER_NAMES = (
    "principle",
    "workstream",
    "kind",
    "comparator",
    "assessment_result",
    "trend",
)


def benchmark_names(place: Place | None) -> dict[str, tuple[str, str]]:
    """Benchmark -> (row heading, name in "Worse than ..."), from the place."""
    country = place.country.name if place else "England"
    region = place.region.name if place else "Region"
    return {
        "national": (country, country),
        "region": (region, region),
        "nearest_neighbours": ("Nearest neighbours", "nearest neighbours"),
        "target": ("Target", "target"),
    }


class DashboardFilterForm(GovukForm):
    """The GET filters; the names are the API's query parameters."""

    principle = forms.ChoiceField(label="Marmot principle", required=False)
    workstream = forms.ChoiceField(label="Workstream", required=False)
    kind = forms.ChoiceField(
        label="Kind of measure",
        required=False,
        choices=[("", "Outcome measures and output KPIs"), *KINDS],
        error_messages={"invalid_choice": "Select a kind of measure from the list"},
    )
    comparator = forms.ChoiceField(
        label="Compare with",
        required=False,
        error_messages={"invalid_choice": "Select a comparator from the list"},
    )
    assessment_result = forms.ChoiceField(
        label="Assessment",
        required=False,
        help_text="Against the comparator chosen, or any of them",
        choices=[("", "Any assessment"), *RESULTS],
        error_messages={"invalid_choice": "Select an assessment from the list"},
    )
    trend = forms.ChoiceField(
        label="Trend",
        required=False,
        help_text="The recent trend of the latest value",
        choices=[("", "Any trend"), *TRENDS.items()],
        error_messages={
            "invalid_choice": f"Select a trend from the list ({TRENDS_ACCEPTED})"  # noqa: S608 - not SQL
        },
    )

    def __init__(self, data, *, principles, workstreams, place):
        super().__init__(data)
        self.fields["principle"].choices = [
            ("", "All principles"),
            (OVERARCHING, OVERARCHING_TITLE),
            *[(str(p.number), f"{p.number}. {p.title}") for p in principles],
        ]
        self.fields["principle"].error_messages["invalid_choice"] = (
            "Select a Marmot principle from the list"
        )
        self.fields["workstream"].choices = [
            ("", "All workstreams"),
            *[(w.slug, w.name) for w in workstreams],
        ]
        self.fields["workstream"].error_messages["invalid_choice"] = (
            "Select a workstream from the list"
        )
        names = benchmark_names(place)
        self.fields["comparator"].choices = [
            ("", "All comparators"),
            ("national", names["national"][0]),
            ("region", f"Region ({names['region'][0]})" if place else "Region"),
            ("nearest_neighbours", "Nearest neighbours"),
        ]

    def chosen(self) -> dict[str, str]:
        """The filters set, in form order (empty ones left out)."""
        data = self.cleaned_data if self.is_valid() else {}
        return {name: data[name] for name in FILTER_NAMES if data.get(name)}


@dataclass
class BenchmarkRow:
    key: str
    heading: str
    name: str
    value_text: str | None  # None: no value shown (the target row)
    result: str
    #: The source published the judgement but not the benchmark's value.
    as_published: bool = False


@dataclass
class Tile:
    entry: IndicatorLatest
    indicator: Indicator
    value_text: str
    period: str
    benchmarks: list[BenchmarkRow]
    trend: str
    sparkline: Sparkline
    figures: list[tuple[str, str]]
    #: An output KPI's year to date, judgement, periods and what is overdue.
    output: OutputSummary | None = None

    @property
    def is_output(self) -> bool:
        return self.output is not None

    @property
    def awaiting(self) -> str:
        """What an outcome measure with no value yet says ("" otherwise)."""
        return AWAITING_DATA if self.output is None and not self.entry.value else ""


@dataclass
class Group:
    key: str
    title: str
    tiles: list[Tile] = field(default_factory=list)


@dataclass
class DashboardPage:
    form: DashboardFilterForm
    place: Place | None
    entries: list[IndicatorLatest]
    groups: list[Group]
    query: str  # the filters as a query string, for links

    @property
    def count(self) -> int:
        return len(self.entries)


def _output_tile(entry: IndicatorLatest) -> Tile:
    """An output KPI's tile: no benchmarks or trend, its year instead."""
    summary = output_summary(entry.output)
    return Tile(
        entry=entry,
        indicator=entry.indicator,
        value_text=summary.latest_text,
        period=summary.latest_period,
        benchmarks=[],
        trend="",
        sparkline=summary.sparkline,
        figures=[(f.label, f.value_text) for f in summary.figures],
        output=summary,
    )


def _tile(entry: IndicatorLatest, names, comparator: str | None) -> Tile:
    if entry.output is not None:
        return _output_tile(entry)
    indicator = entry.indicator
    decimals, unit = indicator.display_decimals, unit_of(indicator)
    latest = entry.value
    shown = [comparator] if comparator else COMPARATORS
    rows = []
    for key in shown:
        benchmark = entry.benchmark_values.get(key)
        assessment = entry.assessments.get(key)
        not_published = "" if benchmark else missing_value_text(assessment)
        rows.append(
            BenchmarkRow(
                key=key,
                heading=names[key][0],
                name=names[key][1],
                value_text=not_published
                or format_value(benchmark.value if benchmark else None, decimals, unit),
                result=assessment.result if assessment else "",
                as_published=bool(not_published),
            )
        )
    target = entry.assessments.get(Assessment.Benchmark.TARGET)
    if target is not None and not comparator:
        rows.append(BenchmarkRow("target", *names["target"], None, target.result))
    series = [(value.period.label, value.value) for value in entry.series]
    line = sparkline(series, decimals=decimals, unit=unit)
    return Tile(
        entry=entry,
        indicator=indicator,
        value_text=value_display(latest, indicator) if latest else "No value yet",
        period=latest.period.label if latest else "",
        benchmarks=rows,
        trend=entry.trend.label if entry.trend else "Not assessed",
        sparkline=line,
        figures=[(p.label, format_value(p.value, decimals, unit)) for p in line.points],
    )


def _groups(entries, principles, names, comparator) -> list[Group]:
    groups = {OVERARCHING: Group(OVERARCHING, OVERARCHING_TITLE)}
    for principle in principles:
        key = str(principle.number)
        groups[key] = Group(key, f"{principle.number}. {principle.title}")
    groups[OUTPUTS] = Group(OUTPUTS, OUTPUTS_TITLE)
    for entry in entries:
        principle = entry.indicator.principle
        key = str(principle.number) if principle else OVERARCHING
        if entry.output is not None:
            key = OUTPUTS
        groups[key].tiles.append(_tile(entry, names, comparator))
    return [group for group in groups.values() if group.tiles]


def dashboard_entries(
    user,
    filters: dict,
    *,
    today: dt.date | None = None,
    place: Place | None | object = UNREAD,
) -> list[IndicatorLatest]:
    """The measures ``user`` may see that match the (valid) ``filters``, each
    with its latest value, benchmarks, judgements and trend (ADR 9), in display
    order; benchmarks other than ``filters["comparator"]`` left out. An output
    KPI's entry carries its progress (``entry.output``, ADR 32) for the place
    (``place``, read if not given); a principle, assessment or trend filter is
    about outcome measures (a KPI has no principle, benchmarks or trend), so it
    leaves output KPIs out.

    Queries: visible ids, then the six of ``indicator_latest_values``; with
    output KPIs shown, the place (if not given) and the two of
    ``output_progress``.
    """
    today = today or timezone.localdate()
    indicators = visible_indicators(user, Indicator.objects.all())
    filterset = DashboardFilter(filters, queryset=indicators)
    ids = list(filterset.qs.order_by().values_list("pk", flat=True))
    entries = indicator_latest_values(indicator_ids=ids, today=today)
    result = filters.get("assessment_result") or None
    trend = filters.get("trend") or None
    if result or trend or filters.get("principle"):
        entries = [e for e in entries if not _is_output(e)]
    entries = DashboardFilter.entries(
        entries, filters.get("comparator") or None, result, trend
    )
    outputs = [e for e in entries if _is_output(e)]
    if outputs:
        if place is UNREAD:
            place = place_get()
        progress = output_progress(
            [e.indicator for e in outputs],
            area_id=place.area_id if place else None,
            today=today,
        )
        for entry in outputs:
            entry.output = progress[entry.indicator.pk]
    return entries


def _is_output(entry: IndicatorLatest) -> bool:
    return entry.indicator.kind == Indicator.Kind.LOCAL_OUTPUT


def dashboard_page(user, params) -> DashboardPage:
    """The dashboard for ``user`` filtered by the GET ``params``: the page's
    body, its CSV and the API's HTML fragment all read it."""
    place = place_get()
    principles = list(MarmotPrinciple.objects.order_by("number"))
    workstreams = list(linked_rows().only("slug", "name"))
    form = DashboardFilterForm(
        params, principles=principles, workstreams=workstreams, place=place
    )
    if not form.is_valid():
        return DashboardPage(form, place, [], [], "")
    chosen = form.chosen()
    entries = dashboard_entries(user, chosen, place=place)
    comparator = chosen.get("comparator")
    groups = _groups(entries, principles, benchmark_names(place), comparator)
    return DashboardPage(form, place, entries, groups, urlencode(chosen))
