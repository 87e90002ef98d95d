"""Recompute every computed assessment and trend: the one service behind them.

Queries are fixed whatever the data size and however many areas there are: the
place (locked, so concurrent recomputes queue), the targets, the areas (for
each area's region), the published assessments and trends, which areas' values
are needed, the values, the computed assessments and trends - nine reads - then
at most one insert, one update and one delete per table, each with one history insert
(django-simple-history, ADR 7). On PostgreSQL each write is one statement; on
SQLite, Django 5.2 splits bulk writes every 999 parameters (about 60 rows), so
writes there grow by batches.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.db import models, transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from indicators.assessment.areas import AreaBenchmarks, AreaRow, areas_to_load
from indicators.assessment.judgements import (
    Judgement,
    TrendJudgement,
    benchmark_judgement,
    disagrees,
    series_trend,
    target_judgement,
)
from indicators.assessment.series import (
    BenchmarkIndex,
    group_series,
    headline_series,
    period_order,
)
from indicators.models import (
    Area,
    Assessment,
    IndicatorValue,
    Method,
    Place,
    Target,
    Trend,
)

HISTORY_REASON = "Recomputed"
_ASSESSMENT_FIELDS = [
    "benchmark_area_id",
    "result",
    "level",
    "explanation",
    "disagrees_with_published",
]
_TREND_FIELDS = ["label", "explanation", "disagrees_with_published"]
#: Foreign keys are checked by the database; full_clean() would query per row.
_CLEAN_EXCLUDE = ["value", "benchmark_area", "set_by"]


@dataclass(frozen=True)
class WriteCounts:
    created: int = 0
    updated: int = 0
    deleted: int = 0
    unchanged: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.deleted)


@dataclass(frozen=True)
class RecomputeSummary:
    """What a recompute wrote; ``*_disagreements`` count the flagged computed rows."""

    assessments: WriteCounts = field(default_factory=WriteCounts)
    trends: WriteCounts = field(default_factory=WriteCounts)
    assessment_disagreements: int = 0
    trend_disagreements: int = 0

    @property
    def changed(self) -> bool:
        return self.assessments.changed or self.trends.changed


def _scoped(queryset: models.QuerySet, path: str, ids: list[int] | None):
    """Only the given indicators (all when None); ordered by pk, not by the
    models' default orderings, which join several tables."""
    queryset = queryset.order_by("pk")
    return queryset if ids is None else queryset.filter(**{f"{path}__in": ids})


def _benchmark_areas(place: Place) -> dict[str, int]:
    areas = {
        Assessment.Benchmark.NATIONAL: place.country_id,
        Assessment.Benchmark.REGION: place.region_id,
        Assessment.Benchmark.NEAREST_NEIGHBOURS: place.nearest_neighbours_id,
    }
    return {b: a for b, a in areas.items() if a is not None and a != place.area_id}


def _target_values(
    targets: Sequence[Target], series: dict
) -> dict[int, tuple[Target, IndicatorValue]]:
    """Value id -> (target, value): the latest headline value up to each target.

    When several targets fall on the same value (no newer data), the one with
    the earliest period - the nearest deadline - is used.
    """
    chosen: dict[int, tuple[Target, IndicatorValue]] = {}
    headlines = headline_series(series)
    for target in sorted(targets, key=lambda t: (t.period.sort_key, t.period.ends_on)):
        limit = (target.period.sort_key, target.period.ends_on)
        rows = headlines.get((target.indicator_id, target.area_id), [])
        usable = [r for r in rows if r.value is not None and period_order(r) <= limit]
        if usable:
            chosen.setdefault(usable[-1].pk, (target, usable[-1]))
    return chosen


def _area_benchmarks(place: Place) -> AreaBenchmarks:
    """Every area's benchmarks (ADR 21): one query for the areas' parents and types."""
    rows = Area.objects.order_by().values_list("pk", "parent_id", "area_type")
    return AreaBenchmarks(
        place_area_id=place.area_id,
        place_benchmarks=_benchmark_areas(place),
        country_id=place.country_id,
        areas=[AreaRow(*row) for row in rows],
    )


