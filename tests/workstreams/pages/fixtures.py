"""Builders and HTML readers shared by the workstreams' page tests and the
browser tests (no tests here): the changes page's world, a logic model, the
housing workstream's progress page, the overview's programme and outcome
measures, and the recommendations audit."""

import datetime as dt
import re

from django.urls import reverse
from django.utils import timezone

from indicators.models import Assessment, Place, Trend
from tests.indicators.factories import (
    AreaFactory,
    AssessmentFactory,
    IndicatorFactory,
    IndicatorValueFactory,
    PeriodFactory,
    TrendFactory,
)
from tests.workstreams.factories import (
    ActionFactory,
    LogicModelFactory,
    LogicModelItemFactory,
    MarmotPrincipleFactory,
    OrganisationFactory,
    PlaceFactory,
    ProgressUpdateFactory,
    RecommendationFactory,
    SubmissionFactory,
    UserFactory,
    WorkplanFactory,
    WorkplanPriorityFactory,
    WorkstreamFactory,
)
from workstreams.models import (
    Action,
    LogicModel,
    LogicModelItem,
    Recommendation,
    Workplan,
)
from workstreams.services import action_update, progress_update_create

TODAY = timezone.localdate()
SINCE = TODAY - dt.timedelta(days=30)
LONG_AGO = timezone.now() - dt.timedelta(days=60)
SINCE_QUERY = f"since={SINCE.isoformat()}"


def changes_url(query=SINCE_QUERY):
    return f"{reverse('changes')}?{query}" if query else reverse("changes")


def make_old(*models):
    """Pretend everything so far happened 60 days ago."""
    for model in models:
        model.history.all().update(history_date=LONG_AGO)


def build_changes(role_users, extra_actions=0):
    """Two workstreams (Housing published, Work a draft workplan) with changes
    made today to actions, values, assessments and submissions."""
    place = PlaceFactory(country=AreaFactory(name="England", area_type="country"))
    housing = WorkstreamFactory(name="Housing")
    work = WorkstreamFactory(name="Work")
    users = role_users(chair_of=housing, other=work)
    published = WorkplanFactory(
        workstream=housing, status="signed_off", signed_off_on=dt.date(2024, 4, 1)
    )
    draft = WorkplanFactory(workstream=work, status="draft")
    retrofit = ActionFactory(
        workplan=published, title="Retrofit homes", status="planned", rag="green"
    )
    advice = ActionFactory(
        workplan=published, title="Advice line", status="in_progress", rag="amber"
    )
    secret = ActionFactory(workplan=draft, title="Secret draft action")
    ActionFactory(workplan=published, title="Changed long ago", status="planned")
    indicator = IndicatorFactory(name="Fuel poverty", code="fuel-poverty")
    old_value = IndicatorValueFactory(
        indicator=indicator, area=place.area, period=PeriodFactory(label="2022")
    )
    assessment = AssessmentFactory(
        value=old_value, result="worse", method="computed", published_text=""
    )
    type(old_value).objects.filter(pk=old_value.pk).update(created_at=LONG_AGO)
    make_old(Action, Assessment)

    action_update(action=retrofit, status="in_progress", rag="red")
    progress_update_create(
        action=advice,
        reported_on=TODAY,
        text="The advice line is open.",
        status="completed",
        rag="green",
        author=users["chair"],
    )
    ActionFactory(workplan=published, title="New tenancy support", status="planned")
    for n in range(extra_actions):
        action = ActionFactory(workplan=published, title=f"Extra {n}")
        action_update(action=action, status="on_hold", rag="amber")
        progress_update_create(
            action=action, reported_on=TODAY, text=f"Note {n}", status="planned"
        )
        SubmissionFactory(workstream=housing, title=f"Extra proposal {n}")
    action_update(action=secret, status="on_hold")
    Action.history.filter(
        history_date__gte=timezone.now() - dt.timedelta(hours=1)
    ).update(history_user=users["officer"])
    assessment.result = "similar"
    assessment._history_user = users["officer"]
    assessment.save()
    new_value = IndicatorValueFactory(
        indicator=indicator,
        area=place.area,
        period=PeriodFactory(label="2023"),
        value=12.5,
        lower95=12.0,
        upper95=13.0,
    )
    AssessmentFactory(value=new_value, result="worse")
    SubmissionFactory(
        workstream=housing,
        title="Community fridge",
        organisation=users["partner"].organisation_membership.organisation,
    )
    SubmissionFactory(workstream=work, title="Job club")
    return users


