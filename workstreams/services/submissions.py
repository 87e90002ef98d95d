"""Services for partner submissions: proposed actions, the partner's edits and
resubmissions, and the chair's decision.

Every entry point (site, admin, API) goes through these, so they all send the
same emails: a new submission or a resubmission tells the workstream's chair
and deputies (with a link to the moderation queue); a decision tells the
person who submitted (with the status, the reason and a link to the
submission). Emails go once the transaction commits (`mail_send_on_commit`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from indicators.models import MarmotPrinciple
from marmot.services import (
    StaleRowVersion,
    StateConflict,
    m2m_set,
    row_version_claim,
)
from marmot.site.mail import absolute_url, mail_send_on_commit
from workstreams import rules
from workstreams.models import (
    Action,
    LogicModelItem,
    Organisation,
    Recommendation,
    Submission,
    SubmissionMessage,
    Workplan,
    Workstream,
)
from workstreams.services.actions import action_create

DECIDED = (Submission.Status.ACCEPTED, Submission.Status.REJECTED)
OPEN = (Submission.Status.SUBMITTED, Submission.Status.MORE_INFO)
STALE_CODE = "stale"
CONFLICT_CODE = "conflict"  # the API answers 409 (marmot.api.errors)
STALE_MESSAGE = (
    "Someone else changed this submission since you opened it. Its current "
    "details are shown below; make your changes again."
)
SUBMISSION_UPDATE_FIELDS = (
    "workstream",
    "title",
    "description",
    "start_date",
    "end_date",
    "lead_contact",
    "evidence_url",
    "supports_activity",
    "supports_recommendation",
)


class SubmissionConflict(StateConflict):
    """The submission was decided, or moved to another workstream, since the
    caller read it: nothing is written. A ValidationError (forms show its
    message) with the code ``"conflict"``, which the API answers with 409."""

    def __init__(self, message: str):
        super().__init__(message, code=CONFLICT_CODE)


def _lock(submission: Submission) -> Submission:
    """The submission re-read under a row lock (FOR UPDATE) until the
    transaction ends, so the checks that follow hold until it is written."""
    # The lock is taken without joins: on PostgreSQL a row updated by the
    # transaction we waited for is re-checked against the joined rows read
    # before the wait, so a submission moved to another workstream would
    # vanish from a joined query (the `Submission.DoesNotExist` of issue 14).
    # Once locked, the row and what it links to are read afresh.
    locking = Submission.objects.select_for_update().filter(pk=submission.pk)
    if not list(locking.values_list("pk", flat=True)):
        raise SubmissionConflict("This submission no longer exists.")
    return Submission.objects.select_related(
        "submitted_by", "workstream", "organisation"
    ).get(pk=submission.pk)


# --- emails ------------------------------------------------------------------


def workstream_chairs_emails(workstream: Workstream) -> list[str]:
    """The workstream's chair and deputies (whoever has an address)."""
    addresses = [workstream.chair.email] if workstream.chair_id else []
    addresses += workstream.deputies.values_list("email", flat=True)
    return addresses


def _tell_chairs(submission: Submission, *, template: str, reply: str = "") -> None:
    workstream = submission.workstream
    mail_send_on_commit(
        to=workstream_chairs_emails(workstream),
        template=template,
        context={
            "submission": submission,
            "reply": reply,
            "organisation": submission.organisation.name,
            "workstream": workstream.name,
            "queue_url": absolute_url(
                reverse("submission-queue", args=[workstream.slug])
            ),
            "submission_url": absolute_url(
                reverse("submission-detail", args=[submission.pk])
            ),
        },
    )


def _tell_submitter(submission: Submission) -> None:
    action = submission.action
    mail_send_on_commit(
        to=[submission.submitted_by.email],
        template="submission_decision",
        context={
            "submission": submission,
            "status": submission.status,
            "status_label": submission.get_status_display(),
            "reason": submission.decision_reason,
            "workstream": submission.workstream.name,
            "workplan": action.workplan.year_label if action else "",
            "submission_url": absolute_url(
                reverse("submission-detail", args=[submission.pk])
            ),
        },
    )