def _judgements(
    benchmarks: AreaBenchmarks,
    values: list[IndicatorValue],
    targets: list[Target],
    published: tuple[dict, dict],
) -> tuple[list[Judgement], list[TrendJudgement]]:
    """The judgements to store (ADR 21).

    The place and the areas with a target are always judged, so that their
    computed rows can be checked against the published ones. Every other area
    is judged where the source gave no judgement of its own (``published``:
    the published results by (value id, benchmark) and labels by value id): a
    Fingertips file judges every area already, and a second, computed copy of
    hundreds of thousands of rows would only slow its import down.
    """
    published_results, published_labels = published
    always = {benchmarks.place_area_id} | {t.area_id for t in targets}
    index = BenchmarkIndex(values)
    judgements = []
    for value in values:
        if value.category_type:
            continue
        for benchmark, area_id in benchmarks.for_area(value.area_id).items():
            if value.area_id not in always and (
                (value.pk, benchmark) in published_results
            ):
                continue
            benchmark_value = index.find(value, area_id)
            if benchmark_value is not None:
                judgements.append(
                    benchmark_judgement(value, benchmark, benchmark_value)
                )
    series = group_series(values)
    for target, value in _target_values(targets, series).values():
        judgements.append(target_judgement(target, value))

    # Every series of every area gets its recent trend, as in a Fingertips file
    # (England's and the region's too).
    trends = []
    for (_, area_id, *_), rows in series.items():
        if area_id not in always and rows[-1].pk in published_labels:
            continue
        result = series_trend(rows)
        trends.append(
            TrendJudgement(rows[-1].pk, result.label.value, result.explanation)
        )
    return judgements, trends


def _history_deleted(model: type[models.Model], objs: list[models.Model]) -> None:
    """Bulk "-" history records, as simple-history's post_delete would write."""
    history = model.history.model
    now = timezone.now()
    history.objects.bulk_create(
        history(
            history_date=now,
            history_type="-",
            history_user=history.get_default_history_user(obj),
            history_change_reason=HISTORY_REASON,
            **{f.attname: getattr(obj, f.attname) for f in history.tracked_fields},
        )
        for obj in objs
    )


def _write(
    model: type[models.Model],
    fields: list[str],
    new: list[models.Model],
    changed: list[models.Model],
    stale: list[models.Model],
) -> None:
    now = timezone.now()
    for obj in new + changed:
        obj.assessed_at = now
        obj.full_clean(
            exclude=_CLEAN_EXCLUDE, validate_unique=False, validate_constraints=False
        )
    if new:
        bulk_create_with_history(new, model, default_change_reason=HISTORY_REASON)
    if changed:
        bulk_update_with_history(
            changed,
            model,
            [*fields, "assessed_at"],
            default_change_reason=HISTORY_REASON,
        )
    if stale:
        _history_deleted(model, stale)
        # Raw delete: nothing references these rows, and the per-row delete
        # signals would cost one query each (history is written above).
        model.objects.filter(pk__in=[o.pk for o in stale])._raw_delete(model.objects.db)


def _apply(
    model: type[models.Model],
    fields: list[str],
    existing: dict,
    desired: dict,
    build,
) -> WriteCounts:
    """Create, update or delete computed rows so that they match ``desired``."""
    new, changed = [], []
    for key, wanted in desired.items():
        row = existing.get(key)
        if row is None:
            new.append(build(key, wanted))
            continue
        if any(getattr(row, f) != wanted[f] for f in fields):
            for f in fields:
                setattr(row, f, wanted[f])
            changed.append(row)
    stale = [row for key, row in existing.items() if key not in desired]
    _write(model, fields, new, changed, stale)
    unchanged = len(desired) - len(new) - len(changed)
    return WriteCounts(len(new), len(changed), len(stale), unchanged)


def _recompute_assessments(
    judgements: list[Judgement],
    rows: Iterable[Assessment],
    published: dict[tuple[int, str], str],
) -> tuple[WriteCounts, int]:
    existing = {(row.value_id, row.benchmark): row for row in rows}
    desired = {
        (j.value_id, j.benchmark): {
            "benchmark_area_id": j.benchmark_area_id,
            "result": j.result,
            "level": j.level,
            "explanation": j.explanation,
            "disagrees_with_published": disagrees(
                j.result, published.get((j.value_id, j.benchmark))
            ),
        }
        for j in sorted(judgements, key=lambda j: (j.value_id, j.benchmark))
    }

    def build(key, wanted):
        return Assessment(
            value_id=key[0], benchmark=key[1], method=Method.COMPUTED, **wanted
        )

    counts = _apply(Assessment, _ASSESSMENT_FIELDS, existing, desired, build)
    flagged = sum(w["disagrees_with_published"] for w in desired.values())
    return counts, flagged


