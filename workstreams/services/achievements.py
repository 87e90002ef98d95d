"""Services for the programme as a whole: system programmes and their
deliverables, the programme's next steps, its timeline and its evaluation.

Upserts save only when something changed (a reload writes nothing); each takes
only the fields it is given for an existing row, so a reload keeps what an
officer set in the admin for the keys the data file leaves out.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from marmot.services import record_upsert
from workstreams.models import (
    EvaluationFinding,
    ProgrammeAction,
    ProgrammeMilestone,
    SystemProgramme,
)

PROGRAMME_ACTION_FIELDS = (
    "status",
    "rag",
    "lead_organisation",
    "lead_person",
    "progress_note",
    "due_date",
    "due_label",
    "completed_on",
    "position",
)


@transaction.atomic
def system_programme_upsert(
    *, slug: str, name: str, description: str = "", display_order: int = 0
) -> SystemProgramme:
    """Create or update a system programme, keyed by its slug."""
    programme, _ = record_upsert(
        model=SystemProgramme,
        lookup={"slug": slug},
        values={
            "name": name,
            "description": description,
            "display_order": display_order,
        },
    )
    return programme


def _programme_action_values(fields: dict[str, Any]) -> dict[str, Any]:
    unknown = set(fields) - set(PROGRAMME_ACTION_FIELDS)
    if unknown:
        raise TypeError(f"Unknown programme action fields: {sorted(unknown)}")
    values = dict(fields)
    # Completing sets the date only when given; leaving "completed" clears it.
    if values.get("status") not in (None, ProgrammeAction.Status.COMPLETED):
        values.setdefault("completed_on", None)
    return values


@transaction.atomic
def programme_action_upsert(
    *,
    kind: str,
    title: str,
    programme: SystemProgramme | None = None,
    **fields: Any,
) -> ProgrammeAction:
    """Create or update a deliverable (of ``programme``) or a next step of the
    whole programme, keyed by its kind and title. Only the ``fields`` given
    change an existing row (``PROGRAMME_ACTION_FIELDS``)."""
    action, _ = record_upsert(
        model=ProgrammeAction,
        lookup={"kind": kind, "title": title},
        values={"programme": programme, **_programme_action_values(fields)},
    )
    return action


@transaction.atomic
def programme_action_update(
    *, programme_action: ProgrammeAction, **changes: Any
) -> ProgrammeAction:
    """Change a deliverable's or next step's tracking: status, RAG, lead,
    progress note, dates (what officers edit in the admin)."""
    extra = {k: changes.pop(k) for k in ("title", "programme", "kind") if k in changes}
    values = {**extra, **_programme_action_values(changes)}
    action, _ = record_upsert(
        model=ProgrammeAction, lookup={"pk": programme_action.pk}, values=values
    )
    return action


@transaction.atomic
def programme_milestone_upsert(
    *,
    label: str,
    starts_on: dt.date,
    precision: str,
    items: list[str] | str,
    ends_on: dt.date | None = None,
    is_highlight: bool = False,
) -> ProgrammeMilestone:
    """Create or update a row of the programme's timeline, keyed by its label
    as published; ``items`` one per line (or a list of them)."""
    if not isinstance(items, str):
        items = "\n".join(items)
    milestone, _ = record_upsert(
        model=ProgrammeMilestone,
        lookup={"label": label},
        values={
            "starts_on": starts_on,
            "ends_on": ends_on,
            "precision": precision,
            "items": items,
            "is_highlight": is_highlight,
        },
    )
    return milestone


@transaction.atomic
def evaluation_finding_upsert(
    *, kind: str, text: str, position: int = 0, details: list[str] | str = ""
) -> EvaluationFinding:
    """Create or update an aim, opportunity or challenge of the evaluation,
    keyed by its kind and text as published."""
    if not isinstance(details, str):
        details = "\n".join(details)
    finding, _ = record_upsert(
        model=EvaluationFinding,
        lookup={"kind": kind, "text": text},
        values={"position": position, "details": details},
    )
    return finding
