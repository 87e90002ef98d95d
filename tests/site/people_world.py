"""Shared data for the tests of what the public may know about people (ADR 26;
no tests here): a programme in which named users did everything a user can
leave a trace of, and the public pages to walk.

Every user has a name, username, address and id found nowhere else, so a test
can search a response for each: the chair (with a role as published) and a
deputy, another workstream's chair (no published role), a partner, an
oversight member and an officer. They chair, deputise, edit actions, lead an
action, post progress updates, submit and accept a submission, override the
on-track judgement, comment in a consultation, invite, and set a manual
assessment and trend of an outcome measure.
"""

import datetime as dt
from types import SimpleNamespace

from django.urls import reverse
from django.utils import timezone

from indicators.assessment.manual import assessment_set_manual, trend_set_manual
from indicators.models import Assessment, Trend
from marmot import roles
from tests.indicators.factories import (
    AreaFactory,
    IndicatorFactory,
    IndicatorValueFactory,
    PeriodFactory,
)
from tests.workstreams.factories import (
    ActionFactory,
    InvitationFactory,
    LogicModelFactory,
    LogicModelItemFactory,
    MarmotPrincipleFactory,
    OrganisationFactory,
    OrganisationMembershipFactory,
    PlaceFactory,
    RecommendationFactory,
    SubmissionFactory,
    UserFactory,
    WorkplanFactory,
    WorkplanPriorityFactory,
    WorkstreamFactory,
)
from workstreams.models import Action, LogicModel, Submission, Workplan, Workstream
from workstreams.page_selectors.on_track import on_track_judgement
from workstreams.services import (
    action_update,
    progress_update_create,
    workplan_comment_create,
    workstream_on_track_set,
)
from workstreams.services.kpis import (
    kpi_create,
    kpi_entry_approve,
    kpi_entry_record,
    kpi_entry_reopen,
    kpi_entry_return,
    kpi_target_set,
    kpi_update,
)

# role: (id, first name, last name, username); all found nowhere else.
PEOPLE = {
    "officer": (7700101, "Ottoline", "Quarrendon", "oq-officer"),
    "oversight": (7700102, "Peregrine", "Vexworthy", "pv-oversight"),
    "chair": (7700103, "Araminta", "Blencowe", "ab-chair"),
    "deputy": (7700104, "Cuthbert", "Drelincourt", "cd-deputy"),
    "other_chair": (7700105, "Eulalie", "Fitzpayne", "ef-chair"),
    "partner": (7700106, "Gwendolyn", "Hartigan", "gh-partner"),
}
ROLE_GROUPS = {
    "officer": roles.OFFICER,
    "oversight": roles.OVERSIGHT_MEMBER,
    "chair": roles.WORKSTREAM_CHAIR,
    "deputy": roles.WORKSTREAM_CHAIR,
    "other_chair": roles.WORKSTREAM_CHAIR,
    "partner": roles.PARTNER,
}
CHAIR_ROLE = "Housing strategy lead"

# The site pages anyone may read (anonymous GET answers 200 in
# tests/site/test_url_role_matrix.py, which checks this list against its own):
# URL name → what to fill in, from `public_urls`.
PUBLIC_PAGES = {
    "home": ("none",),
    "dashboard": ("none",),
    "dashboard-csv": ("none",),
    "measures-table": ("none",),
    "measures-table-download": ("csv",),
    "measures-spine": ("none",),
    "recommendations": ("none",),
    "programme": ("none",),
    "changes": ("since", "since_csv"),
    "accessibility": ("none",),
    "healthz": ("none",),
    "login": ("none",),
    "workstream-detail": ("workstreams",),
    "workstream-logic-model": ("workstreams",),
    "indicator-detail": ("indicators",),
    "indicator-download": ("indicators_csv",),
    "kpi-list": ("workstreams",),
    "kpi-detail": ("kpis",),
}


