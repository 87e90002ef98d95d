"""The changes page as CSV rows: the same changes, one row each, every cell
made safe to open in a spreadsheet (no formulas)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from django.utils import timezone

from workstreams.page_selectors.changes import (
    ChangesPage,
    rag_label,
    status_label,
)
from workstreams.page_selectors.changes_measures import assessment_words

HEADER = ("Section", "Workstream", "Item", "Change", "From", "To", "Who", "When")
#: A cell starting with one of these could run as a spreadsheet formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(cell) -> str:
    """The cell as text, with a leading single quote if a spreadsheet could
    read it as a formula (CSV injection)."""
    text = "" if cell is None else str(cell)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def when(moment: dt.datetime | dt.date) -> str:
    if isinstance(moment, dt.datetime):
        return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")
    return moment.isoformat()


def _rows(page: ChangesPage) -> Iterator[tuple]:
    for group in page.actions:
        for change in group.rows:
            yield (
                "Actions",
                group.name,
                change.title,
                change.label,
                change.before_label,
                change.after_label,
                change.who,
                when(change.when),
            )
    for group in page.updates:
        for update in group.rows:
            left = status_label(update.status)
            if update.rag:
                left += f", {rag_label(update.rag)}"
            yield (
                "Progress updates",
                group.name,
                update.action.title,
                f"Progress update: {update.text}",
                "",
                left,
                page.person(update.author),
                when(update.created_at),
            )
    for new in page.new_values:
        value = new.value
        national = (
            assessment_words(new.national.result, page.national_name)
            if new.national
            else ""
        )
        yield (
            "Outcome measures",
            "",
            f"{value.indicator.name} ({value.period.label})",
            "New value",
            "",
            f"{new.value_text}; {national}" if national else new.value_text,
            "",
            when(value.created_at),
        )
    for change in page.assessments:
        value = change.value
        yield (
            "Outcome measures",
            "",
            f"{value.indicator.name} ({value.period.label})",
            f"Assessment against {change.benchmark_name} changed",
            change.before_words,
            change.after_words,
            change.who,
            when(change.when),
        )
    for group in page.submissions:
        for submission in group.rows:
            yield (
                "Partner submissions",
                group.name,
                f"{submission.title} ({submission.organisation.name})",
                "New submission",
                "",
                submission.get_status_display(),
                page.person(submission.submitted_by),
                when(submission.created_at),
            )


def csv_rows(page: ChangesPage) -> Iterator[list[str]]:
    """The header, then one row per change, every cell made safe."""
    yield list(HEADER)
    for row in _rows(page):
        yield [csv_safe(cell) for cell in row]
