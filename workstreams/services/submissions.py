"""Services for partner submissions: proposed actions and the chair's decision."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from workstreams.models import (
    Action,
    LogicModelItem,
    MarmotPrinciple,
    Organisation,
    Recommendation,
    Submission,
    Workplan,
    Workstream,
)
from workstreams.services.actions import action_create
from workstreams.services.common import m2m_set

DECIDED = (Submission.Status.ACCEPTED, Submission.Status.REJECTED)


@transaction.atomic
def submission_create(
    *,
    organisation: Organisation,
    submitted_by,
    workstream: Workstream,
    title: str,
    description: str,
    lead_contact: str,
    start_date: dt.date | None = None,
    end_date: dt.date | None = None,
    evidence_url: str = "",
    supports_activity: LogicModelItem | None = None,
    supports_recommendation: Recommendation | None = None,
    principles: Iterable[MarmotPrinciple] | None = None,
) -> Submission:
    """A partner proposes an action for a workstream, on its organisation's behalf.

    The activity supported must be an activity of that workstream's logic model.
    """
    if supports_activity is not None and (
        supports_activity.kind != LogicModelItem.Kind.ACTIVITY
        or supports_activity.logic_model.workstream_id != workstream.pk
    ):
        raise ValidationError(
            {"supports_activity": "Choose an activity of this workstream."}
        )
    if evidence_url and not evidence_url.lower().startswith(("http://", "https://")):
        raise ValidationError({"evidence_url": "Use an http or https address."})
    submission = Submission(
        organisation=organisation,
        submitted_by=submitted_by,
        workstream=workstream,
        title=title,
        description=description,
        lead_contact=lead_contact,
        start_date=start_date,
        end_date=end_date,
        evidence_url=evidence_url,
        supports_activity=supports_activity,
        supports_recommendation=supports_recommendation,
    )
    submission.full_clean()
    submission.save()
    m2m_set(submission.principles, principles)
    return submission


def _lock_undecided(submission: Submission) -> Submission:
    """Re-read the submission under a row lock; refuse one already decided."""
    locked = Submission.objects.select_for_update().get(pk=submission.pk)
    if locked.status in DECIDED:
        raise ValidationError(
            f"This submission was already {locked.get_status_display().lower()}; "
            "a decision cannot be changed."
        )
    return locked


def _decide(submission: Submission, *, status: str, user, reason: str, action=None):
    submission.status = status
    submission.decision_reason = reason
    submission.decided_by = user
    submission.decided_at = timezone.now()
    submission.action = action
    submission.row_version += 1
    submission.full_clean()
    submission.save()
    return submission


def _current_workplan(workstream_id: int) -> Workplan:
    workplan = (
        Workplan.objects.filter(workstream_id=workstream_id)
        .exclude(status=Workplan.Status.CLOSED)
        .order_by("-starts_on")
        .first()
    )
    if workplan is None:
        raise ValidationError(
            {"workplan": "The workstream has no open workplan to add the action to."}
        )
    return workplan


@transaction.atomic
def submission_accept(
    *, submission: Submission, user, workplan: Workplan | None = None
) -> Submission:
    """Accept a submission: it becomes an action in the workstream's workplan.

    By default the current workplan (the latest one not closed). The action is
    led by the submitting organisation, carries its principles and the
    activity and recommendation it supports, and is marked as a partner
    submission.
    """
    locked = _lock_undecided(submission)
    if workplan is None:
        workplan = _current_workplan(locked.workstream_id)
    elif workplan.workstream_id != locked.workstream_id:
        raise ValidationError(
            {"workplan": "Choose a workplan of the submission's workstream."}
        )
    activity = locked.supports_activity
    recommendation = locked.supports_recommendation
    action = action_create(
        workplan=workplan,
        title=locked.title,
        description=locked.description,
        lead_organisation=locked.organisation,
        lead_person=locked.lead_contact,
        start_date=locked.start_date,
        due_date=locked.end_date,
        source=Action.Source.PARTNER_SUBMISSION,
        activities=[activity] if activity else [],
        recommendations=[recommendation] if recommendation else [],
        principles=list(locked.principles.all()),
    )
    return _decide(
        locked, status=Submission.Status.ACCEPTED, user=user, reason="", action=action
    )


def _require_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Give the partner a reason."})
    return reason


@transaction.atomic
def submission_reject(*, submission: Submission, user, reason: str) -> Submission:
    """Reject a submission, telling the partner why."""
    reason = _require_reason(reason)
    locked = _lock_undecided(submission)
    return _decide(locked, status=Submission.Status.REJECTED, user=user, reason=reason)


@transaction.atomic
def submission_request_info(*, submission: Submission, user, reason: str) -> Submission:
    """Ask the partner for more information before deciding."""
    reason = _require_reason(reason)
    locked = _lock_undecided(submission)
    return _decide(locked, status=Submission.Status.MORE_INFO, user=user, reason=reason)