def named_user(role: str):
    pk, first, last, username = PEOPLE[role]
    user = UserFactory(
        id=pk,
        username=username,
        first_name=first,
        last_name=last,
        email=f"{first}.{last}@people.example".lower(),
    )
    user.groups.add(roles.roles_ensure_groups()[ROLE_GROUPS[role]])
    return user


def traces(user) -> list[str]:
    """What would identify ``user``: name, username, address and id."""
    return [
        user.get_full_name(),
        user.first_name,
        user.last_name,
        user.get_username(),
        user.email,
        str(user.pk),
    ]


def _as(model, user, since):
    """Record ``user`` as who wrote ``model``'s history since ``since``."""
    model.history.filter(history_date__gte=since).update(history_user=user)


def build_people_world():
    """The programme: ``own`` (chaired by ``chair`` with a published role, and
    ``deputy``) and ``other`` (chaired by ``other_chair``, no published role),
    both with signed-off workplans, and every trace a user can leave."""
    started = timezone.now() - dt.timedelta(seconds=1)
    place = PlaceFactory(country=AreaFactory(name="England", area_type="country"))
    users = {role: named_user(role) for role in PEOPLE}
    principle = MarmotPrincipleFactory(number=3)
    own = WorkstreamFactory(
        name="Housing", slug="housing", chair=users["chair"], chair_role=CHAIR_ROLE
    )
    own.deputies.add(users["deputy"])
    own.principles.add(principle)
    other = WorkstreamFactory(
        name="Work", slug="work", chair=users["other_chair"], chair_role=""
    )
    org = OrganisationFactory(name="Testshire Housing Trust")
    OrganisationMembershipFactory(user=users["partner"], organisation=org)
    signed = {
        "status": Workplan.Status.SIGNED_OFF,
        "signed_off_on": dt.date(2024, 5, 1),
    }
    workplan = WorkplanFactory(workstream=own, **signed)
    WorkplanFactory(workstream=other, **signed)
    priority = WorkplanPriorityFactory(workplan=workplan, title="Warm homes")
    model = LogicModelFactory(workstream=own, status=LogicModel.Status.CURRENT)
    activity = LogicModelItemFactory(logic_model=model, text="Retrofit homes")
    RecommendationFactory(workstream=own, number=4, principle=principle)

    action = ActionFactory(
        workplan=workplan,
        priority=priority,
        title="Damp and mould taskforce",
        lead_organisation=org,
        lead_user=users["partner"],
        status=Action.Status.PLANNED,
        rag=Action.Rag.AMBER,
    )
    action.activities.set([activity])
    action_update(action=action, status=Action.Status.IN_PROGRESS, rag="red")
    progress_update_create(
        action=action,
        reported_on=timezone.localdate(),
        text="Twelve homes surveyed.",
        status=Action.Status.IN_PROGRESS,
        author=users["partner"],
    )
    progress_update_create(
        action=action,
        reported_on=timezone.localdate(),
        text="The taskforce met.",
        status=Action.Status.IN_PROGRESS,
        rag="amber",
        author=users["chair"],
    )
    accepted = ActionFactory(
        workplan=workplan,
        title="Community fridge",
        lead_organisation=org,
        lead_user=users["partner"],
        source=Action.Source.PARTNER_SUBMISSION,
    )
    SubmissionFactory(
        organisation=org,
        submitted_by=users["partner"],
        workstream=own,
        title="Community fridge",
        status=Submission.Status.ACCEPTED,
        decided_by=users["chair"],
        decided_at=timezone.now(),
        action=accepted,
    )
    _as(Submission, users["partner"], started)
    _as(Action, users["chair"], started)
    workstream_on_track_set(
        workstream=own,
        user=users["deputy"],
        judgement=_another_judgement(own, users["deputy"]),
        reason="The taskforce is ahead of plan.",
    )
    consultation = WorkplanFactory(
        workstream=own,
        status=Workplan.Status.CONSULTATION,
        year_label="2099/00",
        starts_on=dt.date(2099, 4, 1),
        ends_on=dt.date(2100, 3, 31),
    )
    workplan_comment_create(
        workplan=consultation, author=users["partner"], body="Looks good."
    )
    InvitationFactory(organisation=org, invited_by=users["officer"])

    indicator = IndicatorFactory(
        name="Fuel poverty",
        code="fuel-poverty",
        principle=principle,
        is_published=True,
    )
    value = None
    for label in ("2022", "2023"):
        value = IndicatorValueFactory(
            indicator=indicator, area=place.area, period=PeriodFactory(label=label)
        )
    assessment_set_manual(
        value=value,
        benchmark=Assessment.Benchmark.NATIONAL,
        result=Assessment.Result.BETTER,
        reason="The published table is out of date.",
        user=users["officer"],
    )
    trend_set_manual(
        value=value,
        label=Trend.Label.NO_SIGNIFICANT_CHANGE,
        reason="Too few years to say.",
        user=users["officer"],
    )
    kpi = _kpi_with_every_step(own, org, activity, users)
    return SimpleNamespace(
        users=users,
        workstreams=[own, other],
        indicators=[indicator],
        action=action,
        kpis=[kpi],
    )


