"""Who may read and write what: the one set of rules for pages, admin and API.

Every permission check in the project calls a function here. Each takes a user
and (where it matters) an object, and answers from a `Principal` computed once
per user object, so list pages do not query per row.

Roles (see `workstreams.roles`):
- anonymous public: reads what the place has published;
- partner: reads published things, workplans in consultation, and their own
  organisation's submissions; creates submissions for their organisation (and
  edits them until decided) and progress updates on actions their
  organisation leads;
- workstream chair (or deputy): reads and writes their own workstreams'
  workplans, actions, logic models and submissions queue; reads published things
  elsewhere;
- oversight member: reads everything, drafts included; writes nothing;
- officer: reads and writes everything.

"Published" means: a workplan signed off or closed (and its actions and progress
updates), a logic model that is current, an indicator marked published.
"""

from dataclasses import dataclass, fields

from django.db.models import Q, QuerySet

from workstreams import roles

PUBLISHED_WORKPLAN_STATUSES = ("signed_off", "closed")
CONSULTATION_STATUS = "consultation"
PRINCIPAL_CACHE = "_marmot_principal"


@dataclass(frozen=True)
class Principal:
    authenticated: bool = False
    officer: bool = False
    oversight: bool = False
    chaired_workstream_ids: frozenset[int] = frozenset()
    organisation_id: int | None = None

    @property
    def reads_everything(self) -> bool:
        return self.officer or self.oversight

    @property
    def is_partner(self) -> bool:
        return self.organisation_id is not None


ANONYMOUS = Principal()


def principal_for(user) -> Principal:
    """The user's roles, computed once (two queries) and cached on the user."""
    if user is None or not user.is_authenticated or not user.is_active:
        return ANONYMOUS
    cached = getattr(user, PRINCIPAL_CACHE, None)
    if cached is not None:
        return cached
    from workstreams.models import OrganisationMembership, Workstream

    group_names = set(user.groups.values_list("name", flat=True))
    chaired = Workstream.objects.filter(Q(chair=user) | Q(deputies=user))
    membership = (
        OrganisationMembership.objects.filter(user=user)
        .values_list("organisation_id", flat=True)
        .first()
    )
    principal = Principal(
        authenticated=True,
        officer=user.is_superuser or roles.OFFICER in group_names,
        oversight=roles.OVERSIGHT_MEMBER in group_names,
        chaired_workstream_ids=frozenset(chaired.values_list("pk", flat=True)),
        organisation_id=membership if roles.PARTNER in group_names else None,
    )
    setattr(user, PRINCIPAL_CACHE, principal)
    return principal


def principal_cache_key(user) -> str:
    """Text equal for exactly the users whose roles are equal (every field of
    their `Principal`): a page that depends on its visitor only through these
    rules may be cached under it and served to all of them."""
    p = principal_for(user)
    parts = []
    for f in fields(p):
        value = getattr(p, f.name)
        parts.append(
            f"{f.name}={sorted(value) if isinstance(value, frozenset) else value}"
        )
    return ";".join(parts)


# --- the programme: principles, organisations ----------------------------


def can_edit_programme(user) -> bool:
    """Principles, partner organisations and recommendations: officers only."""
    return principal_for(user).officer


# --- workstreams, workplans, actions, logic models -------------------------


def can_edit_workstream(user, workstream_id: int) -> bool:
    """Write the workstream's workplans, actions and logic models."""
    p = principal_for(user)
    return p.officer or workstream_id in p.chaired_workstream_ids


def can_override_on_track(user, workstream_id: int) -> bool:
    """Override (or clear the override of) the rule's on-track judgement of a
    workstream: its chair and deputies, and officers (ADR 19)."""
    return can_edit_workstream(user, workstream_id)


def shows_people(user) -> bool:
    """Whether pages name the people who did things (who overrode a judgement,
    who changed an action): signed-in users only; anonymous visitors read "a
    programme user"."""
    return principal_for(user).authenticated


