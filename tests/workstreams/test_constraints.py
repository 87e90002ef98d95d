"""The database itself rejects impossible programme data.

Each case writes past the model's validation (``objects.create`` or
``QuerySet.update``) and expects the database to refuse with IntegrityError.
"""

import datetime as dt

import pytest
from django.apps import apps
from django.db import IntegrityError, transaction

from indicators.models import MarmotPrinciple, Place
from tests.workstreams.factories import (
    ActionFactory,
    EvidenceFileFactory,
    InvitationFactory,
    LogicModelFactory,
    MarmotPrincipleFactory,
    MilestoneFactory,
    OrganisationFactory,
    OrganisationMembershipFactory,
    PlaceFactory,
    ProgressUpdateFactory,
    RecommendationFactory,
    ReminderSentFactory,
    UserFactory,
    WorkplanFactory,
    WorkplanPriorityFactory,
    WorkstreamFactory,
)
from tests.workstreams.kpi_fixtures import new_kpi, new_kpi_entry
from workstreams.models import (
    EvaluationFinding,
    KpiEntry,
    LogicModel,
    Milestone,
    Organisation,
    OrganisationMembership,
    ProgrammeAction,
    ProgrammeMilestone,
    Recommendation,
    ReminderSent,
    Submission,
    SubmissionMessage,
    SystemProgramme,
    Workplan,
    WorkplanPriority,
    Workstream,
)

pytestmark = pytest.mark.django_db


def update(instance, **fields) -> None:
    type(instance).objects.filter(pk=instance.pk).update(**fields)


def second_place() -> None:
    place = PlaceFactory()
    Place.objects.create(
        name="Elsewhere",
        service_name="Elsewhere",
        area=place.area,
        country=place.country,
        region=place.region,
    )


def second_current_logic_model() -> None:
    current = LogicModelFactory(status="current")
    LogicModel.objects.create(
        workstream=current.workstream, version=current.version + 1, status="current"
    )


def new_submission(**fields) -> Submission:
    return Submission.objects.create(
        organisation=OrganisationFactory(),
        submitted_by=UserFactory(),
        workstream=WorkstreamFactory(),
        title="Warm homes advice sessions",
        description="Advice in libraries.",
        lead_contact="A. Partner",
        **fields,
    )


def submission_for_a_taken_action() -> None:
    action = ActionFactory()
    new_submission(action=action, status="accepted")
    new_submission(action=action, status="accepted")


def new_system_programme() -> SystemProgramme:
    return SystemProgramme.objects.create(slug="core20plus5", name="Core20plus5")


def new_next_step() -> ProgrammeAction:
    return ProgrammeAction.objects.create(kind="next_step", title="Review outcomes")


