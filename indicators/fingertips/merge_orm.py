"""Merge staged rows with the ORM: the path for SQLite and other databases.

Loads the existing values of the file's indicators and periods, compares them in
Python and writes only the differences with ``bulk_create``/``bulk_update``. It
produces exactly what :mod:`indicators.fingertips.merge_postgres` produces
(the tests run against both), only more slowly.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.utils import timezone

from indicators.fingertips.references import SOURCE
from indicators.fingertips.staging import (
    BENCHMARKS,
    KEY_FIELDS,
    VALUE_FIELDS,
    MergeCounts,
    StagedRow,
)
from indicators.models import Assessment, IndicatorValue, Method, Trend

ProgressCallback = Callable[[str, int, int], None]
_CHUNK = 400
_BATCH = 500


def _chunks(values: Iterable, size: int = _CHUNK):
    values = sorted(set(values))
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _scope(model, prefix: str, staged: list[StagedRow], **filters):
    """Every row of ``model`` for the file's indicators × periods, in chunks."""
    indicators = {s.indicator_id for s in staged}
    periods = {s.period_id for s in staged}
    for ind_chunk in _chunks(indicators):
        for per_chunk in _chunks(periods):
            yield from model.objects.filter(
                **filters,
                **{
                    f"{prefix}indicator_id__in": ind_chunk,
                    f"{prefix}period_id__in": per_chunk,
                },
            )


def _merge_values(
    staged: list[StagedRow], counts: MergeCounts, now
) -> dict[tuple, int]:
    existing = {
        tuple(getattr(v, f) for f in KEY_FIELDS): v
        for v in _scope(IndicatorValue, "", staged)
    }
    created, updated = [], []
    for row in staged:
        current = existing.get(row.key)
        if current is None:
            new = IndicatorValue(
                **dict(zip(KEY_FIELDS, row.key, strict=True)),
                **{f: getattr(row, f) for f in VALUE_FIELDS},
                source=SOURCE,
            )
            created.append(new)
            existing[row.key] = new
            counts.changed_indicator_ids.add(row.indicator_id)
            continue
        wanted = {f: getattr(row, f) for f in VALUE_FIELDS} | {"source": SOURCE}
        if all(getattr(current, f) == v for f, v in wanted.items()):
            counts.values_unchanged += 1
            continue
        if current.value != row.value:
            current.published_text = ""
        for f, v in wanted.items():
            setattr(current, f, v)
        current.method = IndicatorValue.Method.PUBLISHED  # Fingertips' figures
        current.updated_at = now
        current.row_version += 1  # the API's ETag (ADR 40)
        updated.append(current)
        counts.changed_indicator_ids.add(row.indicator_id)
    IndicatorValue.objects.bulk_create(created, batch_size=_BATCH)
    IndicatorValue.objects.bulk_update(
        updated,
        [
            *VALUE_FIELDS,
            "source",
            "published_text",
            "method",
            "row_version",
            "updated_at",
        ],
        batch_size=_BATCH,
    )
    counts.values_created += len(created)
    counts.values_updated += len(updated)
    return {key: existing[key].pk for key in (row.key for row in staged)}


def _merge_published(
    model,
    staged: list[StagedRow],
    value_ids: dict[tuple, int],
    wanted_of: Callable[[StagedRow], dict[tuple, dict | None]],
    fields: tuple[str, ...],
    now,
) -> tuple[int, int, int, set[int]]:
    """Create, update or delete ``model``'s published rows to match the file."""
    by_value = {value_ids[row.key]: row for row in staged}
    existing: dict[tuple, object] = {}
    for obj in _scope(model, "value__", staged, method=Method.PUBLISHED):
        if obj.value_id not in by_value:
            continue
        existing[(obj.value_id, getattr(obj, "benchmark", None))] = obj
    created, updated, deleted, touched = [], [], [], set()
    for value_id, row in by_value.items():
        for benchmark, wanted in wanted_of(row).items():
            current = existing.get((value_id, benchmark))
            if wanted is None:
                if current is not None:
                    deleted.append(current.pk)
                    touched.add(row.indicator_id)
                continue
            if current is None:
                extra = {"benchmark": benchmark} if benchmark else {}
                created.append(
                    model(value_id=value_id, method=Method.PUBLISHED, **extra, **wanted)
                )
                touched.add(row.indicator_id)
            elif any(getattr(current, f) != v for f, v in wanted.items()):
                for f, v in wanted.items():
                    setattr(current, f, v)
                current.assessed_at = now
                updated.append(current)
                touched.add(row.indicator_id)
    model.objects.bulk_create(created, batch_size=_BATCH)
    model.objects.bulk_update(updated, [*fields, "assessed_at"], batch_size=_BATCH)
    for chunk in _chunks(deleted):
        model.objects.filter(pk__in=chunk).delete()
    return len(created), len(updated), len(deleted), touched


def _assessments_wanted(row: StagedRow) -> dict[tuple, dict | None]:
    wanted = {}
    for benchmark in BENCHMARKS:
        if not getattr(row, f"{benchmark}_covered"):
            continue
        result = getattr(row, f"{benchmark}_result")
        wanted[benchmark] = (
            None
            if result is None
            else {
                "result": result,
                "level": getattr(row, f"{benchmark}_level"),
                "published_text": getattr(row, f"{benchmark}_text"),
                "benchmark_area_id": getattr(row, f"{benchmark}_area_id"),
            }
        )
    return wanted


def _trend_wanted(row: StagedRow) -> dict[None, dict | None]:
    if row.trend_label is None:
        return {None: None}
    return {None: {"label": row.trend_label, "published_text": row.trend_text}}


def rows_merge_orm(
    staged: list[StagedRow], *, progress: ProgressCallback | None = None
) -> MergeCounts:
    """Merge values, published assessments and published trends; return counts."""
    now = timezone.now()
    counts = MergeCounts()
    value_ids = _merge_values(staged, counts, now)
    if progress:
        progress("write", 1, 3)
    made, changed, removed, touched = _merge_published(
        Assessment,
        staged,
        value_ids,
        _assessments_wanted,
        ("result", "level", "published_text", "benchmark_area_id"),
        now,
    )
    counts.assessments_created, counts.assessments_updated = made, changed
    counts.assessments_deleted = removed
    counts.changed_indicator_ids |= touched
    if progress:
        progress("write", 2, 3)
    made, changed, removed, touched = _merge_published(
        Trend, staged, value_ids, _trend_wanted, ("label", "published_text"), now
    )
    counts.trends_created, counts.trends_updated, counts.trends_deleted = (
        made,
        changed,
        removed,
    )
    counts.changed_indicator_ids |= touched
    if progress:
        progress("write", 3, 3)
    return counts