Kind = LogicModelItem.Kind


def build_logic_model(actions=2, outcomes=1):
    """A workstream with a current logic model (v2), a superseded v1 and a
    draft v3; ``actions`` published actions and one draft action deliver its
    activity; each of ``outcomes`` outcomes is measured by an indicator that is
    worse than England."""
    place = PlaceFactory()
    workstream = WorkstreamFactory(name="Housing", slug="housing")
    old = LogicModelFactory(
        workstream=workstream,
        version=1,
        status="superseded",
        hypothesis="Old hypothesis.",
    )
    LogicModelItemFactory(logic_model=old, kind=Kind.ACTIVITY, text="Retrofit homes")
    LogicModelItemFactory(logic_model=old, kind=Kind.INPUT, text="Old funding")
    current = LogicModelFactory(
        workstream=workstream,
        version=2,
        status="current",
        dated=dt.date(2026, 3, 1),
        hypothesis="Warm, safe homes improve health.",
        context="Many private rented homes.",
        barriers="Funding is short.",
    )
    LogicModelItemFactory(logic_model=current, kind=Kind.INPUT, text="Officer time")
    activity = LogicModelItemFactory(
        logic_model=current, kind=Kind.ACTIVITY, text="Retrofit council homes"
    )
    LogicModelItemFactory(
        logic_model=current, kind=Kind.ASSUMPTION, text="Landlords take part"
    )
    published = WorkplanFactory(
        workstream=workstream, status="signed_off", signed_off_on=dt.date(2024, 4, 1)
    )
    for n in range(actions):
        completed = n % 2 == 1
        action = ActionFactory(
            workplan=published,
            title=f"Published action {n}",
            status="completed" if completed else "in_progress",
            completed_on=dt.date(2024, 9, 1) if completed else None,
        )
        action.activities.add(activity)
    draft = WorkplanFactory(
        workstream=workstream,
        year_label="2025/26",
        status="draft",
        starts_on=dt.date(2025, 4, 1),
        ends_on=dt.date(2026, 3, 31),
    )
    ActionFactory(
        workplan=draft, title="Draft action", status="planned"
    ).activities.add(activity)
    period = PeriodFactory(label="2023")
    for n in range(outcomes):
        outcome = LogicModelItemFactory(
            logic_model=current, kind=Kind.OUTCOME, text=f"Fewer cold homes {n}"
        )
        indicator = IndicatorFactory(name=f"Fuel poverty {n}", code=f"fuel-{n}")
        outcome.indicators.add(indicator)
        value = IndicatorValueFactory(
            indicator=indicator,
            area=place.area,
            period=period,
            value=13.2,
            lower95=12.0,
            upper95=14.0,
        )
        AssessmentFactory(value=value, result="worse")
    LogicModelFactory(
        workstream=workstream, version=3, status="draft", hypothesis="Draft idea."
    )
    return workstream


URL = "/workstreams/housing/"


def text(html: str) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def section(html: str, anchor: str, until: str | None = None) -> str:
    """The text from the heading with id ``anchor`` to the one with ``until``."""
    start = html.index(f'id="{anchor}"')
    end = html.index(f'id="{until}"', start) if until else len(html)
    return text(html[start:end])


def housing(status=Workplan.Status.SIGNED_OFF):
    PlaceFactory(country=AreaFactory(name="England", area_type="country"))
    chair = UserFactory(first_name="Amina", last_name="Khan")
    deputy = UserFactory(first_name="Tom", last_name="Ng")
    workstream = WorkstreamFactory(
        slug="housing",
        name="Housing",
        purpose="Housing and warm spaces",
        chair=chair,
        chair_role="Housing SMT",
    )
    workstream.deputies.add(deputy)
    LogicModelFactory(
        workstream=workstream,
        status=LogicModel.Status.CURRENT,
        hypothesis="Warm homes improve health.",
    )
    LogicModelFactory(
        workstream=workstream, status=LogicModel.Status.DRAFT, hypothesis="Draft idea."
    )
    signed = status in (Workplan.Status.SIGNED_OFF, Workplan.Status.CLOSED)
    workplan = WorkplanFactory(
        workstream=workstream,
        status=status,
        signed_off_on=dt.date(2024, 5, 1) if signed else None,
    )
    return workstream, workplan


