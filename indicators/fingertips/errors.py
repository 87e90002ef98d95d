"""Problems found in a Fingertips file, each tied to a line and a column."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

MAX_LISTED_ERRORS = 200


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
    """File-level problems first, then by line and column."""
    return sorted(errors, key=_sort_key)


def errors_format(
    errors: Iterable[RowError], *, limit: int = MAX_LISTED_ERRORS
) -> list[str]:
    """Readable lines, at most ``limit`` of them plus "…and N more"."""
    ordered = errors_sorted(errors)
    lines = [str(e) for e in ordered[:limit]]
    if len(ordered) > limit:
        lines.append(f"…and {len(ordered) - limit} more")
    return lines
