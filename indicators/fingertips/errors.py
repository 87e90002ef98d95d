"""Problems found in a Fingertips file, each tied to a line and a column."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from indicators.import_limits import MAX_LISTED_PROBLEMS, Problems, more_line

MAX_LISTED_ERRORS = MAX_LISTED_PROBLEMS


@dataclass(frozen=True, order=True)
class RowError:
    """One problem: the 1-based line of the file (None: the whole file), the
    column it is in (None: the whole line) and what is wrong."""

    line: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = []
        if self.line is not None:
            where.append(f"line {self.line}")
        if self.column:
            where.append(f"column {self.column!r}")
        prefix = ", ".join(where) or "file"
        return f"{prefix}: {self.message}"

    def as_dict(self) -> dict:
        return {"line": self.line, "column": self.column, "message": self.message}


def _sort_key(error: RowError) -> tuple[int, str]:
    return (error.line if error.line is not None else -1, error.column or "")


def errors_sorted(errors: Iterable[RowError]) -> list[RowError]:
    """File-level problems first, then by line and column (a
    :class:`~indicators.import_limits.Problems` stays one, with its count)."""
    ordered = sorted(errors, key=_sort_key)
    if isinstance(errors, Problems):
        kept = Problems(ordered, limit=errors.limit)
        kept.total = errors.total
        return kept
    return ordered


def errors_format(
    errors: Iterable[RowError], *, limit: int = MAX_LISTED_ERRORS
) -> list[str]:
    """Readable lines, at most ``limit`` of them plus "…and N more" (a
    :class:`~indicators.import_limits.Problems` counts more than it keeps)."""
    total = errors.total if isinstance(errors, Problems) else None
    ordered = errors_sorted(errors)
    total = len(ordered) if total is None else total
    lines = [str(e) for e in ordered[:limit]]
    if total > len(lines):
        lines.append(more_line(total - len(lines), total))
    return lines