def actions(workplan):
    """Two priorities; one overdue, one red, one amber, one fine, one next step."""
    healthy = WorkplanPriorityFactory(
        workplan=workplan, title="Healthy homes", position=1
    )
    security = WorkplanPriorityFactory(
        workplan=workplan, title="Housing security", position=2
    )
    nea = OrganisationFactory(name="National Energy Action")
    council = OrganisationFactory(name="Testshire Council")
    made = {
        "overdue": ActionFactory(
            workplan=workplan,
            priority=healthy,
            title="Insulate council homes",
            lead_organisation=council,
            rag=Action.Rag.GREEN,
            due_date=TODAY - dt.timedelta(days=5),
        ),
        "red": ActionFactory(
            workplan=workplan,
            priority=security,
            title="Fuel poverty project",
            lead_organisation=nea,
            rag=Action.Rag.RED,
            due_date=TODAY + dt.timedelta(days=60),
        ),
        "amber": ActionFactory(
            workplan=workplan,
            priority=healthy,
            title="Asthma project",
            lead_organisation=nea,
            rag=Action.Rag.AMBER,
            due_date=TODAY + dt.timedelta(days=30),
        ),
        "fine": ActionFactory(
            workplan=workplan,
            priority=security,
            title="Concierge road shows",
            lead_organisation=council,
            status=Action.Status.PLANNED,
            rag=Action.Rag.GREEN,
            due_date=TODAY + dt.timedelta(days=90),
        ),
        "done_late": ActionFactory(
            workplan=workplan,
            priority=security,
            title="Stock survey",
            lead_organisation=council,
            status=Action.Status.COMPLETED,
            completed_on=TODAY - dt.timedelta(days=40),
            rag=Action.Rag.AMBER,
            due_date=TODAY - dt.timedelta(days=50),
        ),
        "next": ActionFactory(
            workplan=workplan,
            priority=None,
            title="Develop KPI dashboard",
            lead_organisation=None,
            status=Action.Status.PLANNED,
            rag="",
            is_next_step=True,
            due_date=None,
        ),
    }
    ProgressUpdateFactory(
        action=made["red"], reported_on=dt.date(2024, 10, 7), text="Funding secured."
    )
    return made


def build_progress(size: int):
    workstream, workplan = housing()
    priorities = WorkplanPriorityFactory.create_batch(size, workplan=workplan)
    for n in range(size):
        action = ActionFactory(
            workplan=workplan,
            priority=priorities[n],
            lead_organisation=OrganisationFactory(),
            rag=Action.Rag.RED if n % 2 else Action.Rag.GREEN,
            due_date=dt.date(2024, 6, 1) if n % 3 == 0 else None,
            is_next_step=n % 4 == 0,
        )
        ProgressUpdateFactory.create_batch(2, action=action)
    draft = WorkplanFactory(
        workstream=workstream,
        year_label="2023/24",
        starts_on=dt.date(2023, 4, 1),
        ends_on=dt.date(2024, 3, 31),
    )
    ActionFactory.create_batch(size, workplan=draft)
    place = Place.objects.get()
    period = PeriodFactory(label="2023")
    for _ in range(size):
        indicator = IndicatorFactory()
        indicator.workstreams.add(workstream)
        value = IndicatorValueFactory(
            indicator=indicator, area=place.area, period=period
        )
        AssessmentFactory(value=value, benchmark_area=place.country)
        TrendFactory(value=value)
    return workplan


def signed_off_workplan(workstream, **kwargs):
    return WorkplanFactory(
        workstream=workstream,
        status=Workplan.Status.SIGNED_OFF,
        signed_off_on=dt.date(2024, 5, 1),
        **kwargs,
    )


