"""Actions as CSV rows: the one column definition of an actions download
(``GET /api/v1/actions/?format=csv``, issue 18). The site has no actions
download of its own; one added later uses these columns.

One row per action in the order asked for, the same fields the JSON gives
(nobody's account is named: the lead contact is the text the action shows,
ADR 26). Text cells a spreadsheet would run as a formula get a leading ``'``,
as the changes download does (:func:`workstreams.page_selectors.changes_csv.csv_safe`).
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable, Iterator

from marmot.api.renderers import Echo
from workstreams.models import Action
from workstreams.page_selectors.changes_csv import csv_safe
from workstreams.page_selectors.milestones import action_percent


def _day(value) -> str:
    return value.isoformat() if value else ""


def _percent(action: Action) -> str:
    shown = action_percent(action, list(action.milestones.all()))
    return "" if shown.value is None else str(shown.value)


#: (heading, the cell of one action), in order.
COLUMNS: list[tuple[str, Callable[[Action], object]]] = [
    ("ID", lambda a: a.pk),
    ("Workstream", lambda a: a.workplan.workstream.name),
    ("Workstream slug", lambda a: a.workplan.workstream.slug),
    ("Workplan", lambda a: a.workplan.year_label),
    ("Priority", lambda a: a.priority.title if a.priority else ""),
    ("Title", lambda a: a.title),
    ("Description", lambda a: a.description),
    (
        "Lead organisation",
        lambda a: a.lead_organisation.name if a.lead_organisation else "",
    ),
    ("Lead contact", lambda a: a.lead_person),
    ("Status", lambda a: a.get_status_display()),
    ("Status (code)", lambda a: a.status),
    ("RAG", lambda a: a.get_rag_display()),
    ("RAG (code)", lambda a: a.rag),
    ("Next step", lambda a: "yes" if a.is_next_step else "no"),
    ("Start date", lambda a: _day(a.start_date)),
    ("Due date", lambda a: _day(a.due_date)),
    ("Completed on", lambda a: _day(a.completed_on)),
    ("% complete", _percent),
    (
        "Principles",
        lambda a: "; ".join(str(p.number) for p in a.principles.all()),
    ),
    ("Source", lambda a: a.get_source_display()),
    ("Archived", lambda a: "yes" if a.archived_at else "no"),
    ("Updated", lambda a: a.updated_at.isoformat()),
]
HEADER = [heading for heading, _ in COLUMNS]


def action_csv_lines(actions: Iterable[Action]) -> Iterator[str]:
    """The header, then one line per action (with its workplan, workstream,
    priority, lead organisation, principles and milestones loaded)."""
    writer = csv.writer(Echo())
    yield writer.writerow(HEADER)
    for action in actions:
        yield writer.writerow([csv_safe(cell(action)) for _, cell in COLUMNS])
