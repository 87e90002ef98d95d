"""Outcome measures on the changes page: new values of the place's headline
(whole-population) series, and assessments whose shown result changed.

An assessment "changed" when the effective result for one value and benchmark
(ADR 9: manual, else computed, else published) as it stood at the start of the
period, rebuilt from the assessments' history, differs from the effective
result now. Values that are new in the period are listed as new values instead.
Imports that write in bulk without history (Fingertips) can only show up as
new values. Values and judgements written by loading a place's data directory
(history marked "data load", :mod:`marmot.history`) are set-up and are left
out. Four queries whatever the number of changes."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from indicators.models import Assessment, IndicatorValue, Place
from indicators.page_selectors.indicator_format import result_words
from indicators.rules import visible_indicators
from indicators.selectors import assessment_effective, assessments_effective
from marmot.history import DATA_LOAD
from workstreams import rules
from workstreams.page_selectors.logic_model import value_text

NATIONAL = Assessment.Benchmark.NATIONAL
VALUE_ORDER = (
    "indicator__principle__number",
    "indicator__display_order",
    "indicator__name",
    "period__sort_key",
    "sex",
    "age",
    "pk",
)


NOT_RECORDED = "Not recorded"


def person(reader, user) -> str:
    """Who made a change, as ``reader`` may know them (ADR 26: a name to
    signed-in readers, "a programme user" to the public)."""
    return rules.person_label(reader, user, not_recorded=NOT_RECORDED)


def benchmark_names(place: Place) -> dict[str, str]:
    return {
        Assessment.Benchmark.NATIONAL: place.country.name,
        Assessment.Benchmark.REGION: place.region.name,
        Assessment.Benchmark.NEAREST_NEIGHBOURS: (
            place.nearest_neighbours.name
            if place.nearest_neighbours
            else "nearest neighbours"
        ),
        Assessment.Benchmark.TARGET: "target",
    }


def assessment_words(result: str, name: str) -> str:
    """The same words as the ``{% assessment %}`` tag, e.g. "Worse than England"."""
    return result_words(result, name)


@dataclass(frozen=True)
class NewValue:
    value: IndicatorValue
    value_text: str
    national: Assessment | None


@dataclass(frozen=True)
class AssessmentChange:
    value: IndicatorValue
    benchmark: str
    benchmark_name: str
    before: str
    after: str
    who: str
    when: dt.datetime

    @property
    def before_words(self) -> str:
        return assessment_words(self.before, self.benchmark_name)

    @property
    def after_words(self) -> str:
        return assessment_words(self.after, self.benchmark_name)


def _headline(queryset, place: Place, prefix: str = ""):
    return queryset.filter(
        **{f"{prefix}area_id": place.area_id, f"{prefix}category_type": ""}
    )


def new_values(
    *, user, since: dt.datetime, place: Place, limit: int | None = None
) -> tuple[list[NewValue], int]:
    """The place's whole-population values added since ``since``, all or the
    first ``limit`` in the page's order, and how many there are (two queries,
    three with a limit)."""
    loaded = IndicatorValue.history.filter(
        history_type="+", history_change_reason=DATA_LOAD
    ).values("id")
    queryset = _headline(
        IndicatorValue.objects.filter(created_at__gte=since).exclude(pk__in=loaded),
        place,
    )
    rows = (
        visible_indicators(user, queryset, prefix="indicator__")
        .select_related("indicator", "period")
        .prefetch_related("assessments")
        .order_by(*VALUE_ORDER)
    )
    total = None
    if limit is not None:
        total = rows.count()
        rows = rows[:limit]
    found = [
        NewValue(
            value=row,
            value_text=value_text(row),
            national=assessments_effective(row.assessments.all()).get(NATIONAL),
        )
        for row in rows
    ]
    return found, len(found) if total is None else total


def _effective(rows: Iterable) -> dict[tuple[int, str], object]:
    grouped: dict[tuple[int, str], list] = defaultdict(list)
    for row in rows:
        grouped[(row.value_id, row.benchmark)].append(row)
    return {key: assessment_effective(group) for key, group in grouped.items()}


def assessment_changes(
    *, user, since: dt.datetime, place: Place
) -> list[AssessmentChange]:
    """Shown results that changed since ``since`` for values that existed
    before it (two queries: the touched assessments' history, and now)."""
    history = Assessment.history.model
    touched = _headline(
        history.objects.filter(history_date__gte=since).exclude(
            history_change_reason=DATA_LOAD
        ),
        place,
        prefix="value__",
    ).values("value_id")
    before: dict[int, object] = {}
    latest: dict[tuple[int, str], object] = {}
    for row in (
        history.objects.filter(value_id__in=touched)
        .select_related("history_user")
        .order_by("history_date", "history_id")
    ):
        if row.history_date < since or row.history_change_reason == DATA_LOAD:
            before[row.id] = row
        else:
            latest[(row.value_id, row.benchmark)] = row
    was = _effective(r for r in before.values() if r.history_type != "-")
    current = visible_indicators(
        user,
        Assessment.objects.filter(value_id__in=touched),
        prefix="value__indicator__",
    ).select_related("value__indicator", "value__period")
    names = benchmark_names(place)
    changes = []
    for key, now in _effective(current).items():
        earlier = was.get(key)
        if key not in latest or earlier is None or earlier.result == now.result:
            continue
        row = latest[key]
        changes.append(
            AssessmentChange(
                value=now.value,
                benchmark=now.benchmark,
                benchmark_name=names.get(now.benchmark, now.benchmark),
                before=earlier.result,
                after=now.result,
                who=person(user, row.history_user),
                when=row.history_date,
            )
        )
    changes.sort(
        key=lambda c: (
            c.value.indicator.display_order,
            c.value.indicator.name,
            c.value.period.sort_key,
            list(names).index(c.benchmark) if c.benchmark in names else 9,
        )
    )
    return changes