def _kpi_with_every_step(workstream, organisation, activity, users):
    """An output KPI the partner's organisation reports, changed by the chair,
    its values sent by the partner, returned and approved by the deputy,
    recorded by the chair and reopened by an officer (ADR 32)."""
    kpi = kpi_create(
        workstream=workstream,
        user=users["officer"],
        name="Homes retrofitted through the scheme",
        unit="homes",
        activities=[activity],
        reporting_organisation=organisation,
        values_expected_from=dt.date(2025, 4, 1),
    )
    kpi = kpi_update(kpi=kpi, user=users["chair"], source="Trust returns")
    kpi_target_set(kpi=kpi, user=users["chair"], year_label="2025/26", value=40)
    sent = kpi_entry_record(
        kpi=kpi, user=users["partner"], period="2025/26 Q1", value=70
    )
    kpi_entry_return(entry=sent, user=users["deputy"], reason="Check the total")
    sent = kpi_entry_record(
        kpi=kpi, user=users["partner"], period="2025/26 Q1", value=7
    )
    kpi_entry_approve(entry=sent, user=users["deputy"])
    chairs = kpi_entry_record(
        kpi=kpi, user=users["chair"], period="2025/26 Q2", value=9
    )
    kpi_entry_reopen(entry=chairs, user=users["officer"], reason="Wrong file")
    return kpi


def _another_judgement(workstream, user) -> str:
    """A judgement other than the rule's (an override must differ from it)."""
    on_track, _ = on_track_judgement(user=user, workstream=workstream)
    return next(
        judgement
        for judgement in Workstream.Judgement.values
        if judgement != on_track.computed.judgement
    )


def public_urls(world, name: str, kind: str) -> list[str]:
    """The URLs of the `PUBLIC_PAGES` page ``name`` of ``kind`` in ``world``."""
    since = "since=2000-01-01"
    if kind == "none":
        return [reverse(name)]
    if kind == "csv":
        return [reverse(name, args=["csv"])]
    if kind == "since":
        return [f"{reverse(name)}?{since}"]
    if kind == "since_csv":
        return [f"{reverse(name)}?{since}&format=csv"]
    if kind == "workstreams":
        return [reverse(name, args=[w.slug]) for w in world.workstreams]
    if kind == "indicators":
        return [reverse(name, args=[i.code]) for i in world.indicators]
    if kind == "indicators_csv":
        return [reverse(name, args=[i.code, "csv"]) for i in world.indicators]
    if kind == "kpis":
        return [reverse(name, args=[k.pk]) for k in world.kpis]
    raise ValueError(kind)
