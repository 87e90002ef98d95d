"""The workplan status rule: draft → consultation → signed off → closed.

Every status change a person makes goes through here, directly
(:func:`workplan_status_change`) or through
:func:`workstreams.services.workplan_update`; only loaders, recording a
programme as published, set a status without it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from marmot.services import (
    StateConflict,
    record_upsert,
    row_lock,
    row_version_claim,
)
from workstreams import rules
from workstreams.models import Workplan

Status = Workplan.Status

STATUS_WORDS = {
    Status.DRAFT: "draft",
    Status.CONSULTATION: "consultation",
    Status.SIGNED_OFF: "signed off",
    Status.CLOSED: "closed",
}
# (from, to): None for anyone who may edit the workstream, or the rule that
# must also allow it.
WORKPLAN_TRANSITIONS = {
    (Status.DRAFT, Status.CONSULTATION): None,
    (Status.CONSULTATION, Status.DRAFT): None,
    (Status.CONSULTATION, Status.SIGNED_OFF): None,
    (Status.SIGNED_OFF, Status.CLOSED): None,
    (Status.SIGNED_OFF, Status.DRAFT): rules.can_reopen_workplan,
}
_ONLY = {
    (Status.DRAFT, Status.SIGNED_OFF): "after consultation: move it to "
    "consultation first",
    (Status.SIGNED_OFF, Status.DRAFT): "when an officer reopens it",
    (Status.SIGNED_OFF, Status.CONSULTATION): "by an officer reopening it as a "
    "draft first",
}


class PublishedRecordError(StateConflict):
    """A change the published-record rule refuses (``rules.workplan_open`` and
    friends, ADR 22): the state of the record, not the request, is the
    problem. A ValidationError, so forms and the admin show it as one; the API
    answers 409 Conflict."""


def record_open_check(workplan: Workplan, what: str) -> None:
    """Refuse ``what`` (e.g. "add an action") on a closed workplan."""
    if not rules.workplan_open(workplan):
        raise PublishedRecordError(
            f"The {workplan.year_label} workplan is closed: its record is final, "
            f"so you cannot {what}."
        )


def action_open_check(action, what: str) -> None:
    """Refuse ``what`` on an archived action or one of a closed workplan."""
    record_open_check(action.workplan, what)
    if action.archived_at is not None:
        day = timezone.localdate(action.archived_at)
        raise PublishedRecordError(
            f"“{action.title}” was archived on {day.day} {day:%B %Y}: its record "
            f"is kept as it was, so you cannot {what}."
        )


def _refusal(current: str, status: str) -> str:
    start, end = STATUS_WORDS[current], STATUS_WORDS[status]
    moving = f"A workplan can move from {start} to {end}"
    if (current, status) in _ONLY:
        return f"{moving} only {_ONLY[current, status]}."
    if current == Status.CLOSED:
        return (
            f"A workplan cannot move from {start} to {end}: a closed workplan is "
            "final, and its record is kept as it was (ADR 22)."
        )
    if status == Status.CLOSED:
        return f"{moving} only once it has been signed off."
    return f"{moving} only through the steps draft, consultation, signed off."


def sign_off_date_check(signed_off_on: dt.date | None) -> None:
    today = timezone.localdate()
    if signed_off_on is not None and signed_off_on > today:
        raise ValidationError(
            {"signed_off_on": f"A sign-off date cannot be in the future ({today})."}
        )


def status_move(
    *,
    workplan: Workplan,
    status: str,
    user,
    signed_off_on: dt.date | None,
    signed_off_at: str | None,
) -> dict[str, Any]:
    """Check a status change against the rule; return the fields it sets."""
    current = workplan.status
    if status not in Status.values:
        raise ValidationError({"status": f'"{status}" is not a workplan status.'})
    # The workplan's status refuses the move, whoever asks: a conflict of
    # state (409 in the API), not a mistake in the request.
    if status == current:
        raise StateConflict(
            {"status": f"The workplan is already {STATUS_WORDS[current]}."}
        )
    if (current, status) not in WORKPLAN_TRANSITIONS:
        raise StateConflict({"status": _refusal(current, status)})
    needs = WORKPLAN_TRANSITIONS[current, status]
    if needs is not None and not needs(user):
        raise ValidationError({"status": _refusal(current, status)})
    if status != Status.SIGNED_OFF:
        if signed_off_on is not None:
            raise ValidationError(
                {"signed_off_on": "Only signing a workplan off takes a date."}
            )
        if status == Status.DRAFT:  # reopened: no longer signed off
            return {"status": status, "signed_off_on": None, "signed_off_at": ""}
        return {"status": status}
    if signed_off_on is None:
        raise ValidationError(
            {"signed_off_on": "Give the date the workplan was signed off."}
        )
    sign_off_date_check(signed_off_on)
    return {
        "status": status,
        "signed_off_on": signed_off_on,
        "signed_off_at": signed_off_at or "",
    }


def workplan_lock(workplan: Workplan, expected_row_version: int | None) -> Workplan:
    """The workplan, locked, if still at ``expected_row_version`` (if given)."""
    row_version_claim(model=Workplan, pk=workplan.pk, expected=expected_row_version)
    return row_lock(workplan)


@transaction.atomic
def workplan_status_change(
    *,
    workplan: Workplan,
    status: str,
    user=None,
    signed_off_on: dt.date | None = None,
    signed_off_at: str = "",
    expected_row_version: int | None = None,
) -> Workplan:
    """Move a workplan along its life: the one rule for every status change.

    Allowed: draft → consultation; consultation → draft; consultation →
    signed off, with ``signed_off_on`` (not in the future) and
    ``signed_off_at``, the meeting or body that agreed it (e.g. "the Health
    and Wellbeing Board"); signed off → closed at the end of its year; signed
    off → draft only for officers (``rules.can_reopen_workplan``), which clears
    the sign-off. Anything else raises ValidationError on ``status`` saying why.
    With ``expected_row_version`` a concurrent change raises StaleRowVersion.
    """
    workplan = workplan_lock(workplan, expected_row_version)
    values = status_move(
        workplan=workplan,
        status=status,
        user=user,
        signed_off_on=signed_off_on,
        signed_off_at=signed_off_at,
    )
    workplan, _ = record_upsert(
        model=Workplan, lookup={"pk": workplan.pk}, values=values
    )
    return workplan
