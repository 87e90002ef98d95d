"""The Fingertips import service: read, check everything, then write everything.

:func:`fingertips_import` is what the ``import_fingertips`` command and an admin
upload page call. A file with any problem writes nothing but a failed
:class:`~indicators.models.ImportRun` listing every problem; a good file is
merged in one transaction.

History: values, published assessments and trends are written in bulk (COPY and
set-based SQL on PostgreSQL, ``bulk_create``/``bulk_update`` elsewhere), which
bypasses django-simple-history's per-row records. The ``ImportRun`` (who, when,
which file and its SHA-256, what it created and changed) is the audit event for
those rows; new indicators do get a history record each.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, BinaryIO

from django.db import connection, transaction
from django.utils import timezone

from indicators.fingertips.errors import (
    MAX_LISTED_ERRORS,
    errors_format,
    errors_sorted,
)
from indicators.fingertips.merge_orm import rows_merge_orm
from indicators.fingertips.merge_postgres import rows_merge_postgres
from indicators.fingertips.reader import ProgressCallback, records_read
from indicators.fingertips.references import references_create, references_plan
from indicators.fingertips.staging import MergeCounts, rows_stage
from indicators.fingertips.validation import file_validate
from indicators.import_limits import Problems, problems_total
from indicators.import_runs import import_run_record, upload_read_bytes
from indicators.models import ImportRun
from marmot.db_timeouts import statement_timeout_raise

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser


@dataclass
class ImportResult:
    """What an import did (or why it did nothing)."""

    run_id: int | None
    status: str
    file_name: str
    sha256: str
    rows_read: int = 0
    indicators_created: int = 0
    areas_created: int = 0
    periods_created: int = 0
    values_created: int = 0
    values_updated: int = 0
    values_unchanged: int = 0
    assessments_created: int = 0
    assessments_updated: int = 0
    assessments_deleted: int = 0
    trends_created: int = 0
    trends_updated: int = 0
    trends_deleted: int = 0
    errors: Problems = field(default_factory=Problems)
    notes: list[str] = field(default_factory=list)
    recomputed_indicator_ids: list[int] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.status == ImportRun.Status.SUCCEEDED

    def error_messages(self, limit: int = MAX_LISTED_ERRORS) -> list[str]:
        """Every problem as "line N, column 'X': …", capped with "…and N more"."""
        return errors_format(self.errors, limit=limit)

    @property
    def error_count(self) -> int:
        """Every problem found (``errors`` keeps the first 100)."""
        return problems_total(self.errors)

    def summary(self) -> str:
        """One paragraph for a message or a command's output."""
        if not self.ok:
            return (
                f"{self.file_name}: rejected, {self.error_count:,} problem(s); "
                "nothing was imported."
            )
        return (
            f"{self.file_name}: {self.rows_read} rows read; values "
            f"{self.values_created} created, {self.values_updated} updated, "
            f"{self.values_unchanged} unchanged; published assessments "
            f"{self.assessments_created} created, {self.assessments_updated} "
            f"updated, {self.assessments_deleted} deleted; published trends "
            f"{self.trends_created} created, {self.trends_updated} updated, "
            f"{self.trends_deleted} deleted; new indicators "
            f"{self.indicators_created}, areas {self.areas_created}, periods "
            f"{self.periods_created}."
        )


def _run_record(
    result: ImportResult, *, user: AbstractBaseUser | None, started_at
) -> None:
    result.run_id = import_run_record(
        kind=ImportRun.Kind.FINGERTIPS,
        result=result,
        errors=[e.as_dict() for e in errors_sorted(result.errors)],
        total=result.error_count,
        user=user,
        started_at=started_at,
        limit=MAX_LISTED_ERRORS,
    ).pk


def _recompute(result: ImportResult, indicator_ids: set[int]) -> None:
    """Let the assessment engine recompute computed assessments and trends."""
    try:
        from indicators.assessment import indicator_values_changed
    except ImportError:
        result.notes.append(
            "Computed assessments and trends were not recalculated: "
            "indicators.assessment.indicator_values_changed is not available."
        )
        return
    if indicator_ids:
        indicator_values_changed(indicator_ids=sorted(indicator_ids))
        result.recomputed_indicator_ids = sorted(indicator_ids)


def _apply(result: ImportResult, counts: MergeCounts) -> None:
    for name in (
        "values_created",
        "values_updated",
        "values_unchanged",
        "assessments_created",
        "assessments_updated",
        "assessments_deleted",
        "trends_created",
        "trends_updated",
        "trends_deleted",
    ):
        setattr(result, name, getattr(counts, name))


@transaction.atomic
def fingertips_import(
    *,
    file: BinaryIO | bytes,
    file_name: str,
    user: AbstractBaseUser | None = None,
    progress: ProgressCallback | None = None,
) -> ImportResult:
    """Import a Fingertips data CSV (as downloaded from ``all_data/csv``).

    ``file`` is the file's bytes or a binary file object (e.g. an upload);
    ``file_name`` is recorded. ``progress(stage, done, total)`` is called now and
    then with stage "read", "check", "copy" (PostgreSQL) or "write".

    Every row is checked before anything is written. If any problem is found the
    result has status "failed" and every problem (line, column, message), and
    only the failed ``ImportRun`` is stored. Otherwise indicators, areas and
    periods the database lacks are created, values are merged (unchanged rows
    are left alone, so a second import of the same file changes nothing),
    published assessments and trends are set to what the file says, and
    computed ones are recalculated for the indicators that changed.
    """
    started_at = timezone.now()
    clock = time.perf_counter()
    data = upload_read_bytes(file)
    result = ImportResult(
        run_id=None,
        status=ImportRun.Status.FAILED,
        file_name=file_name,
        sha256=hashlib.sha256(data).hexdigest(),
    )
    statement_timeout_raise()
    records = records_read(data, progress=progress)
    validated = file_validate(records, progress=progress)
    del records, data
    result.rows_read = validated.rows_read
    result.timings["read_and_check"] = time.perf_counter() - clock
    errors = validated.errors
    plan = None
    if not errors.total:
        plan = references_plan(validated)
        errors.extend(plan.errors)
    if errors.total:
        result.errors = errors_sorted(errors)
        _run_record(result, user=user, started_at=started_at)
        return result

    clock = time.perf_counter()
    created = references_create(
        plan, user=user, change_reason=f"Fingertips import of {file_name}"[:100]
    )
    result.indicators_created = created.indicators
    result.areas_created = created.areas
    result.periods_created = created.periods
    if created.indicators:
        result.notes.append(
            f"{created.indicators} new indicator(s) were created as 'Mean or score' "
            "with no polarity judgement: set their value type and polarity."
        )
    result.notes.extend(plan.notes)
    staged, ignored = rows_stage(validated, plan)
    if ignored:
        result.notes.append(
            f"{ignored} parent comparison(s) were not stored: the parent area is "
            "not a region."
        )
    result.timings["references"] = time.perf_counter() - clock
    clock = time.perf_counter()
    if connection.vendor == "postgresql":
        counts = rows_merge_postgres(staged, progress=progress)
    else:
        counts = rows_merge_orm(staged, progress=progress)
    _apply(result, counts)
    result.timings["merge"] = time.perf_counter() - clock
    clock = time.perf_counter()
    _recompute(result, counts.changed_indicator_ids)
    result.timings["recompute"] = time.perf_counter() - clock
    result.status = ImportRun.Status.SUCCEEDED
    _run_record(result, user=user, started_at=started_at)
    return result
