"""The overview's outcome measures: the two answers by name, then the counts.

The oversight group's first question is *which measures are worse than England
and getting worse?*, so the overview names them, and the improving ones, each
with its latest value, comparison with England and trend. Below, each Marmot
principle's measures are counted by that comparison and by trend, and every
count links to the dashboard filtered to exactly the measures it counts
(:meth:`Count.query`): ``principle``, ``comparator=national`` with
``assessment_result``, and ``trend`` (:func:`indicators.filters.trend_group`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.core.cache import cache

from indicators.filters import OVERARCHING, trend_group
from indicators.formatting import indicator_value
from indicators.models import Assessment, Indicator, MarmotPrinciple
from indicators.rules import sees_unpublished_indicators, visible_indicators
from indicators.selectors import IndicatorLatest, indicator_latest_values
from indicators.templatetags.judgements import RESULT_SHAPES
from marmot.site.data_version import data_version
from marmot.site.page_cache import CACHE_SECONDS
from workstreams import selectors

NATIONAL = Assessment.Benchmark.NATIONAL
R = Assessment.Result
#: The national comparisons counted in their own columns; "higher" and
#: "lower" (no better or worse) only get a column when a measure has one.
COMPARED = (R.BETTER, R.SIMILAR, R.WORSE, R.NOT_COMPARED, R.HIGHER, R.LOWER)
ALWAYS_SHOWN = frozenset({R.BETTER, R.SIMILAR, R.WORSE, R.NOT_COMPARED})
#: Values of the dashboard's ``trend`` filter (``indicators.filters.TRENDS``).
BETTER, WORSE = "better", "worse"


@dataclass(frozen=True)
class Count:
    """One count in the summary: how many, and the dashboard query string
    ("?..." or "" for every measure) listing exactly those measures."""

    key: str
    number: int
    query: str


@dataclass(frozen=True)
class MeasureLine:
    """A measure named on the overview with its latest figures (plain values,
    so the summary can be cached)."""

    code: str
    name: str
    value_text: str
    period: str
    result: str
    trend: str
    trend_group: str | None
    sort_key: tuple = ()  # the place's order of its measures


@dataclass
class PrincipleRow:
    """How the measures under one principle (None: overarching, or all of them
    for the totals) compare with the national benchmark and trend."""

    principle: MarmotPrinciple | None
    is_total: bool = False
    measures: int = 0
    results: dict[str, int] = field(default_factory=dict)
    improving: int = 0
    worsening: int = 0
    worse_and_worsening: int = 0
    counts: list[Count] = field(default_factory=list)  # in column order

    def add(self, entry: IndicatorLatest) -> None:
        self.measures += 1
        result = national_result(entry)
        self.results[result] = self.results.get(result, 0) + 1
        kind = trend_group(entry.trend)
        if kind == BETTER:
            self.improving += 1
        elif kind == WORSE:
            self.worsening += 1
            if result == R.WORSE:
                self.worse_and_worsening += 1

    # the columns the existing markup and tests read by name
    better = property(lambda self: self.results.get(R.BETTER, 0))
    similar = property(lambda self: self.results.get(R.SIMILAR, 0))
    worse = property(lambda self: self.results.get(R.WORSE, 0))
    not_compared = property(lambda self: self.results.get(R.NOT_COMPARED, 0))

    @property
    def principle_param(self) -> dict[str, str]:
        if self.is_total:
            return {}
        if self.principle is None:
            return {"principle": OVERARCHING}
        return {"principle": str(self.principle.number)}

    @property
    def title(self) -> str:
        if self.is_total:
            return "All measures"
        if self.principle is None:
            return "Overarching measures"
        principle = self.principle
        return f"{principle.number}. {principle.short_title or principle.title}"


@dataclass
class OutcomeSummary:
    principles: list[PrincipleRow]
    totals: PrincipleRow
    worse_and_worsening: list[MeasureLine]
    improving: list[MeasureLine]
    result_columns: list[str]  # the Assessment results given a column
    national_name: str

    @property
    def column_headings(self) -> list[tuple[str, str, str]]:
        """(short heading, hidden rest of it, shape) of each comparison column."""
        return [
            (
                SHORT_RESULT_WORDS[r],
                RESULT_WORDS[r].removeprefix(SHORT_RESULT_WORDS[r].lower()),
                RESULT_SHAPES.get(r, "none"),
            )
            for r in self.result_columns
        ]

    @property
    def total(self) -> dict[str, Count]:
        """The totals' counts by key, for the sentence and the named lists."""
        return {count.key: count for count in self.totals.counts}


