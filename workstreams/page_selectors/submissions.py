"""Read-models for the submissions pages: the submission form's choices, the
list (`/submissions/`), one submission with what the visitor may do, and a
workstream's moderation queue. Each is a fixed number of queries whatever the
data size."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.paginator import Page, Paginator
from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404

from indicators.models import MarmotPrinciple
from marmot.principals import principal_for
from workstreams import rules
from workstreams.models import (
    Action,
    LogicModel,
    LogicModelItem,
    Organisation,
    Recommendation,
    Submission,
    SubmissionMessage,
    Workplan,
    Workstream,
)
from workstreams.services.submissions import submission_outside_plan

PAGE_SIZE = 50
OPEN_ACTION_STATUSES = (
    Action.Status.PLANNED,
    Action.Status.IN_PROGRESS,
    Action.Status.ON_HOLD,
)
UNDECIDED = (Submission.Status.SUBMITTED, Submission.Status.MORE_INFO)


def submission_form_choices() -> dict:
    """The submission form's choices: querysets evaluated when rendered, and
    the activities of every workstream's current logic model (one query)."""
    activities = (
        LogicModelItem.objects.filter(
            kind=LogicModelItem.Kind.ACTIVITY,
            logic_model__status=LogicModel.Status.CURRENT,
        )
        .select_related("logic_model__workstream")
        .order_by(
            "logic_model__workstream__display_order",
            "logic_model__workstream__name",
            "position",
            "id",
        )
    )
    return {
        "organisation": Organisation.objects.order_by("name"),
        "workstream": Workstream.objects.order_by("display_order", "name"),
        "principles": MarmotPrinciple.objects.order_by("number"),
        "supports_activity": list(activities),
        "supports_recommendation": Recommendation.objects.order_by("source", "number"),
    }


def submission_get(pk: int) -> Submission:
    """The submission with what the permission checks and services read."""
    return get_object_or_404(
        Submission.objects.select_related("workstream", "organisation"), pk=pk
    )


def submission_with_links(pk: int) -> Submission:
    """The submission with everything its page and edit form show."""
    queryset = Submission.objects.select_related(
        "workstream",
        "organisation",
        "submitted_by",
        "decided_by",
        "supports_activity__logic_model",
        "supports_recommendation",
        "action__workplan",
    ).prefetch_related("principles")
    return get_object_or_404(queryset, pk=pk)


def open_workplans(workstream_id: int) -> QuerySet[Workplan]:
    """The workplans an accepted submission may go into, latest first."""
    return (
        Workplan.objects.filter(workstream_id=workstream_id)
        .exclude(status=Workplan.Status.CLOSED)
        .order_by("-starts_on")
    )


@dataclass
class FieldChange:
    label: str
    before: str
    after: str
    long: bool = False


@dataclass
class SubmissionChanges:
    """What the partner changed since the chair's last request for more
    information (``since``: that request's time)."""

    since: object
    fields: list[FieldChange]


@dataclass
class SubmissionPage:
    submission: Submission
    can_decide: bool
    can_edit: bool
    can_view_action: bool
    can_view_queue: bool
    resubmitted: bool
    messages: list[SubmissionMessage] = field(default_factory=list)
    can_message: bool = False
    changes: SubmissionChanges | None = None
    outside_plan: dict = field(default_factory=dict)


def submission_messages(submission: Submission) -> list[SubmissionMessage]:
    """The submission's conversation, oldest first, with the authors (one query)."""
    return list(
        SubmissionMessage.objects.filter(submission=submission)
        .select_related("author")
        .order_by("created_at", "id")
    )


CHANGE_LABELS = {
    "workstream": "Workstream",
    "title": "Title",
    "description": "Description",
    "principles": "Marmot principles",
    "start_date": "Start date",
    "end_date": "End date",
    "lead_contact": "Lead contact",
    "evidence_url": "Link to evidence",
    "supports_activity": "Logic model activity it supports",
    "supports_recommendation": "Recommendation it answers",
}
FOREIGN_KEYS = {
    "workstream": (Workstream, lambda w: w.name),
    "supports_activity": (LogicModelItem, lambda item: item.text),
    "supports_recommendation": (
        Recommendation,
        lambda r: (
            f"{r.source_title or r.get_source_display()}, recommendation "
            f"{r.number}: {r.text}"
        ),
    ),
}
NOT_GIVEN = "None given"