# --- checks shared by create and update ---------------------------------------


def _check_links(
    *,
    workstream: Workstream,
    supports_activity: LogicModelItem | None,
    evidence_url: str,
) -> None:
    """The activity must be one of the workstream's; evidence an http(s) link."""
    errors = {}
    if supports_activity is not None and (
        supports_activity.kind != LogicModelItem.Kind.ACTIVITY
        or supports_activity.logic_model.workstream_id != workstream.pk
    ):
        errors["supports_activity"] = (
            f"Choose an activity of the {workstream.name} workstream, or none."
        )
    if evidence_url and not evidence_url.lower().startswith(("http://", "https://")):
        errors["evidence_url"] = (
            "Enter a link that starts with http:// or https://, or leave it blank."
        )
    if errors:
        raise ValidationError(errors)


def submission_check(
    *,
    workstream: Workstream,
    supports_activity: LogicModelItem | None,
    evidence_url: str,
) -> None:
    """What `submission_create` checks of the links before saving, for a
    form that shows the answers before sending (ValidationError by field)."""
    _check_links(
        workstream=workstream,
        supports_activity=supports_activity,
        evidence_url=evidence_url,
    )


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
    The workstream's chair and deputies are emailed a link to their queue.
    """
    _check_links(
        workstream=workstream,
        supports_activity=supports_activity,
        evidence_url=evidence_url,
    )
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
    _tell_chairs(submission, template="submission_new")
    return submission


@transaction.atomic
def submission_update(
    *,
    submission: Submission,
    user,
    expected_row_version: int | None = None,
    principles: Iterable[MarmotPrinciple] | None = None,
    reply: str = "",
    **changes: Any,
) -> Submission:
    """The submitting organisation's partner (or an officer) changes a
    submission not yet decided (``SUBMISSION_UPDATE_FIELDS`` and principles).

    One asked for more information goes back to "submitted": a resubmission,
    which (like moving it to another workstream) emails the chairs again. The
    earlier decision's reason is kept so the chair sees what they asked.
    ``row_version`` is bumped; with ``expected_row_version`` a copy changed by
    someone else since is refused (ValidationError, code ``"stale"``).
    Anyone else is refused with PermissionDenied. A ``reply`` (the
    partner's answer to the chair) is added to the submission's conversation
    as a reply; the description is never overwritten by it.
    """
    unknown = set(changes) - set(SUBMISSION_UPDATE_FIELDS)
    if unknown:
        raise TypeError(
            f"submission_update() cannot change {', '.join(sorted(unknown))}"
        )
    # Lock first, then check, so a chair's decision taken meanwhile is seen
    # (a decided submission is a conflict, not a stale copy).
    locked = _lock(submission)
    if not rules.submits_for(user, locked):
        raise PermissionDenied(
            f"Only {locked.organisation.name}'s partners can change this submission."
        )
    if locked.status in DECIDED:
        raise SubmissionConflict(
            f"This submission was already {locked.get_status_display().lower()}; "
            "it can no longer be changed."
        )
    try:
        row_version_claim(
            model=Submission, pk=submission.pk, expected=expected_row_version
        )
    except StaleRowVersion:
        raise ValidationError(STALE_MESSAGE, code=STALE_CODE) from None
    resubmitted = locked.status == Submission.Status.MORE_INFO
    old_workstream_id = locked.workstream_id
    for name, value in changes.items():
        setattr(locked, name, value)
    _check_links(
        workstream=locked.workstream,
        supports_activity=locked.supports_activity,
        evidence_url=locked.evidence_url,
    )
    locked.status = Submission.Status.SUBMITTED
    locked.row_version += 1
    locked.full_clean()
    locked.save()
    m2m_set(locked.principles, principles)
    reply = (reply or "").strip()
    if reply:
        _message_add(locked, author=user, kind=SubmissionMessage.Kind.REPLY, body=reply)
    if resubmitted:
        _tell_chairs(locked, template="submission_resubmitted", reply=reply)
    elif locked.workstream_id != old_workstream_id:
        _tell_chairs(locked, template="submission_new")
    return locked


# --- decisions ----------------------------------------------------------------


def _lock_undecided(submission: Submission, *, user) -> Submission:
    """Re-read the submission under a row lock, then check what the caller
    checked before it: refuse one already decided or moved to another
    workstream since ``submission`` was read (`SubmissionConflict`), and a
    user who may not decide it now (PermissionDenied)."""
    locked = _lock(submission)
    if locked.status in DECIDED:
        raise SubmissionConflict(
            f"This submission was already {locked.get_status_display().lower()}; "
            "a decision cannot be changed."
        )
    if locked.workstream_id != submission.workstream_id:
        raise SubmissionConflict(
            f"This submission was moved to the {locked.workstream.name} workstream "
            "since you opened it; it is no longer in this queue."
        )
    if not rules.can_decide_submission(user, locked):
        raise PermissionDenied(
            f"Only the {locked.workstream.name} workstream's chairs decide this "
            "submission."
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
    _tell_submitter(submission)
    return submission


def submission_workplan(*, workstream_id: int) -> Workplan:
    """The workplan an accepted submission goes into by default: the latest
    one of the workstream that is not closed (ValidationError when none)."""
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


def submission_accept_check(
    *, submission: Submission, workplan: Workplan | None = None
) -> Workplan:
    """What `submission_accept` checks before writing anything: the workplan
    (default or chosen) is open and of the submission's workstream, and has no
    action of the same title. Returns the workplan; forms call it to show the
    problem before saving."""
    if workplan is None:
        workplan = submission_workplan(workstream_id=submission.workstream_id)
    elif workplan.workstream_id != submission.workstream_id:
        raise ValidationError(
            {"workplan": "Choose a workplan of the submission's workstream."}
        )
    elif workplan.status == Workplan.Status.CLOSED:
        raise ValidationError({"workplan": "Choose a workplan that is not closed."})
    if Action.objects.filter(workplan=workplan, title=submission.title).exists():
        raise ValidationError(
            {
                "workplan": f"The {workplan.year_label} workplan already has an "
                f"action called “{submission.title}”."
            }
        )
    return workplan


def submission_outside_plan(
    *, submission: Submission, workplan: Workplan
) -> str | None:
    """Why accepting ``submission`` into ``workplan`` needs confirming: the
    warning when its start or end date falls outside the workplan's dates,
    else None."""
    starts, ends = workplan.starts_on, workplan.ends_on
    outside = [
        day
        for day in (submission.start_date, submission.end_date)
        if day is not None and ((starts and day < starts) or (ends and day > ends))
    ]
    if not outside:
        return None
    proposed = _dates(submission.start_date, submission.end_date)
    return (
        f"The submission's dates ({proposed}) "
        f"fall outside the {workplan.year_label} workplan "
        f"({_dates(starts, ends)}). Confirm that it should go into this workplan."
    )


def _dates(start: dt.date | None, end: dt.date | None) -> str:
    def day(value):
        return f"{value.day} {value:%B %Y}" if value else "not given"

    return f"{day(start)} to {day(end)}"


OUTSIDE_PLAN_CODE = "outside_plan"


@transaction.atomic
def submission_accept(
    *,
    submission: Submission,
    user,
    workplan: Workplan | None = None,
    confirm_outside_plan: bool = False,
) -> Submission:
    """Accept a submission: it becomes an action in the workstream's workplan.

    By default the current workplan (the latest one not closed). The action is
    led by the submitting organisation (its lead user, who gets reminders, is
    the partner who submitted it), carries its principles and the
    activity and recommendation it supports, and is marked as a partner
    submission. The submitter is emailed.

    When the submission's dates fall outside the workplan's, nothing is
    written unless ``confirm_outside_plan`` (a `StateConflict` on the field
    ``confirm_outside_plan``: a form error on the site, a 409 in the API).
    """
    locked = _lock_undecided(submission, user=user)
    workplan = submission_accept_check(submission=locked, workplan=workplan)
    warning = submission_outside_plan(submission=locked, workplan=workplan)
    if warning and not confirm_outside_plan:
        raise StateConflict(
            {"confirm_outside_plan": ValidationError(warning, code=OUTSIDE_PLAN_CODE)}
        )
    activity = locked.supports_activity
    recommendation = locked.supports_recommendation
    action = action_create(
        workplan=workplan,
        title=locked.title,
        description=locked.description,
        lead_organisation=locked.organisation,
        lead_person=locked.lead_contact,
        lead_user=locked.submitted_by,  # reminders go to the partner who proposed it
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
    """Reject a submission, telling the partner why (by email too)."""
    reason = _require_reason(reason)
    locked = _lock_undecided(submission, user=user)
    return _decide(locked, status=Submission.Status.REJECTED, user=user, reason=reason)


@transaction.atomic
def submission_request_info(*, submission: Submission, user, reason: str) -> Submission:
    """Ask the partner for more information before deciding (by email too);
    they edit and resubmit (`submission_update`)."""
    reason = _require_reason(reason)
    locked = _lock_undecided(submission, user=user)
    _message_add(locked, author=user, kind=SubmissionMessage.Kind.REQUEST, body=reason)
    return _decide(locked, status=Submission.Status.MORE_INFO, user=user, reason=reason)


# --- the conversation (ADR 36) --------------------------------------------------


def _message_add(
    submission: Submission, *, author, kind: str, body: str
) -> SubmissionMessage:
    message = SubmissionMessage(
        submission=submission, author=author, kind=kind, body=body
    )
    message.full_clean()
    message.save()
    return message


def submission_message_kind(*, submission: Submission, user) -> str:
    """The kind of a message ``user`` posts on ``submission``'s thread: the
    submitting organisation's partner replies; a chair or officer notes."""
    if rules.can_decide_submission(user, submission):
        return SubmissionMessage.Kind.NOTE
    return SubmissionMessage.Kind.REPLY


@transaction.atomic
def submission_message_post(
    *, submission: Submission, user, body: str
) -> SubmissionMessage:
    """Add a message to an undecided submission's conversation without
    changing the proposal: the submitting organisation's partner's reply, or
    the chair's (or an officer's) note. The other side is emailed: the chairs
    of a partner's reply, the submitter of a chair's note. Someone else is
    refused (PermissionDenied); a decided submission is a conflict (409)."""
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": "Enter your message."})
    if len(body) > MESSAGE_MAX_LENGTH:
        raise ValidationError(
            {"body": f"The message must be {MESSAGE_MAX_LENGTH} characters or fewer."}
        )
    locked = _lock(submission)
    if not (
        rules.can_decide_submission(user, locked) or rules.submits_for(user, locked)
    ):
        raise PermissionDenied(
            "Only the submitting organisation's partners and the workstream's "
            "chairs write in this conversation."
        )
    if locked.status in DECIDED:
        raise SubmissionConflict(
            f"This submission was already {locked.get_status_display().lower()}; "
            "its conversation is closed."
        )
    kind = submission_message_kind(submission=locked, user=user)
    message = _message_add(locked, author=user, kind=kind, body=body)
    if kind == SubmissionMessage.Kind.REPLY:
        _tell_chairs(locked, template="submission_message", reply=body)
    else:
        mail_send_on_commit(
            to=[locked.submitted_by.email],
            template="submission_message",
            context={
                "submission": locked,
                "reply": "",
                "note": body,
                "workstream": locked.workstream.name,
                "organisation": locked.organisation.name,
                "submission_url": absolute_url(
                    reverse("submission-detail", args=[locked.pk])
                ),
            },
        )
    return message


MESSAGE_MAX_LENGTH = 5000
