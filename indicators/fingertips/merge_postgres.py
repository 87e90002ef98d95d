"""Merge staged rows on PostgreSQL with COPY and set-based SQL.

1. COPY every staged row (psycopg 3 ``cursor.copy``) into a TEMP table.
2. One ``INSERT … ON CONFLICT (the value's unique key) DO UPDATE … WHERE (old
   columns) IS DISTINCT FROM (new columns)`` merges the values: unchanged rows
   are not touched at all, so re-importing a file writes nothing. ``xmax = 0``
   in ``RETURNING`` tells inserted rows from updated ones.
3. A second TEMP table maps each line to its value's id; published assessments
   (per benchmark) and published trends are merged the same way, and published
   rows that the file now leaves blank are deleted.

All SQL identifiers come from the models' ``_meta`` and from constants in this
package, never from the file; every value from the file travels through COPY or
a query parameter.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import connection
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

STAGING = "fingertips_staging"
IDS = "fingertips_staging_ids"
_PROGRESS_EVERY = 10000
#: How the values a Fingertips file carries were made (IndicatorValue.method).
PUBLISHED_FIGURES = IndicatorValue.Method.PUBLISHED.value

_STAGING_COLUMNS = {
    "line": "integer NOT NULL",
    "indicator_id": "bigint NOT NULL",
    "area_id": "bigint NOT NULL",
    "period_id": "bigint NOT NULL",
    "sex": "varchar(20) NOT NULL",
    "age": "varchar(40) NOT NULL",
    "category_type": "varchar(120) NOT NULL",
    "category": "varchar(200) NOT NULL",
    "value": "double precision",
    "lower95": "double precision",
    "upper95": "double precision",
    "lower998": "double precision",
    "upper998": "double precision",
    "count": "double precision",
    "denominator": "double precision",
    "value_note": "varchar(300) NOT NULL",
    **{
        f"{b}_{name}": kind
        for b in BENCHMARKS
        for name, kind in (
            ("covered", "boolean NOT NULL"),
            ("result", "varchar(14)"),
            ("level", "double precision"),
            ("text", "varchar(40)"),
            ("area_id", "bigint"),
        )
    },
    "trend_label": "varchar(40)",
    "trend_text": "varchar(60)",
}
assert tuple(_STAGING_COLUMNS) == StagedRow._fields
# The binary COPY's wire types, one per staging column (varchar travels as text).
_COPY_TYPES = [
    {"integer": "int4", "bigint": "int8", "double": "float8", "boolean": "bool"}.get(
        kind.split()[0], "text"
    )
    for kind in _STAGING_COLUMNS.values()
]


def _q(name: str) -> str:
    return connection.ops.quote_name(name)


def _fetch(cursor, sql: str, params: dict) -> tuple:
    cursor.execute(sql, params)
    return cursor.fetchone()


def _copy_staging(cursor, staged: list[StagedRow], progress) -> None:
    cursor.execute(f"DROP TABLE IF EXISTS {IDS}, {STAGING}")
    columns = ", ".join(f"{_q(n)} {kind}" for n, kind in _STAGING_COLUMNS.items())
    cursor.execute(f"CREATE TEMP TABLE {STAGING} ({columns})")
    names = ", ".join(_q(n) for n in _STAGING_COLUMNS)
    total = len(staged)
    # Binary COPY with declared types: psycopg's C dumpers write each cell
    # without looking up a dumper per value (much faster than text COPY;
    # bench/README.md).
    sql = f"COPY {STAGING} ({names}) FROM STDIN (FORMAT BINARY)"
    with cursor.cursor.copy(sql) as copy:
        copy.set_types(_COPY_TYPES)
        for done, row in enumerate(staged, start=1):
            copy.write_row(row)
            if progress and done % _PROGRESS_EVERY == 0:
                progress("copy", done, total)
    if progress:
        progress("copy", total, total)
    # Every column: the merge's filters (covered, result, label) need their
    # statistics too; analysing only the join keys gave nested-loop plans that
    # made a re-import many times slower (bench/README.md).
    cursor.execute(f"ANALYZE {STAGING}")


def _merge_values(cursor, counts: MergeCounts, now) -> None:
    table = _q(IndicatorValue._meta.db_table)
    keys = ", ".join(_q(f) for f in KEY_FIELDS)
    values = ", ".join(_q(f) for f in VALUE_FIELDS)
    compared = [*VALUE_FIELDS, "source"]
    sets = ", ".join(f"{_q(f)} = EXCLUDED.{_q(f)}" for f in compared)
    old = ", ".join(f"t.{_q(f)}" for f in compared)
    new = ", ".join(f"EXCLUDED.{_q(f)}" for f in compared)
    same_key = " AND ".join(f"o.{_q(f)} = s.{_q(f)}" for f in KEY_FIELDS)
    stored = ", ".join(f"o.{_q(f)}" for f in compared)
    staged = ", ".join(f"s.{_q(f)}" for f in VALUE_FIELDS)
    # The NOT EXISTS skips unchanged rows before they reach ON CONFLICT (which
    # would lock each one), so re-importing a file is a read-only join.
    sql = f"""
        WITH merged AS (
            INSERT INTO {table} AS t ({keys}, {values}, published_text, source,
                                      method, row_version, created_at, updated_at)
            SELECT {keys}, {values}, '', %(source)s, %(published)s, 1, %(now)s,
                   %(now)s
            FROM {STAGING} s
            WHERE NOT EXISTS (
                SELECT 1 FROM {table} o
                WHERE {same_key}
                  AND ({stored}) IS NOT DISTINCT FROM ({staged}, %(source)s)
            )
            ON CONFLICT ({keys}) DO UPDATE SET {sets},
                published_text = CASE WHEN t.value IS DISTINCT FROM EXCLUDED.value
                                      THEN '' ELSE t.published_text END,
                method = EXCLUDED.method,
                row_version = t.row_version + 1,
                updated_at = EXCLUDED.updated_at
            WHERE ({old}) IS DISTINCT FROM ({new})
            RETURNING (t.xmax = 0) AS created, t.indicator_id
        )
        SELECT count(*) FILTER (WHERE created), count(*) FILTER (WHERE NOT created),
               coalesce(array_agg(DISTINCT indicator_id), '{{}}')
        FROM merged
    """  # noqa: S608 - identifiers from _meta, values as parameters
    params = {"source": SOURCE, "now": now, "published": PUBLISHED_FIGURES}
    created, updated, touched = _fetch(cursor, sql, params)
    counts.values_created, counts.values_updated = created, updated
    counts.changed_indicator_ids.update(touched)
    on = " AND ".join(f"t.{_q(f)} = s.{_q(f)}" for f in KEY_FIELDS)
    ids = (
        f"CREATE TEMP TABLE {IDS} AS SELECT s.line, t.id AS value_id, t.indicator_id "  # noqa: S608 - as above
        f"FROM {STAGING} s JOIN {table} t ON {on}"
    )
    cursor.execute(ids)
    cursor.execute(f"ANALYZE {IDS}")


def _merge_published(
    cursor,
    *,
    table: str,
    columns: dict[str, str],
    conflict: str,
    where: str,
    extra: dict[str, str],
    now,
) -> tuple[int, int, int, list[int]]:
    """Upsert then delete one kind of published row; (created, updated, deleted)."""
    names = ", ".join(_q(c) for c in [*columns, *extra])
    selected = ", ".join([*columns.values(), *extra.values()])
    sets = ", ".join(f"{_q(c)} = EXCLUDED.{_q(c)}" for c in columns if c != "value_id")
    compared = [c for c in columns if c not in ("value_id", "assessed_at")]
    old = ", ".join(f"t.{_q(c)}" for c in compared)
    new = ", ".join(f"EXCLUDED.{_q(c)}" for c in compared)
    stored = ", ".join(f"o.{_q(c)}" for c in compared)
    staged = ", ".join(columns[c] for c in compared)
    params = {"now": now, "published": Method.PUBLISHED.value}
    sql = f"""
        WITH merged AS (
            INSERT INTO {table} AS t ({names})
            SELECT {selected} FROM {STAGING} s JOIN {IDS} i ON i.line = s.line
            WHERE {where}
              AND NOT EXISTS (
                SELECT 1 FROM {table} o
                WHERE o.value_id = i.value_id
                  AND ({stored}) IS NOT DISTINCT FROM ({staged})
              )
            ON CONFLICT ({conflict}) DO UPDATE SET {sets}
            WHERE ({old}) IS DISTINCT FROM ({new})
            RETURNING (t.xmax = 0) AS created, t.value_id
        )
        SELECT count(*) FILTER (WHERE m.created),
               count(*) FILTER (WHERE NOT m.created),
               coalesce(array_agg(DISTINCT i.indicator_id), '{{}}')
        FROM merged m JOIN {IDS} i ON i.value_id = m.value_id
    """  # noqa: S608 - identifiers from _meta and constants, values as parameters
    created, updated, touched = _fetch(cursor, sql, params)
    return created, updated, touched


def _delete_published(cursor, *, table: str, where: str) -> tuple[int, list[int]]:
    sql = f"""
        WITH gone AS (
            DELETE FROM {table} t USING {STAGING} s, {IDS} i
            WHERE i.line = s.line AND t.value_id = i.value_id
              AND t.method = %(published)s AND {where}
            RETURNING i.indicator_id
        )
        SELECT count(*), coalesce(array_agg(DISTINCT indicator_id), '{{}}') FROM gone
    """  # noqa: S608 - identifiers from _meta and constants, values as parameters
    return _fetch(cursor, sql, {"published": Method.PUBLISHED.value})


def _merge_assessments(cursor, counts: MergeCounts, now) -> None:
    table = _q(Assessment._meta.db_table)
    for b in BENCHMARKS:
        columns = {
            "value_id": "i.value_id",
            "benchmark": f"'{b}'",
            "benchmark_area_id": f"s.{b}_area_id",
            "result": f"s.{b}_result",
            "level": f"s.{b}_level",
            "method": "%(published)s",
            "published_text": f"s.{b}_text",
            "assessed_at": "%(now)s",
        }
        extra = {
            "explanation": "''",
            "disagrees_with_published": "false",
            "reason": "''",
        }
        created, updated, touched = _merge_published(
            cursor,
            table=table,
            columns=columns,
            conflict="value_id, benchmark, method",
            where=f"s.{b}_covered AND s.{b}_result IS NOT NULL",
            extra=extra,
            now=now,
        )
        deleted, gone = _delete_published(
            cursor,
            table=table,
            where=f"t.benchmark = '{b}' AND s.{b}_covered AND s.{b}_result IS NULL",
        )
        counts.assessments_created += created
        counts.assessments_updated += updated
        counts.assessments_deleted += deleted
        counts.changed_indicator_ids.update(touched, gone)


def _merge_trends(cursor, counts: MergeCounts, now) -> None:
    table = _q(Trend._meta.db_table)
    created, updated, touched = _merge_published(
        cursor,
        table=table,
        columns={
            "value_id": "i.value_id",
            "label": "s.trend_label",
            "method": "%(published)s",
            "published_text": "s.trend_text",
            "assessed_at": "%(now)s",
        },
        conflict="value_id, method",
        where="s.trend_label IS NOT NULL",
        extra={
            "explanation": "''",
            "disagrees_with_published": "false",
            "reason": "''",
        },
        now=now,
    )
    deleted, gone = _delete_published(
        cursor, table=table, where="s.trend_label IS NULL"
    )
    counts.trends_created, counts.trends_updated = created, updated
    counts.trends_deleted = deleted
    counts.changed_indicator_ids.update(touched, gone)


def rows_merge_postgres(
    staged: list[StagedRow], *, progress: ProgressCallback | None = None
) -> MergeCounts:
    """Merge values, published assessments and published trends; return counts.

    Must run inside a transaction (the caller's ``atomic``); the TEMP tables are
    dropped before returning.
    """
    now = timezone.now()
    counts = MergeCounts()
    with connection.cursor() as cursor:
        _copy_staging(cursor, staged, progress)
        _merge_values(cursor, counts, now)
        if progress:
            progress("write", 1, 3)
        _merge_assessments(cursor, counts, now)
        if progress:
            progress("write", 2, 3)
        _merge_trends(cursor, counts, now)
        if progress:
            progress("write", 3, 3)
        cursor.execute(f"DROP TABLE IF EXISTS {IDS}, {STAGING}")
    counts.values_unchanged = (
        len(staged) - counts.values_created - counts.values_updated
    )
    return counts