def _day(value) -> str:
    return f"{value.day} {value:%B %Y}" if value else NOT_GIVEN


def _principle_ids(record) -> list[int]:
    return sorted(record.principles.values_list("marmotprinciple_id", flat=True))


def submission_changes(
    submission: Submission, messages: list[SubmissionMessage]
) -> SubmissionChanges | None:
    """Field by field, what changed in the proposal between the version the
    chair last asked for more information on (from its history) and now,
    as labels (choices and links by name, dates in words). None when the
    chair never asked, or nothing changed since. A fixed number of queries."""
    requests = [m for m in messages if m.kind == SubmissionMessage.Kind.REQUEST]
    if not requests:
        return None
    since = requests[-1].created_at
    before = (
        submission.history.filter(history_date__lte=since)
        .order_by("-history_date", "-history_id")
        .first()
    )
    if before is None:
        return None
    pairs = {}
    for name in CHANGE_LABELS:
        if name == "principles":
            old = _principle_ids(before)
            new = sorted(p.pk for p in submission.principles.all())
        elif name in FOREIGN_KEYS:
            old = getattr(before, f"{name}_id")
            new = getattr(submission, f"{name}_id")
        else:
            old = getattr(before, name)
            new = getattr(submission, name)
        if old != new:
            pairs[name] = (old, new)
    if not pairs:
        return SubmissionChanges(since=since, fields=[])
    names = {}
    for name, (model, label) in FOREIGN_KEYS.items():
        if name in pairs:
            ids = {pk for pk in pairs[name] if pk is not None}
            names[name] = {
                obj.pk: label(obj) for obj in model.objects.filter(pk__in=ids)
            }
    if "principles" in pairs:
        ids = set(pairs["principles"][0]) | set(pairs["principles"][1])
        names["principles"] = {
            p.pk: f"{p.number}. {p.title}"
            for p in MarmotPrinciple.objects.filter(pk__in=ids)
        }

    def label(name, value) -> str:
        if name == "principles":
            chosen = [names[name].get(pk, "a principle since removed") for pk in value]
            return "; ".join(chosen) or "None chosen"
        if name in FOREIGN_KEYS:
            if value is None:
                return "None chosen"
            return names[name].get(value, "one since removed")
        if name in ("start_date", "end_date"):
            return _day(value)
        return value or NOT_GIVEN

    fields = [
        FieldChange(
            label=CHANGE_LABELS[name],
            before=label(name, old),
            after=label(name, new),
            long=name == "description",
        )
        for name, (old, new) in pairs.items()
    ]
    return SubmissionChanges(since=since, fields=fields)


def outside_plan_warnings(submission: Submission, workplans) -> dict:
    """Per open workplan (pk), the warning `submission_accept` would give
    when accepting into it (dates outside the plan's); only those with one."""
    warnings = {}
    for workplan in workplans:
        warning = submission_outside_plan(submission=submission, workplan=workplan)
        if warning:
            warnings[workplan.pk] = warning
    return warnings


def submission_detail_page(*, user, submission: Submission) -> SubmissionPage:
    """The submission (from `submission_with_links`), its conversation and
    what changed since the chair last asked, and what the user may do."""
    undecided = submission.status in UNDECIDED
    action = submission.action
    messages = submission_messages(submission)
    return SubmissionPage(
        messages=messages,
        can_message=rules.can_post_submission_message(user, submission),
        changes=submission_changes(submission, messages),
        submission=submission,
        can_decide=undecided and rules.can_decide_submission(user, submission),
        can_edit=rules.can_edit_submission(user, submission),
        can_view_action=action is not None and rules.can_view_action(user, action),
        can_view_queue=rules.can_view_submission_queue(user, submission.workstream_id),
        resubmitted=submission.status == Submission.Status.SUBMITTED
        and submission.decided_at is not None,
    )