def can_read_drafts_of(user, workstream_id: int) -> bool:
    p = principal_for(user)
    return p.reads_everything or workstream_id in p.chaired_workstream_ids


def can_view_workplan(user, workplan) -> bool:
    if workplan.status in PUBLISHED_WORKPLAN_STATUSES:
        return True
    p = principal_for(user)
    if workplan.status == CONSULTATION_STATUS and p.is_partner:
        return True
    return can_read_drafts_of(user, workplan.workstream_id)


def visible_workplans(user, queryset: QuerySet, prefix: str = "") -> QuerySet:
    """Filter a queryset of workplans (or of rows reached through `prefix`)."""
    p = principal_for(user)
    if p.reads_everything:
        return queryset
    status = f"{prefix}status__in"
    condition = Q(**{status: PUBLISHED_WORKPLAN_STATUSES})
    if p.is_partner:
        condition |= Q(**{f"{prefix}status": CONSULTATION_STATUS})
    if p.chaired_workstream_ids:
        condition |= Q(**{f"{prefix}workstream_id__in": p.chaired_workstream_ids})
    return queryset.filter(condition)


def visible_actions(user, queryset: QuerySet) -> QuerySet:
    return visible_workplans(user, queryset, prefix="workplan__")


def can_view_action(user, action) -> bool:
    return can_view_workplan(user, action.workplan)


def can_edit_action(user, action) -> bool:
    return can_edit_workstream(user, action.workplan.workstream_id)


def can_add_progress_update(user, action) -> bool:
    """Chairs and officers, or a partner whose organisation leads the action."""
    if can_edit_action(user, action):
        return True
    p = principal_for(user)
    return (
        p.is_partner
        and action.lead_organisation_id == p.organisation_id
        and action.status not in ("completed", "cancelled")
    )


def visible_progress_updates(user, queryset: QuerySet) -> QuerySet:
    """Progress updates are read with their action."""
    return visible_workplans(user, queryset, prefix="action__workplan__")


def can_view_logic_model(user, logic_model) -> bool:
    if logic_model.status == "current":
        return True
    return can_read_drafts_of(user, logic_model.workstream_id)


def visible_logic_models(user, queryset: QuerySet) -> QuerySet:
    p = principal_for(user)
    if p.reads_everything:
        return queryset
    return queryset.filter(
        Q(status="current") | Q(workstream_id__in=p.chaired_workstream_ids)
    )


# --- submissions -----------------------------------------------------------


def can_create_submission(user) -> bool:
    p = principal_for(user)
    return p.is_partner or p.officer


def can_view_submission(user, submission) -> bool:
    p = principal_for(user)
    if p.reads_everything or submission.workstream_id in p.chaired_workstream_ids:
        return True
    return p.is_partner and submission.organisation_id == p.organisation_id


def visible_submissions(user, queryset: QuerySet) -> QuerySet:
    p = principal_for(user)
    if p.reads_everything:
        return queryset
    condition = Q(workstream_id__in=p.chaired_workstream_ids)
    if p.is_partner:
        condition |= Q(organisation_id=p.organisation_id)
    return queryset.filter(condition)


def can_decide_submission(user, submission) -> bool:
    """Accept, reject or ask for more information: the workstream's chair."""
    return can_edit_workstream(user, submission.workstream_id)


def can_edit_submission(user, submission) -> bool:
    """Edit (and so resubmit) a submission not yet decided: the submitting
    organisation's partners, and officers (who may submit for one)."""
    if submission.status not in ("submitted", "more_info"):
        return False
    p = principal_for(user)
    own = p.is_partner and submission.organisation_id == p.organisation_id
    return p.officer or own


def can_list_submissions(user) -> bool:
    """The submissions page: partners (their organisation's), chairs (their
    workstreams'), officers and oversight members (all)."""
    p = principal_for(user)
    return p.reads_everything or p.is_partner or bool(p.chaired_workstream_ids)