def programme():
    """Two workstreams: one with a signed-off workplan, one with a draft."""
    PlaceFactory()
    chair = UserFactory(first_name="Amina", last_name="Khan")
    housing = WorkstreamFactory(
        name="Housing", slug="housing", chair=chair, chair_role="Housing SMT"
    )
    published = signed_off_workplan(housing)
    overdue = ActionFactory(
        workplan=published,
        status=Action.Status.IN_PROGRESS,
        rag=Action.Rag.RED,
        due_date=TODAY - dt.timedelta(days=3),
    )
    ActionFactory(
        workplan=published,
        status=Action.Status.COMPLETED,
        completed_on=TODAY - dt.timedelta(days=20),
        due_date=TODAY - dt.timedelta(days=10),
        rag=Action.Rag.GREEN,
    )
    ActionFactory(
        workplan=published,
        status=Action.Status.PLANNED,
        rag="",
        due_date=TODAY + dt.timedelta(days=30),
    )
    ProgressUpdateFactory(action=overdue, reported_on=dt.date(2024, 10, 7))
    ProgressUpdateFactory(action=overdue, reported_on=dt.date(2024, 9, 1))
    net_zero = WorkstreamFactory(name="Net Zero", slug="net-zero")
    draft = WorkplanFactory(workstream=net_zero, status=Workplan.Status.DRAFT)
    ActionFactory.create_batch(2, workplan=draft, rag=Action.Rag.AMBER)
    return housing, net_zero


def measure(place, principle, result, trend=None, *, period, **indicator_fields):
    indicator = IndicatorFactory(principle=principle, **indicator_fields)
    value = IndicatorValueFactory(indicator=indicator, area=place.area, period=period)
    if result:
        AssessmentFactory(value=value, result=result, benchmark_area=place.country)
    if trend:
        TrendFactory(value=value, label=trend)
    return value


def outcome_measures():
    place = PlaceFactory(country=AreaFactory(name="England", area_type="country"))
    period = PeriodFactory(label="2023")
    one = MarmotPrincipleFactory(number=1, title="Give every child the best start")
    four = MarmotPrincipleFactory(number=4, title="Ensure a healthy standard of living")
    measure(place, one, "worse", Trend.Label.INCREASING_WORSE, period=period)
    measure(place, one, "worse", Trend.Label.DECREASING_BETTER, period=period)
    measure(place, one, "better", Trend.Label.NO_SIGNIFICANT_CHANGE, period=period)
    measure(place, one, "not_compared", period=period)
    measure(place, four, "similar", Trend.Label.DECREASING_WORSE, period=period)
    # Unpublished: only people who read drafts count it.
    measure(place, four, "worse", period=period, is_published=False)
    return place, period, four


EVALUATION = Recommendation.Source.EVALUATION


def audit():
    """Four recommendations: answered by a published action, by a draft action
    only, by nothing, and an evaluation one answered by a closed workplan."""
    PlaceFactory()
    housing = WorkstreamFactory(name="Housing", slug="housing")
    children = WorkstreamFactory(name="Children and Young People", slug="cyp")
    signed = WorkplanFactory(
        workstream=housing,
        status=Workplan.Status.SIGNED_OFF,
        signed_off_on=dt.date(2024, 5, 1),
    )
    draft = WorkplanFactory(workstream=children, status=Workplan.Status.DRAFT)
    closed = WorkplanFactory(
        workstream=children,
        year_label="2023/24",
        starts_on=dt.date(2023, 4, 1),
        ends_on=dt.date(2024, 3, 31),
        status=Workplan.Status.CLOSED,
        signed_off_on=dt.date(2023, 5, 1),
    )
    answered = RecommendationFactory(
        number=1, text="reduce fuel poverty.", workstream=housing
    )
    draft_only = RecommendationFactory(
        number=2, text="expand Flying Start.", workstream=children
    )
    RecommendationFactory(number=3, text="assess maternity leave.", workstream=children)
    evaluation = RecommendationFactory(
        source=EVALUATION,
        source_title="Health Equity Town evaluation",
        number=1,
        text="Strengthen governance.",
        workstream=None,
    )
    ActionFactory(
        workplan=signed, title="Fuel poverty project", status=Action.Status.IN_PROGRESS
    ).recommendations.add(answered)
    ActionFactory(
        workplan=closed,
        title="Warm spaces in schools",
        status=Action.Status.COMPLETED,
        completed_on=dt.date(2024, 1, 10),
    ).recommendations.add(answered, evaluation)
    ActionFactory(workplan=draft, title="Draft Flying Start pilot").recommendations.add(
        draft_only
    )
    return housing, children
