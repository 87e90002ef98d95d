"""The outcome-measure table import service, behind the command and the admin.

:func:`measures_import` reads a table (TSV/CSV as published, or the XLSX
template), checks everything against the database's place and measures, then
writes through :func:`indicators.measures.writing.measures_write` - the code path
``load_programme`` uses - in one transaction. Any problem writes nothing but a
failed :class:`~indicators.models.ImportRun` listing every problem by row and
column (and sheet, for XLSX).
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from django.db import transaction
from django.utils import timezone

from indicators.assessment import indicator_values_changed
from indicators.import_limits import (
    MAX_LISTED_PROBLEMS,
    Problems,
    more_line,
    problems_total,
)
from indicators.import_runs import import_run_record, upload_read_bytes
from indicators.links import linked_by_slug
from indicators.measures.metadata import rows_metadata
from indicators.measures.raw_figures import (
    Calculation,
    published_calculations,
    raw_figures_check,
    raw_figures_write,
    raw_sheets_read,
)
from indicators.measures.reading import (
    FORMAT_VERSION,
    MeasuresData,
    MeasuresLoadError,
    metadata_check,
    table_check,
)
from indicators.measures.sources import SourceError, source_read
from indicators.measures.table import MeasuresTableError, parse_measures_table
from indicators.measures.writing import measures_write
from indicators.models import ImportRun, Indicator, MarmotPrinciple
from indicators.selectors import place_get
from marmot.db_timeouts import statement_timeout_raise

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

METADATA_SOURCES = "the database, the --measures file or the metadata columns"
MAX_STORED_ERRORS = MAX_LISTED_PROBLEMS
_ROW = re.compile(r"\brow (\d+)\b")


@dataclass
class MeasuresImportResult:
    """What an import of the outcome-measure table did, or why it did nothing."""

    run_id: int | None
    status: str
    file_name: str
    sha256: str
    dry_run: bool = False
    rows_read: int = 0
    indicators_created: int = 0
    values_created: int = 0
    values_updated: int = 0
    values_unchanged: int = 0
    assessments: int = 0
    trends: int = 0
    errors: Problems = field(default_factory=Problems)
    notes: list[str] = field(default_factory=list)
    indicator_ids: list[int] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.status == ImportRun.Status.SUCCEEDED

    @property
    def error_count(self) -> int:
        """Every problem found (``errors`` keeps the first 100)."""
        return problems_total(self.errors)

    def error_lines(self) -> list[str]:
        """The problems kept, then "…and N more" when some were only counted."""
        lines = list(self.errors)
        if self.error_count > len(lines):
            lines.append(more_line(self.error_count - len(lines), self.error_count))
        return lines

    def summary(self) -> str:
        if not self.ok:
            return (
                f"{self.file_name}: rejected, {self.error_count:,} problem(s); "
                "nothing was imported."
            )
        prefix = "dry run, nothing saved: " if self.dry_run else ""
        return (
            f"{self.file_name}: {prefix}{self.rows_read} measures read; indicators "
            f"{self.indicators_created} created; values {self.values_created} "
            f"created, {self.values_updated} updated, {self.values_unchanged} "
            f"unchanged; {self.assessments} published assessments and "
            f"{self.trends} published trends checked."
        )


class _DryRun(Exception):
    """Rolls a dry run back after it has written everything."""


def _given_metadata(metadata: Any, problems: list[str]) -> tuple[dict, str | None]:
    """The ``measures`` object and table source of a measures.json document."""
    if metadata is None:
        return {}, None
    if not isinstance(metadata, dict) or not isinstance(metadata.get("measures"), dict):
        problems.append("--measures: expected an object with measures")
        return {}, None
    if metadata.get("format_version") != FORMAT_VERSION:
        problems.append(f"--measures: format_version must be {FORMAT_VERSION}")
    table = metadata.get("table") if isinstance(metadata.get("table"), dict) else {}
    return metadata["measures"], table.get("source")


def _check(data: bytes, file_name: str, metadata: Any, result, place):
    """Everything that can be checked before writing.

    (MeasuresData, the values to calculate from raw figures, problems).
    """
    problems = Problems()
    given, source = _given_metadata(metadata, problems)
    if place is None:
        return None, [], Problems(["No place is set up: load the programme first"])
    try:
        source_table = source_read(data=data, file_name=file_name)
    except SourceError as error:
        return None, [], error.problems
    result.notes += source_table.notes
    try:
        table = parse_measures_table(source_table.text, source=file_name)
    except MeasuresTableError as error:
        return None, [], Problems(source_table.where(p) for p in error.problems)
    if not table.rows:
        return (
            None,
            [],
            Problems([source_table.where("row 2: the table has no measures")]),
        )
    result.rows_read = len(table.rows)
    principles = {p.number: p for p in MarmotPrinciple.objects.all()}
    slugs = set(linked_by_slug())
    indicators = list(Indicator.objects.select_related("principle"))
    rows_meta, new, cell_problems, skip = rows_metadata(
        rows=table.rows,
        indicators=indicators,
        given=given,
        cells=source_table.metadata,
        sheet=source_table.sheet,
    )
    problems += cell_problems
    problems += metadata_check(
        {d: m for d, m in new.items() if d in given},
        source="--measures",
        principle_numbers=set(principles),
        workstream_slugs=slugs,
    )
    taken = {i.code for i in indicators}
    for description, meta in new.items():
        if meta.get("code") in taken:
            problems.append(
                f'"{description}": code {meta["code"]!r} belongs to another measure'
            )
        taken.add(meta.get("code"))
    checked = dataclasses.replace(
        table, rows=tuple(r for r in table.rows if r.description not in skip)
    )
    problems += [
        source_table.where(p)
        for p in table_check(
            checked,
            rows_meta,
            place.name,
            place.country.name if place.country else "",
            metadata_source=METADATA_SOURCES,
        )
    ]
    calculations: list[Calculation] = []
    if source_table.sheet:  # the XLSX template: its Raw figures and Age bands
        try:
            sheets = raw_sheets_read(data)
        except SourceError as error:
            problems += error.problems
        else:
            if sheets or sheets.problems:
                calculations, found = raw_figures_check(
                    sheets,
                    indicators=indicators,
                    metadata=rows_meta,
                    table=checked,
                    source_table=source_table,
                    place=place,
                )
                problems += found
    measures = MeasuresData(
        table=table,
        metadata=rows_meta,
        table_path=Path(file_name),
        source=source or f"Outcome-measure table ({Path(file_name).name})",
        keep_existing_source=source is None,
    )
    return measures, calculations, problems


def _record(result: MeasuresImportResult, *, user, started_at) -> None:
    result.run_id = import_run_record(
        kind=ImportRun.Kind.MEASURES_TABLE,
        result=result,
        errors=[
            {
                "line": int(match[1]) if (match := _ROW.search(p)) else None,
                "column": None,
                "message": p,
            }
            for p in result.errors
        ],
        user=user,
        started_at=started_at,
        limit=MAX_STORED_ERRORS,
        total=result.error_count,
    ).pk


def _write(measures: MeasuresData, calculations, place, result, report) -> None:
    before = set(Indicator.objects.values_list("code", flat=True))
    counts = measures_write(
        data=measures,
        place=place,
        principles={p.number: p for p in MarmotPrinciple.objects.all()},
        workstreams=linked_by_slug(),
        report=report,
        calculated=published_calculations(calculations),
    )
    counts["indicator_ids"] |= raw_figures_write(
        calculations=calculations,
        written=counts["calculated"],
        source=measures.source,
        keep_existing_source=measures.keep_existing_source,
        counts=counts,
        report=report,
    )
    codes = {meta["code"] for meta in measures.metadata.values()}
    result.indicators_created = len(codes - before)
    result.values_created = counts["values_created"]
    result.values_updated = counts["values_updated"]
    result.values_unchanged = counts["values_unchanged"]
    result.assessments = counts["assessments"]
    result.trends = counts["trends"]
    result.indicator_ids = sorted(counts["indicator_ids"])
    report(f"Recomputing assessments for {len(result.indicator_ids)} indicators")
    indicator_values_changed(indicator_ids=result.indicator_ids)


@transaction.atomic
def measures_import(
    *,
    file: BinaryIO | bytes,
    file_name: str,
    user: AbstractBaseUser | None = None,
    metadata: dict | None = None,
    dry_run: bool = False,
    report=lambda message: None,
) -> MeasuresImportResult:
    """Import an outcome-measure table: TSV/CSV as published, or the XLSX template.

    ``metadata`` is a parsed measures.json document describing measures the
    database does not have yet (matched by description; existing measures,
    found by published description or code, keep their metadata and get their
    values updated). All or nothing: any problem leaves the database as it was
    but for a failed ImportRun listing every problem. ``dry_run`` writes,
    reports and rolls back, recording no run. ``report(message)`` is told about
    progress.
    """
    started_at = timezone.now()
    data = upload_read_bytes(file)
    result = MeasuresImportResult(
        run_id=None,
        status=ImportRun.Status.FAILED,
        file_name=file_name,
        sha256=hashlib.sha256(data).hexdigest(),
        dry_run=dry_run,
    )
    statement_timeout_raise()
    place = place_get()
    report(f"Checking {file_name}")
    measures, calculations, problems = _check(data, file_name, metadata, result, place)
    if not problems:
        report(f"Checked {result.rows_read} measures; writing")
        try:
            with transaction.atomic():
                _write(measures, calculations, place, result, report)
                result.status = ImportRun.Status.SUCCEEDED
                if dry_run:
                    raise _DryRun
        except _DryRun:
            return result
        except MeasuresLoadError as error:
            result.status = ImportRun.Status.FAILED
            problems = Problems(error.problems)
    if problems:
        result.errors = problems
        result.values_created = result.values_updated = result.values_unchanged = 0
        result.indicators_created = 0
    if not dry_run:
        _record(result, user=user, started_at=started_at)
    return result