def can_view_submission_queue(user, workstream_id: int) -> bool:
    """A workstream's moderation queue: its chairs and officers (who decide)
    and oversight members (who read)."""
    return can_read_drafts_of(user, workstream_id)


# --- indicators ------------------------------------------------------------


def sees_unpublished_indicators(user) -> bool:
    """Officers, the oversight group and chairs see indicators not yet
    published; everyone else sees the published ones only."""
    p = principal_for(user)
    return bool(p.reads_everything or p.chaired_workstream_ids)


def can_view_indicator(user, indicator) -> bool:
    return indicator.is_published or sees_unpublished_indicators(user)


def visible_indicators(user, queryset: QuerySet, prefix: str = "") -> QuerySet:
    if sees_unpublished_indicators(user):
        return queryset
    return queryset.filter(**{f"{prefix}is_published": True})


def can_edit_indicators(user) -> bool:
    """Indicators, values, targets and imports are officers' work."""
    return principal_for(user).officer


# --- deleting and reopening ------------------------------------------------


def can_delete_records(user) -> bool:
    """Delete principles, organisations, workplans, logic models,
    recommendations, indicators and values: officers only. (A chair deletes
    their own workstream's actions and priorities: see ``can_edit_action`` and
    ``can_edit_workstream``.) The services refuse a delete that would lose
    data, whoever asks."""
    return principal_for(user).officer


def can_reopen_workplan(user) -> bool:
    """Move a signed-off workplan back to draft: officers only."""
    return principal_for(user).officer


# --- invitations -------------------------------------------------------------


def can_invite_partners(user) -> bool:
    """Invite a partner to make an account: officers, and any workstream's
    chair or deputy (partners join the programme, not one workstream)."""
    p = principal_for(user)
    return p.officer or bool(p.chaired_workstream_ids)


def can_manage_invitation(user, invitation) -> bool:
    """Withdraw or resend an invitation: officers any, a chair those they sent."""
    p = principal_for(user)
    if p.officer:
        return True
    return can_invite_partners(user) and invitation.invited_by_id == user.pk


def visible_invitations(user, queryset: QuerySet) -> QuerySet:
    """Officers see every invitation; a chair the ones they sent; others none."""
    p = principal_for(user)
    if p.officer:
        return queryset
    if can_invite_partners(user):
        return queryset.filter(invited_by_id=user.pk)
    return queryset.none()


# --- consultation comments -----------------------------------------------------


def can_comment_on_workplan(user, workplan) -> bool:
    """Comment on a workplan while it is in consultation: partners, the
    workstream's chairs and officers (oversight members read, never write)."""
    if workplan.status != CONSULTATION_STATUS:
        return False
    p = principal_for(user)
    return (
        p.officer or p.is_partner or workplan.workstream_id in p.chaired_workstream_ids
    )


def can_view_workplan_comments(user, workplan) -> bool:
    """Open a workplan's comments page: officers, oversight members and the
    workstream's chairs always; a partner while they may see the workplan (and
    then only their own organisation's comments: `visible_workplan_comments`)."""
    if can_read_all_workplan_comments(user, workplan.workstream_id):
        return True
    return principal_for(user).is_partner and can_view_workplan(user, workplan)


def can_read_all_workplan_comments(user, workstream_id: int) -> bool:
    """Officers, oversight members and the workstream's chairs read every
    comment on its workplans; partners read their own organisation's only."""
    p = principal_for(user)
    return p.reads_everything or workstream_id in p.chaired_workstream_ids


def visible_workplan_comments(user, queryset: QuerySet, workstream_id: int) -> QuerySet:
    """Comments on a workstream's workplan that ``user`` may read: all of them
    for officers, oversight members and the workstream's chairs; a partner only
    their own organisation's (partners do not read each other's comments)."""
    if can_read_all_workplan_comments(user, workstream_id):
        return queryset
    p = principal_for(user)
    if p.is_partner:
        return queryset.filter(organisation_id=p.organisation_id)
    return queryset.none()
