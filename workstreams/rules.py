"""Who may read and write the programme: the rules for pages, admin and API.

Every permission check on workstreams, workplans, actions, logic models,
submissions, invitations and people calls a function here (indicators have
theirs in `indicators.rules`; who a user is, in `marmot.principals`). Each
takes a user and (where it matters) an object, and answers from a `Principal`
computed once per user object, so list pages do not query per row.

Roles (see `marmot.roles`):
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

from django.db.models import Q, QuerySet

from marmot import history_words, roles
from marmot.principals import Scope, principal_for
from workstreams.models import (
    Action,
    KpiEntry,
    LogicModel,
    Organisation,
    OrganisationMembership,
    Submission,
    Workplan,
    Workstream,
)

PUBLISHED_WORKPLAN_STATUSES = (Workplan.Status.SIGNED_OFF, Workplan.Status.CLOSED)


def principal_scope(user) -> Scope:
    """What ``user`` chairs (or deputises) and the organisation they belong to:
    the programme's part of their `Principal` (registered with
    `marmot.principals` by `WorkstreamsConfig.ready`; two queries)."""
    chaired = Workstream.objects.filter(Q(chair=user) | Q(deputies=user))
    membership = (
        OrganisationMembership.objects.filter(user=user)
        .values_list("organisation_id", flat=True)
        .first()
    )
    return Scope(
        chaired_workstream_ids=frozenset(chaired.values_list("pk", flat=True)),
        organisation_id=membership,
    )


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


def can_view_chair_home(user) -> bool:
    """The chair's landing page ("Your workstreams"): anyone who chairs or
    deputises for a workstream (their own), and officers (every workstream).
    Oversight members and partners read the overview instead."""
    p = principal_for(user)
    return p.officer or bool(p.chaired_workstream_ids)


def can_read_drafts_of(user, workstream_id: int) -> bool:
    p = principal_for(user)
    return p.reads_everything or workstream_id in p.chaired_workstream_ids


def can_view_workplan(user, workplan) -> bool:
    if workplan.status in PUBLISHED_WORKPLAN_STATUSES:
        return True
    p = principal_for(user)
    if workplan.status == Workplan.Status.CONSULTATION and p.is_partner:
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
        condition |= Q(**{f"{prefix}status": Workplan.Status.CONSULTATION})
    if p.chaired_workstream_ids:
        condition |= Q(**{f"{prefix}workstream_id__in": p.chaired_workstream_ids})
    return queryset.filter(condition)


def visible_actions(
    user, queryset: QuerySet, *, archived: bool | None = False
) -> QuerySet:
    """Actions (or their history rows) ``user`` may see, as `can_view_action`
    decides one: those of workplans they may read, and a partner's own
    organisation's wherever they are. Archived actions are left out of lists
    and counts (``archived=False``, the default); ``True`` gives only archived
    ones, ``None`` both (a detail page keeps its record reachable: ADR 22)."""
    visible = visible_workplans(user, queryset, prefix="workplan__")
    p = principal_for(user)
    if p.is_partner and not p.reads_everything and p.organisation_id:
        visible = visible | queryset.filter(lead_organisation_id=p.organisation_id)
    queryset = visible
    if archived is None:
        return queryset
    return queryset.filter(archived_at__isnull=not archived)


def actions_a_write_may_name(user, queryset: QuerySet) -> QuerySet:
    """Actions a write may name by id (a progress update's action): those
    ``user`` may see, archived included (a partner's own organisation's among
    them, which they may post updates on wherever they are:
    ``can_add_progress_update``)."""
    return visible_actions(user, queryset, archived=None)


def can_view_action(user, action) -> bool:
    """Whoever may read its workplan, and the partners of the organisation
    that leads it, who post its progress updates wherever it is (so "Your
    organisation's actions" links every one of them to its page)."""
    if can_view_workplan(user, action.workplan):
        return True
    p = principal_for(user)
    return p.is_partner and action.lead_organisation_id == p.organisation_id


def can_edit_action(user, action) -> bool:
    return can_edit_workstream(user, action.workplan.workstream_id)


def can_add_progress_update(user, action) -> bool:
    """Chairs and officers, or a partner whose organisation leads the action.
    (Whether the action still takes updates: ``action_open``.)"""
    if can_edit_action(user, action):
        return True
    p = principal_for(user)
    return (
        p.is_partner
        and action.lead_organisation_id == p.organisation_id
        and action.status not in (Action.Status.COMPLETED, Action.Status.CANCELLED)
    )


# --- the published record (ADR 22) ----------------------------------------------
#
# A signed-off workplan's record only grows: progress updates, new actions and
# changes of its actions' status; its year, dates and sign-off stay as agreed.
# A closed workplan is read-only. Sign-off fields move only with the status
# (``workstreams.services.workplan_status``). An action with a public record
# (progress updates, or an accepted submission behind it) is archived, never
# deleted. These answer for the state of the record; who may write is above.
# The services refuse what they forbid, whoever asks (admin, pages and API).


def workplan_details_open(workplan) -> bool:
    """Its year label and dates may change: before it is signed off."""
    return workplan.status not in PUBLISHED_WORKPLAN_STATUSES


def workplan_open(workplan) -> bool:
    """Its priorities and actions may change, and it may take new ones and
    progress updates: any workplan not closed."""
    return workplan.status != Workplan.Status.CLOSED


def action_open(action) -> bool:
    """The action may change and take progress updates: not archived, and
    its workplan not closed."""
    return action.archived_at is None and workplan_open(action.workplan)


def action_has_public_record(action) -> bool:
    """Progress updates, or a partner's accepted submission behind it."""
    return (
        action.progress_updates.exists()
        or Submission.objects.filter(action_id=action.pk).exists()
    )


def action_deletable(action) -> bool:
    """Deleted outright (added by mistake): open and with no public record."""
    return action_open(action) and not action_has_public_record(action)


def can_change_workplan_details(user, workplan) -> bool:
    return can_edit_workstream(user, workplan.workstream_id) and (
        workplan_details_open(workplan)
    )


def can_add_action(user, workplan) -> bool:
    return can_edit_workstream(user, workplan.workstream_id) and workplan_open(workplan)


def can_change_action(user, action) -> bool:
    """Edit (or archive) the action now: its editors, while it is open."""
    return can_edit_action(user, action) and action_open(action)


def can_delete_action(user, action) -> bool:
    return can_edit_action(user, action) and action_deletable(action)


def visible_progress_updates(user, queryset: QuerySet) -> QuerySet:
    """Progress updates are read with their action."""
    return visible_workplans(user, queryset, prefix="action__workplan__")


def can_view_logic_model(user, logic_model) -> bool:
    if logic_model.status == LogicModel.Status.CURRENT:
        return True
    return can_read_drafts_of(user, logic_model.workstream_id)


def visible_logic_models(user, queryset: QuerySet) -> QuerySet:
    p = principal_for(user)
    if p.reads_everything:
        return queryset
    return queryset.filter(
        Q(status=LogicModel.Status.CURRENT)
        | Q(workstream_id__in=p.chaired_workstream_ids)
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


def submits_for(user, submission) -> bool:
    """The submitting organisation's partners, and officers (who may submit
    for one): who may change a submission while it is undecided."""
    p = principal_for(user)
    own = p.is_partner and submission.organisation_id == p.organisation_id
    return p.officer or own


def can_edit_submission(user, submission) -> bool:
    """Edit (and so resubmit) a submission not yet decided: the submitting
    organisation's partners, and officers (who may submit for one)."""
    if submission.status not in (
        Submission.Status.SUBMITTED,
        Submission.Status.MORE_INFO,
    ):
        return False
    return submits_for(user, submission)


def can_post_submission_message(user, submission) -> bool:
    """Write in an undecided submission's conversation (ADR 36): the
    submitting organisation's partners (a reply), the workstream's chairs and
    officers (a note; a chair's request for information is a decision)."""
    if submission.status not in (
        Submission.Status.SUBMITTED,
        Submission.Status.MORE_INFO,
    ):
        return False
    return can_decide_submission(user, submission) or submits_for(user, submission)


def can_list_submissions(user) -> bool:
    """The submissions page: partners (their organisation's), chairs (their
    workstreams'), officers and oversight members (all)."""
    p = principal_for(user)
    return p.reads_everything or p.is_partner or bool(p.chaired_workstream_ids)


def can_view_submission_queue(user, workstream_id: int) -> bool:
    """A workstream's moderation queue: its chairs and officers (who decide)
    and oversight members (who read)."""
    return can_read_drafts_of(user, workstream_id)


# --- output KPIs (ADR 32) ----------------------------------------------------
# A KPI and its approved values are public; entries waiting for approval or
# returned are seen by the workstream's chairs, the reporting partner and those
# who read everything.


def can_manage_kpis(user, workstream_id: int) -> bool:
    """Add, edit, retire a workstream's KPIs and set their targets; record any
    of its KPIs' values (approved as recorded) and decide partners' entries:
    the workstream's chair and deputies, and officers."""
    return can_edit_workstream(user, workstream_id)


def reports_kpi(user, kpi) -> bool:
    """A partner of the organisation that reports the KPI."""
    p = principal_for(user)
    return (
        p.is_partner
        and kpi.reporting_organisation_id is not None
        and kpi.reporting_organisation_id == p.organisation_id
    )


def can_record_kpi(user, kpi) -> bool:
    """Record a period's value: the chairs and officers (approved at once), or
    the reporting organisation's partners (waits for the chair)."""
    return can_manage_kpis(user, kpi.workstream_id) or reports_kpi(user, kpi)


def can_decide_kpi_entry(user, entry) -> bool:
    """Approve or return a partner's entry: the KPI's workstream's chairs, officers."""
    return can_manage_kpis(user, entry.kpi.workstream_id)


def can_reopen_kpi_entry(user) -> bool:
    """Unlock an approved value for correction: officers only, with a reason."""
    return principal_for(user).officer


def can_view_kpi_entries_of(user, workstream_id: int) -> bool:
    """The workstream's entries in every state (the approvals queue)."""
    return can_read_drafts_of(user, workstream_id)


def visible_kpi_entries(user, queryset: QuerySet) -> QuerySet:
    """Approved (and reopened: their last approved value is public) entries to
    everyone; the rest to the workstream's chairs, the reporting partner and
    those who read everything."""
    p = principal_for(user)
    if p.reads_everything:
        return queryset
    public = (KpiEntry.Status.APPROVED, KpiEntry.Status.REOPENED)
    condition = Q(status__in=public) | Q(
        kpi__workstream_id__in=p.chaired_workstream_ids
    )
    if p.is_partner:
        condition |= Q(kpi__reporting_organisation_id=p.organisation_id)
    return queryset.filter(condition)


# --- deleting and reopening ------------------------------------------------


def can_reopen_workplan(user) -> bool:
    """Move a signed-off workplan back to draft: officers only."""
    return principal_for(user).officer


# --- accounts ----------------------------------------------------------------


def can_manage_accounts(user) -> bool:
    """See the list of accounts in the admin: officers (ADR 0027)."""
    return principal_for(user).officer


def can_manage_account(user, account) -> bool:
    """Change an account's name, email, active flag and password (an officer
    setting a new one for someone who forgot theirs): a superuser any account;
    an officer the accounts without admin powers (partners, chairs, oversight
    members), never a superuser's, a staff user's or an officer's, their own
    included (that is the site's password page)."""
    p = principal_for(user)
    if not p.officer:
        return False
    if user.is_superuser:
        return True
    return not (
        account.is_superuser
        or account.is_staff
        or roles.user_has_role(account, roles.OFFICER)
    )


def can_grant_admin_powers(user) -> bool:
    """Make an account staff or superuser, or give it groups or permissions
    (roles): superusers only."""
    return principal_for(user).officer and user.is_superuser


# --- invitations -------------------------------------------------------------


def can_invite_partners(user) -> bool:
    """Invite a partner to make an account: officers, and any workstream's
    chair or deputy (partners join the programme, not one workstream), each
    only for the organisations `invitable_organisations` gives them."""
    p = principal_for(user)
    return p.officer or bool(p.chaired_workstream_ids)


def invitable_organisations(user, queryset: QuerySet) -> QuerySet:
    """The organisations ``user`` may invite a partner for (a queryset of
    organisations, filtered).

    Officers: any organisation. A workstream's chair or deputy: only the
    organisations *in their workstreams* — those leading an action in one of
    their workstreams' workplans, or with a submission to one of them — since
    a chair vouches for the people they work with and no one else (a partner
    reads their organisation's submissions to every workstream, so inviting
    oneself for an unrelated organisation would open another workstream's
    queue). A chair who needs someone from any other organisation asks an
    officer, who sends the invitation (the officer's approval). Everyone
    else: none.
    """
    p = principal_for(user)
    if p.officer:
        return queryset
    if not p.chaired_workstream_ids:
        return queryset.none()
    ids = p.chaired_workstream_ids
    return queryset.filter(
        Q(pk__in=_led_organisation_ids(ids)) | Q(pk__in=_submitting_org_ids(ids))
    ).distinct()


def _led_organisation_ids(workstream_ids):
    return Action.objects.filter(
        workplan__workstream_id__in=workstream_ids, lead_organisation__isnull=False
    ).values("lead_organisation_id")


def _submitting_org_ids(workstream_ids):
    return Submission.objects.filter(workstream_id__in=workstream_ids).values(
        "organisation_id"
    )


def can_invite_for_organisation(user, organisation) -> bool:
    """Invite a partner for this organisation (`invitable_organisations`).

    Accepting an invitation always makes a *new* account: an address that
    already belongs to a user (with a role or not) can never accept one,
    whoever sent it (the services refuse it when inviting, resending and
    accepting), so an invitation never adds a role to an existing user."""
    if not can_invite_partners(user) or organisation is None:
        return False
    return invitable_organisations(
        user, Organisation.objects.filter(pk=organisation.pk)
    ).exists()


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
    if workplan.status != Workplan.Status.CONSULTATION:
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


# --- people: what a reader may know about them (ADR 26) ---------------------
#
# `shows_people` (above) is the one rule; these helpers apply it. Every page,
# export and serializer that names or identifies a user calls them (templates
# through `workstreams.templatetags.people`, the API through
# `workstreams.api.serializers.common.PersonField`).

PUBLIC_PERSON = history_words.PUBLIC_PERSON
PERSON_NOT_RECORDED = history_words.PERSON_NOT_RECORDED


def person_label(reader, person, *, not_recorded: str = PERSON_NOT_RECORDED) -> str:
    """Who ``person`` (a user, or None when nobody was recorded) is, as
    ``reader`` may know: their name (else username) to signed-in readers,
    "a programme user" to the public, never an id or an address."""
    return history_words.person_name(reader, person, not_recorded=not_recorded)


def chair_label(reader, workstream) -> str:
    """A workstream's chair as ``reader`` may know them: to signed-in readers
    the chair's name with their role as published ("Sam Jones, Housing SMT");
    to the public the published role only ("Housing SMT"), as the place's
    programme documents name it."""
    role = workstream.chair_role
    if workstream.chair_id is None:
        return role or "Not named yet"
    if not shows_people(reader):
        return role or "Not published"
    name = person_label(reader, workstream.chair)
    return f"{name}, {role}" if role else name