def row_counts(row: PrincipleRow, columns: list[str]) -> list[Count]:
    """``row``'s counts in column order, each with its dashboard query."""
    national = {"comparator": NATIONAL}
    counts = [Count("measures", row.measures, _query(row))]
    for result in columns:
        counts.append(
            Count(
                result,
                row.results.get(result, 0),
                _query(row, **national, assessment_result=result),
            )
        )
    counts += [
        Count("improving", row.improving, _query(row, trend=BETTER)),
        Count("worsening", row.worsening, _query(row, trend=WORSE)),
        Count(
            "worse_and_worsening",
            row.worse_and_worsening,
            _query(row, **national, assessment_result=R.WORSE, trend=WORSE),
        ),
    ]
    return counts


RESULT_WORDS = {
    R.BETTER: "better than",
    R.SIMILAR: "similar to",
    R.WORSE: "worse than",
    R.NOT_COMPARED: "not compared with",
    R.HIGHER: "higher than",
    R.LOWER: "lower than",
}
SHORT_RESULT_WORDS = {
    R.BETTER: "Better",
    R.SIMILAR: "Similar",
    R.WORSE: "Worse",
    R.NOT_COMPARED: "Not compared",
    R.HIGHER: "Higher",
    R.LOWER: "Lower",
}


def _query(row: PrincipleRow, **params: str) -> str:
    query = urlencode({**row.principle_param, **params})
    return f"?{query}" if query else ""


def national_result(entry: IndicatorLatest) -> str:
    """The effective comparison with the national benchmark; a measure with
    none is "not compared" (so the dashboard's ``not_compared`` lists it)."""
    national = entry.assessments.get(NATIONAL)
    return national.result if national else R.NOT_COMPARED


def measure_line(entry: IndicatorLatest) -> MeasureLine:
    indicator, latest = entry.indicator, entry.value
    return MeasureLine(
        code=indicator.code,
        name=indicator.name,
        value_text=indicator_value(latest.value if latest else None, indicator),
        period=latest.period.label if latest else "",
        result=national_result(entry),
        trend=entry.trend.label if entry.trend else "",
        trend_group=trend_group(entry.trend),
        sort_key=(indicator.display_order, indicator.name, indicator.code),
    )


def outcome_summary(*, user, national_name: str) -> OutcomeSummary:
    """Each principle with its visible measures counted by their effective
    national assessment and trend (overarching measures last, if any), and the
    measures worse than England and getting worse, and getting better, named.

    Counting judges every indicator's latest value, so the result is cached
    under the data version (ADR 15), one entry for those who see unpublished
    indicators and one for everyone else: after a write the first visitor
    counts afresh, the rest read one number."""
    audience = "all" if sees_unpublished_indicators(user) else "published"
    key = f"overview-principles:{data_version()}:{audience}"
    cached = cache.get(key)
    if cached is None:
        cached = _outcome_summary(user=user, national_name=national_name)
        cache.set(key, cached, CACHE_SECONDS)
    return cached


def _outcome_summary(*, user, national_name: str) -> OutcomeSummary:
    # Outcome measures only (with those awaiting data: not compared yet); the
    # output KPIs are counted on their workstreams' pages.
    outcomes = Indicator.objects.filter(kind=Indicator.Kind.OUTCOME)
    visible = visible_indicators(user, outcomes)
    entries = indicator_latest_values(
        indicator_ids=visible.values_list("pk", flat=True)
    )
    rows = {p.pk: PrincipleRow(p) for p in selectors.principle_list()}
    overarching = PrincipleRow(None)
    totals = PrincipleRow(None, is_total=True)
    worse_and_worsening, improving = [], []
    for entry in entries:
        row = rows.get(entry.indicator.principle_id, overarching)
        row.add(entry)
        totals.add(entry)
        kind = trend_group(entry.trend)
        if kind == WORSE and national_result(entry) == R.WORSE:
            worse_and_worsening.append(measure_line(entry))
        elif kind == BETTER:
            improving.append(measure_line(entry))
    # In the order the place lists its measures, whatever order the rows came in.
    for lines in (worse_and_worsening, improving):
        lines.sort(key=lambda line: line.sort_key)
    ordered = list(rows.values())
    if overarching.measures:
        ordered.append(overarching)
    columns = [r for r in COMPARED if r in ALWAYS_SHOWN or totals.results.get(r)]
    for row in [*ordered, totals]:
        row.counts = row_counts(row, columns)
    return OutcomeSummary(
        ordered, totals, worse_and_worsening, improving, columns, national_name
    )