# constraint name → a write that breaks it
VIOLATIONS = {
    "recommendation_unique_number": lambda: Recommendation.objects.create(
        source="evaluation",
        number=RecommendationFactory(source="evaluation").number,
        text="Again",
    ),
    "logic_model_unique_version": lambda: LogicModel.objects.create(
        workstream=(model := LogicModelFactory()).workstream, version=model.version
    ),
    "logic_model_one_current_per_workstream": second_current_logic_model,
    "workplan_unique_year": lambda: Workplan.objects.create(
        workstream=(plan := WorkplanFactory()).workstream,
        year_label=plan.year_label,
        starts_on=plan.starts_on,
        ends_on=plan.ends_on,
    ),
    "workplan_ends_after_start": lambda: update(
        WorkplanFactory(), ends_on=dt.date(2024, 4, 1)
    ),
    "workplan_signed_off_has_date": lambda: update(
        WorkplanFactory(), status="signed_off", signed_off_on=None
    ),
    "priority_unique_title": lambda: WorkplanPriority.objects.create(
        workplan=(priority := WorkplanPriorityFactory()).workplan, title=priority.title
    ),
    "action_due_not_before_start": lambda: update(
        ActionFactory(), due_date=dt.date(2024, 3, 31)
    ),
    "action_completed_iff_completed_on": lambda: update(
        ActionFactory(status="in_progress"), status="completed"
    ),
    "action_completed_iff_completed_on (date without completion)": lambda: update(
        ActionFactory(status="in_progress"), completed_on=dt.date(2024, 6, 1)
    ),
    "submission_ends_after_start": lambda: new_submission(
        start_date=dt.date(2024, 6, 1), end_date=dt.date(2024, 5, 1)
    ),
    "submission_accepted_has_action": lambda: new_submission(status="accepted"),
    "submission_decision_needs_reason": lambda: new_submission(status="rejected"),
    "submission_message_has_body": lambda: SubmissionMessage.objects.create(
        submission=new_submission(), kind="note", body=""
    ),
    "submission_message_kind_known": lambda: SubmissionMessage.objects.create(
        submission=new_submission(), kind="edit", body="Changed it."
    ),
    # unique fields
    "MarmotPrinciple.number": lambda: MarmotPrinciple.objects.create(
        number=MarmotPrincipleFactory(number=2).number, title="Again"
    ),
    "Place.singleton": second_place,
    "Organisation.name": lambda: Organisation.objects.create(
        name=OrganisationFactory().name
    ),
    "OrganisationMembership.user": lambda: OrganisationMembership.objects.create(
        user=OrganisationMembershipFactory().user, organisation=OrganisationFactory()
    ),
    "Workstream.slug": lambda: Workstream.objects.create(
        slug=WorkstreamFactory().slug, name="Another name"
    ),
    "Workstream.name": lambda: Workstream.objects.create(
        slug="another-slug", name=WorkstreamFactory().name
    ),
    "Submission.action": submission_for_a_taken_action,
    "invitation_accepted_has_user": lambda: update(
        InvitationFactory(), accepted_at=dt.datetime(2026, 1, 5, tzinfo=dt.UTC)
    ),
    "workstream_on_track_override_has_reason": lambda: update(
        WorkstreamFactory(), on_track_override="on_track", on_track_reason=""
    ),
    "workstream_on_track_override_has_reason (no judgement)": lambda: update(
        WorkstreamFactory(), on_track_reason="Why", on_track_rule_said="off_track"
    ),
    "kpi_entry_one_per_period": lambda: new_kpi_entry(new_kpi_entry(new_kpi()).kpi),
    "kpi_entry_returned_needs_reason": lambda: new_kpi_entry(
        new_kpi(), status=KpiEntry.Status.RETURNED, return_reason=""
    ),
    "kpi_entry_reopened_needs_reason": lambda: new_kpi_entry(
        new_kpi(), status=KpiEntry.Status.REOPENED, reopen_reason=""
    ),
    "programme_action_unique_title": lambda: ProgrammeAction.objects.create(
        kind="next_step", title=new_next_step().title
    ),
    "programme_action_programme_iff_deliverable": lambda: (
        ProgrammeAction.objects.create(kind="deliverable", title="Orphan")
    ),
    "programme_action_programme_iff_deliverable (next step in a programme)": lambda: (
        update(new_next_step(), programme=new_system_programme())
    ),
    "programme_action_completed_on_only_if_completed": lambda: update(
        new_next_step(), completed_on=dt.date(2024, 6, 1)
    ),
    "programme_milestone_ends_after_start": lambda: ProgrammeMilestone.objects.create(
        label="Nov 21 – June 22",
        starts_on=dt.date(2022, 6, 1),
        ends_on=dt.date(2021, 11, 1),
        precision="month",
        items="Report development",
    ),
    "ProgrammeMilestone.label": lambda: [
        ProgrammeMilestone.objects.create(
            label="July 2021", starts_on=dt.date(2021, 7, 1), precision="month"
        )
        for _ in range(2)
    ],
    "evaluation_finding_unique_text": lambda: [
        EvaluationFinding.objects.create(kind="aim", text="To understand")
        for _ in range(2)
    ],
    "SystemProgramme.slug": lambda: SystemProgramme.objects.create(
        slug=new_system_programme().slug, name="Another name"
    ),
    "action_percent_complete_0_to_100": lambda: update(
        ActionFactory(), percent_complete=101
    ),
    "progress_evidence_link_http": lambda: update(
        ProgressUpdateFactory(), evidence_link="javascript:alert(1)"
    ),
    "progress_rag_cleared_has_no_rag": lambda: update(
        ProgressUpdateFactory(rag="red"), rag_cleared=True
    ),
    "milestone_unique_title": lambda: Milestone.objects.create(
        action=(milestone := MilestoneFactory()).action, title=milestone.title
    ),
    "milestone_title_not_blank": lambda: update(MilestoneFactory(), title=""),
    "evidence_not_empty": lambda: update(EvidenceFileFactory(), size=0),
    "evidence_has_name": lambda: update(EvidenceFileFactory(), original_name=""),
    "reminder_once_per_period": lambda: ReminderSent.objects.create(
        kind=(sent := ReminderSentFactory()).kind,
        recipient=sent.recipient,
        period_key=sent.period_key,
    ),
}
CHECKS = {
    c.name
    for model in apps.get_app_config("workstreams").get_models()
    for c in model._meta.constraints
    if c.__class__.__name__ == "CheckConstraint"
}


@pytest.mark.parametrize("name", VIOLATIONS)
def test_the_database_rejects(name):
    with pytest.raises(IntegrityError) as raised, transaction.atomic():
        VIOLATIONS[name]()

    constraint = name.split(" ")[0]
    if constraint in CHECKS:  # both SQLite and PostgreSQL name a failed check
        assert constraint in str(raised.value)


def test_valid_rows_pass_every_constraint():
    workstream = WorkstreamFactory()
    LogicModelFactory(workstream=workstream, version=1, status="superseded")
    LogicModelFactory(workstream=workstream, version=2, status="current")
    LogicModelFactory(workstream=workstream, version=3, status="draft")
    WorkplanFactory(
        workstream=workstream, status="signed_off", signed_off_on=dt.date(2024, 5, 1)
    )
    ActionFactory(status="completed", completed_on=dt.date(2024, 6, 1), due_date=None)
    for percent in (None, 0, 100):
        ActionFactory(percent_complete=percent)
    ProgressUpdateFactory(rag="", rag_cleared=True, evidence_link="https://x.org/a")
    EvidenceFileFactory(size=1)
    MilestoneFactory(title="Survey done")
    MilestoneFactory(title="Survey done")  # the same title on another action
    new_submission(status="rejected", decision_reason="Out of scope.")
    new_submission(status="accepted", action=ActionFactory())

    assert LogicModel.objects.filter(workstream=workstream).count() == 3
    assert Submission.objects.count() == 2


def test_every_constraint_of_the_app_has_a_case_above():
    named = {
        c.name
        for model in apps.get_app_config("workstreams").get_models()
        if not model.__name__.startswith("Historical")
        for c in model._meta.constraints
    }

    assert named - set(VIOLATIONS) == set()