# --- the list -------------------------------------------------------------------


@dataclass
class QueueLink:
    workstream: Workstream
    waiting: int


@dataclass
class SubmissionListPage:
    page: Page
    status: str
    show_organisation: bool
    can_submit: bool
    read_only: bool
    queues: list[QueueLink] = field(default_factory=list)
    actions: list[Action] | None = None


def _list_rows(user, status: str) -> QuerySet[Submission]:
    rows = Submission.objects.select_related(
        "workstream", "organisation", "submitted_by"
    ).order_by("-created_at", "-id")
    if status:
        rows = rows.filter(status=status)
    return rules.visible_submissions(user, rows)


def _queues(user) -> list[QueueLink]:
    """The moderation queues the user may open, with how many wait there."""
    p = principal_for(user)
    workstreams = Workstream.objects.order_by("display_order", "name")
    if not p.reads_everything:
        workstreams = workstreams.filter(pk__in=p.chaired_workstream_ids)
    waiting = Count(
        "submissions", filter=Q(submissions__status=Submission.Status.SUBMITTED)
    )
    return [
        QueueLink(workstream=w, waiting=w.waiting)
        for w in workstreams.annotate(waiting=waiting)
    ]


def organisation_actions(user) -> list[Action]:
    """A partner's organisation's open actions (led by it, accepted
    submissions included), with whether the partner may read each one."""
    p = principal_for(user)
    actions = list(
        Action.objects.filter(
            lead_organisation_id=p.organisation_id,
            status__in=OPEN_ACTION_STATUSES,
            archived_at=None,
        )
        .select_related("workplan__workstream")
        .order_by("workplan__workstream__display_order", "due_date", "title", "id")
    )
    for action in actions:
        action.viewable = rules.can_view_action(user, action)
        action.can_add_update = rules.can_add_progress_update(user, action)
    return actions


def submission_list_page(*, user, status: str, page_number) -> SubmissionListPage:
    """The submissions the user may see (newest first, 50 a page), the
    queues they may open and, for a partner, their organisation's actions."""
    p = principal_for(user)
    moderates = p.reads_everything or bool(p.chaired_workstream_ids)
    paginator = Paginator(_list_rows(user, status), PAGE_SIZE)
    return SubmissionListPage(
        page=paginator.get_page(page_number),
        status=status,
        show_organisation=not p.is_partner or p.reads_everything,
        can_submit=rules.can_create_submission(user),
        read_only=p.oversight and not p.officer,
        queues=_queues(user) if moderates else [],
        actions=organisation_actions(user) if p.is_partner else None,
    )


# --- the moderation queue -----------------------------------------------------


@dataclass
class QueueGroup:
    key: str
    heading: str
    rows: list[Submission]


@dataclass
class QueuePage:
    workstream: Workstream
    groups: list[QueueGroup]
    can_decide: bool

    @property
    def total(self) -> int:
        return sum(len(group.rows) for group in self.groups)


QUEUE_GROUPS = (
    (Submission.Status.SUBMITTED, "Waiting for a decision"),
    (
        Submission.Status.MORE_INFO,
        "Waiting for the partner: more information asked for",
    ),
    ("decided", "Decided"),
)


def submission_queue_page(*, user, workstream: Workstream) -> QueuePage:
    """The workstream's submissions: waiting for a decision first (oldest
    first, so the longest waiting is on top), then those waiting for the
    partner, then the decided ones (latest decision first)."""
    rows = list(
        Submission.objects.filter(workstream=workstream)
        .select_related("organisation", "submitted_by", "decided_by")
        .order_by("created_at", "id")
    )
    groups = {key: QueueGroup(key, heading, []) for key, heading in QUEUE_GROUPS}
    for row in rows:
        key = row.status if row.status in UNDECIDED else "decided"
        groups[key].rows.append(row)
    groups["decided"].rows.sort(key=lambda row: row.decided_at or row.created_at)
    groups["decided"].rows.reverse()
    return QueuePage(
        workstream=workstream,
        groups=list(groups.values()),
        can_decide=rules.can_edit_workstream(user, workstream.pk),
    )