def _recompute_trends(
    judgements: list[TrendJudgement],
    rows: Iterable[Trend],
    published: dict[int, str],
) -> tuple[WriteCounts, int]:
    existing = {row.value_id: row for row in rows}
    desired = {
        j.value_id: {
            "label": j.label,
            "explanation": j.explanation,
            "disagrees_with_published": disagrees(j.label, published.get(j.value_id)),
        }
        for j in sorted(judgements, key=lambda j: j.value_id)
    }

    def build(key, wanted):
        return Trend(value_id=key, method=Method.COMPUTED, **wanted)

    counts = _apply(Trend, _TREND_FIELDS, existing, desired, build)
    flagged = sum(w["disagrees_with_published"] for w in desired.values())
    return counts, flagged


@transaction.atomic
def assessments_recompute(
    *, indicator_ids: Iterable[int] | None = None
) -> RecomputeSummary:
    """Recompute the computed assessments and trends of the given indicators.

    ``indicator_ids=None`` means every indicator. For each whole-population
    value (any sex and age, no category breakdown) of every judged area: a
    Fingertips benchmark comparison (``compare_to_benchmark``, 95% and 99.8%
    limits, indicator polarity) with the matching benchmark values that exist
    - the place's national, region and nearest-neighbours areas for the place;
    England and the area's own region for any other area (ADR 21,
    :mod:`indicators.assessment.areas`); a Pentana-style target RAG
    (``target_rag``) for each target, on the latest headline value up to its
    period; and the Fingertips recent trend (``recent_trend``, latest five
    consecutive periods) of every series of every area - breakdowns included -
    stored on the series' latest value.

    Only ``computed`` rows are written: new ones created, changed ones updated,
    ones that no longer apply deleted; unchanged rows keep their id and
    ``assessed_at``, so a second run writes nothing. A computed row is flagged
    ``disagrees_with_published`` when the published row for the same value and
    benchmark gives another opinion ("not compared" and "Cannot be calculated"
    are no opinion). Published and manual rows are never touched. Without a
    ``Place`` there is nothing to benchmark against and nothing is changed.
    """
    ids = None if indicator_ids is None else sorted(set(indicator_ids))
    place = Place.objects.select_for_update().first()
    if place is None:
        return RecomputeSummary()
    targets = list(
        _scoped(Target.objects.all(), "indicator_id", ids).select_related(
            "indicator", "area", "period"
        )
    )
    # Every computed row as an instance (any may be updated or have gone
    # stale); of the published rows (a Fingertips import brings one or two per
    # value) only the opinion, as plain tuples, to flag disagreements.
    computed = models.Q(method=Method.COMPUTED)
    published = models.Q(method=Method.PUBLISHED)
    published_results = {
        (value_id, benchmark): result
        for value_id, benchmark, result in _scoped(
            Assessment.objects.filter(published), "value__indicator_id", ids
        ).values_list("value_id", "benchmark", "result")
    }
    published_labels = dict(
        _scoped(
            Trend.objects.filter(published), "value__indicator_id", ids
        ).values_list("value_id", "label")
    )
    benchmarks = _area_benchmarks(place)
    published_rows = (published_results, published_labels)
    values = _scoped(IndicatorValue.objects.all(), "indicator_id", ids)
    needed = areas_to_load(
        benchmarks,
        always={place.area_id} | {t.area_id for t in targets},
        rows=values.values_list("pk", "area_id", "category_type"),
        published=published_rows,
    )
    if needed is not None:
        values = values.filter(area_id__in=needed)
    values = list(values.select_related("indicator", "area", "period"))
    judgements, trend_judgements = _judgements(
        benchmarks, values, targets, published_rows
    )
    assessments = _scoped(
        Assessment.objects.filter(computed), "value__indicator_id", ids
    )
    trends = _scoped(Trend.objects.filter(computed), "value__indicator_id", ids)
    assessment_counts, assessment_flags = _recompute_assessments(
        judgements, list(assessments), published_results
    )
    trend_counts, trend_flags = _recompute_trends(
        trend_judgements, list(trends), published_labels
    )
    return RecomputeSummary(
        assessments=assessment_counts,
        trends=trend_counts,
        assessment_disagreements=assessment_flags,
        trend_disagreements=trend_flags,
    )


def indicator_values_changed(*, indicator_ids: Iterable[int]) -> RecomputeSummary:
    """The one call importers and services make after writing values.

    Recomputes the assessments and trends of those indicators (see
    :func:`assessments_recompute`) in the caller's transaction, so an import
    and its judgements commit or roll back together. An empty list does nothing.
    """
    ids = sorted(set(indicator_ids))
    if not ids:
        return RecomputeSummary()
    return assessments_recompute(indicator_ids=ids)
