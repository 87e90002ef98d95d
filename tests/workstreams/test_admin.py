"""The officer admin for the workstreams app."""

import datetime as dt

import pytest
from django.contrib import admin
from django.urls import reverse

from indicators import models as indicator_models
from tests.indicators.factories import AreaFactory, IndicatorFactory
from tests.site.fixtures import (
    admin_form_data,
    admin_url,
    assert_changelist_queries_constant,
    inline_formset,
    registered_models,
)
from tests.workstreams.factories import (
    ActionFactory,
    EvidenceFileFactory,
    InvitationFactory,
    LogicModelFactory,
    LogicModelItemFactory,
    MarmotPrincipleFactory,
    MilestoneFactory,
    OrganisationFactory,
    OrganisationMembershipFactory,
    PlaceFactory,
    ProgressUpdateFactory,
    RecommendationFactory,
    ReminderSentFactory,
    SubmissionFactory,
    UserFactory,
    WorkplanCommentFactory,
    WorkplanFactory,
    WorkplanPriorityFactory,
    WorkstreamFactory,
)
from tests.workstreams.kpi_fixtures import new_kpi, new_kpi_entry
from workstreams import models
from workstreams.services import achievements as achievement_services

pytestmark = pytest.mark.django_db


# Fixtures and row builders --------------------------------------------------


@pytest.fixture
def officer(db):
    return UserFactory(is_staff=True, is_superuser=True)


@pytest.fixture
def officer_client(client, officer):
    client.force_login(officer)
    return client


def make_action(**kwargs):
    """An action with every relation its list row shows filled in."""
    workplan = kwargs.pop("workplan", None) or WorkplanFactory()
    kwargs.setdefault("priority", WorkplanPriorityFactory(workplan=workplan))
    return ActionFactory(workplan=workplan, lead_user=UserFactory(), **kwargs)


def build_principles(n):
    start = indicator_models.MarmotPrinciple.objects.count()
    for number in range(start + 1, start + n + 1):
        principle = MarmotPrincipleFactory(number=number)
        WorkstreamFactory().principles.add(principle)
        IndicatorFactory(principle=principle)


def build_place(n):
    for _ in range(n):
        PlaceFactory()


def build_organisations(n):
    for organisation in OrganisationFactory.create_batch(n):
        OrganisationMembershipFactory(organisation=organisation)


def build_workstreams(n):
    principle = MarmotPrincipleFactory(number=1)
    for workstream in WorkstreamFactory.create_batch(n):
        workstream.principles.add(principle)
        workstream.deputies.add(UserFactory())
        make_action(workplan=WorkplanFactory(workstream=workstream))


def build_recommendations(n):
    principle = MarmotPrincipleFactory(number=2)
    for recommendation in RecommendationFactory.create_batch(n, principle=principle):
        make_action().recommendations.add(recommendation)


def build_logic_model_items(n):
    for item in LogicModelItemFactory.create_batch(
        n, kind=models.LogicModelItem.Kind.OUTPUT
    ):
        item.indicators.add(IndicatorFactory())


def build_actions(n):
    for _ in range(n):
        ProgressUpdateFactory(action=make_action())


def build_submissions(n):
    for _ in range(n):
        SubmissionFactory(decided_by=UserFactory(), action=make_action())


def build_submission_messages(n):
    for submission in SubmissionFactory.create_batch(n):
        models.SubmissionMessage.objects.create(
            submission=submission, author=UserFactory(), kind="note", body="Noted."
        )


def build_kpis(n):
    for _ in range(n):
        new_kpi(reporting_organisation=OrganisationFactory())


def build_kpi_entries(n):
    kpi = new_kpi(reporting_organisation=OrganisationFactory())
    for number in range(n):
        new_kpi_entry(kpi, label=f"{2000 + number}/{(number + 1) % 100:02d} Q1")


def build_system_programmes(n):
    start = models.SystemProgramme.objects.count()
    for number in range(start, start + n):
        programme = achievement_services.system_programme_upsert(
            slug=f"programme-{number}", name=f"Programme {number}"
        )
        build_deliverables(1, programme=programme)


def build_deliverables(n, programme=None):
    programme = programme or achievement_services.system_programme_upsert(
        slug="programme", name="Programme"
    )
    start = models.ProgrammeAction.objects.count()
    for number in range(start, start + n):
        achievement_services.programme_action_upsert(
            kind=models.ProgrammeAction.Kind.DELIVERABLE,
            title=f"{programme.name}: deliverable {number}",
            programme=programme,
            lead_organisation=OrganisationFactory(),
        )


def build_milestones(n):
    start = models.ProgrammeMilestone.objects.count()
    for number in range(start, start + n):
        achievement_services.programme_milestone_upsert(
            label=f"Throughout {2000 + number}",
            starts_on=dt.date(2000 + number, 1, 1),
            precision=models.ProgrammeMilestone.Precision.YEAR,
            items=["Kick off", "Report published"],
        )


def build_findings(n):
    start = models.EvaluationFinding.objects.count()
    for number in range(start, start + n):
        achievement_services.evaluation_finding_upsert(
            kind=models.EvaluationFinding.Kind.CHALLENGE, text=f"Challenge {number}"
        )


CHANGELIST_CASES = [
    (indicator_models.MarmotPrinciple, build_principles, 2, 8),  # at most eight exist
    (indicator_models.Place, build_place, 0, 1),  # a singleton
    (models.Organisation, build_organisations, 3, 30),
    (models.OrganisationMembership, OrganisationMembershipFactory.create_batch, 3, 30),
    (models.Workstream, build_workstreams, 3, 30),
    (models.Recommendation, build_recommendations, 3, 30),
    (models.LogicModel, LogicModelFactory.create_batch, 3, 30),
    (models.LogicModelItem, build_logic_model_items, 3, 30),
    (models.Workplan, WorkplanFactory.create_batch, 3, 30),
    (models.WorkplanPriority, WorkplanPriorityFactory.create_batch, 3, 30),
    (models.Action, build_actions, 3, 30),
    (models.ProgressUpdate, ProgressUpdateFactory.create_batch, 3, 30),
    (models.Milestone, MilestoneFactory.create_batch, 3, 30),
    (models.EvidenceFile, EvidenceFileFactory.create_batch, 3, 30),
    (models.Submission, build_submissions, 3, 30),
    (models.SubmissionMessage, build_submission_messages, 3, 30),
    (models.Invitation, InvitationFactory.create_batch, 3, 30),
    (models.WorkplanComment, WorkplanCommentFactory.create_batch, 3, 30),
    (models.ReminderSent, ReminderSentFactory.create_batch, 3, 30),
    (models.Kpi, build_kpis, 3, 30),
    (models.KpiEntry, build_kpi_entries, 3, 30),
    (models.SystemProgramme, build_system_programmes, 3, 30),
    (models.ProgrammeAction, build_deliverables, 3, 30),
    (models.ProgrammeMilestone, build_milestones, 3, 30),
    (models.EvaluationFinding, build_findings, 3, 30),
]
# Written only through their services (or by send_reminders): no admin add page.
NO_ADD_PAGE = {
    models.WorkplanComment,
    models.ReminderSent,
    models.Kpi,  # added on the site, where the measure is asked for
    models.KpiEntry,  # recorded on the site or through the API
    models.EvidenceFile,  # uploaded with a progress update, on the site or API
    models.SubmissionMessage,  # append-only, written on the site or the API
}
CASE_IDS = [case[0].__name__ for case in CHANGELIST_CASES]


# Every page ----------------------------------------------------------------


def test_every_workstreams_model_is_registered():
    assert registered_models("workstreams") <= set(admin.site._registry)
    # The principles and the place are indicators' models (ADR 30), listed here
    # with the programme they describe; tests/indicators/test_admin.py leaves
    # them out.
    assert {model for model, *_ in CHANGELIST_CASES} == registered_models(
        "workstreams"
    ) | {indicator_models.MarmotPrinciple, indicator_models.Place}


@pytest.mark.parametrize(
    ("model", "build", "small", "large"), CHANGELIST_CASES, ids=CASE_IDS
)
def test_changelist_query_count_does_not_grow_with_rows(
    officer_client, record_property, model, build, small, large
):
    small_queries, large_queries = assert_changelist_queries_constant(
        officer_client, model, build, small, large
    )
    record_property("queries", f"{small_queries}@{small} {large_queries}@{large}")


@pytest.mark.parametrize(
    ("model", "build"), [c[:2] for c in CHANGELIST_CASES], ids=CASE_IDS
)
def test_changelist_add_and_change_pages_load(officer_client, model, build):
    expected_add = 403 if model in NO_ADD_PAGE else 200
    assert officer_client.get(admin_url(model, "add")).status_code == expected_add
    build(1)
    obj = model._default_manager.first()
    assert officer_client.get(admin_url(model, "changelist")).status_code == 200
    assert officer_client.get(admin_url(model, "change", obj.pk)).status_code == 200


@pytest.mark.parametrize("user_kwargs", [{}, {"is_staff": False, "is_active": True}])
def test_non_staff_users_are_sent_to_log_in(client, user_kwargs):
    if user_kwargs:
        client.force_login(UserFactory(**user_kwargs))
    url = admin_url(models.Action, "changelist")
    response = client.get(url)
    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


# Place ----------------------------------------------------------------------


def test_place_cannot_be_added_twice(officer_client):
    PlaceFactory()
    assert (
        officer_client.get(admin_url(indicator_models.Place, "add")).status_code == 403
    )
    response = officer_client.get(admin_url(indicator_models.Place, "changelist"))
    assert response.context["has_add_permission"] is False


def test_place_benchmarks_must_be_areas_of_the_right_type(officer_client):
    local = AreaFactory(area_type="local_authority")
    response = officer_client.post(
        admin_url(indicator_models.Place, "add"),
        {
            "name": "Testshire",
            "service_name": "Testshire Marmot Place",
            "area": local.pk,
            "country": local.pk,
            "region": AreaFactory(area_type="region").pk,
        },
    )
    assert response.status_code == 200
    assert "country" in response.context["adminform"].form.errors
    assert not indicator_models.Place.objects.exists()


# Actions --------------------------------------------------------------------


def test_action_search_finds_only_the_matching_action(officer_client):
    wanted = make_action(title="Warm homes retrofit for private renters")
    make_action(title="School readiness outreach")
    response = officer_client.get(
        admin_url(models.Action, "changelist"), {"q": "retrofit"}
    )
    assert list(response.context["cl"].result_list) == [wanted]


def test_action_list_shows_rag_and_overdue_as_words(officer_client):
    make_action(
        title="Late action",
        rag=models.Action.Rag.AMBER,
        start_date=dt.date(2020, 1, 1),
        due_date=dt.date(2020, 1, 31),
    )
    make_action(title="Done action", status="completed", completed_on=dt.date.today())
    url = admin_url(models.Action, "changelist")
    content = officer_client.get(url).content.decode()
    assert "Amber — at risk" in content
    assert "Overdue by" in content
    response = officer_client.get(url, {"overdue": "yes"})
    assert [a.title for a in response.context["cl"].result_list] == ["Late action"]


def test_action_offers_only_its_own_workplans_priorities(officer_client):
    action = make_action()
    other = WorkplanPriorityFactory(title="Someone else's priority")
    response = officer_client.get(admin_url(models.Action, "change", action.pk))
    choices = response.context["adminform"].form.fields["priority"].queryset
    assert action.priority in choices
    assert other not in choices


def test_existing_progress_updates_cannot_be_edited_through_the_action(
    officer_client, officer
):
    action = make_action()
    update = ProgressUpdateFactory(action=action, text="Original text")
    url = admin_url(models.Action, "change", action.pk)
    response = officer_client.get(url)
    data = admin_form_data(response)
    formset = inline_formset(response, models.ProgressUpdate)
    data[f"{formset.initial_forms[0].prefix}-text"] = "Tampered text"
    new_prefix = formset.extra_forms[0].prefix
    data[f"{new_prefix}-text"] = "Contract signed."
    data[f"{new_prefix}-reported_on"] = "2024-11-05"
    data[f"{new_prefix}-status"] = "completed"

    response = officer_client.post(url, data)

    assert response.status_code == 302, response.context["errors"]
    update.refresh_from_db()
    assert update.text == "Original text"
    new = action.progress_updates.exclude(pk=update.pk).get()
    assert new.text == "Contract signed."
    assert new.author == officer
    action.refresh_from_db()  # moved on by the service, as from any entry point
    assert action.status == models.Action.Status.COMPLETED
    assert action.completed_on == dt.date(2024, 11, 5)


def test_progress_update_admin_is_add_only(officer_client, officer):
    update = ProgressUpdateFactory(text="Original text")
    change_url = admin_url(models.ProgressUpdate, "change", update.pk)
    assert officer_client.get(change_url).status_code == 200  # view only
    response = officer_client.post(change_url, {"text": "Tampered"})
    assert response.status_code == 403
    delete_url = admin_url(models.ProgressUpdate, "delete", update.pk)
    assert officer_client.post(delete_url, {"post": "yes"}).status_code == 403
    update.refresh_from_db()
    assert update.text == "Original text"

    response = officer_client.post(
        admin_url(models.ProgressUpdate, "add"),
        {
            "action": update.action.pk,
            "reported_on": "2024-10-01",
            "status": "in_progress",
            "rag": "amber",
            "text": "Second update.",
        },
    )
    assert response.status_code == 302
    assert models.ProgressUpdate.objects.get(text="Second update.").author == officer


def test_workplan_inline_reports_an_undated_completion_instead_of_crashing(
    officer_client,
):
    action = make_action()
    url = admin_url(models.Workplan, "change", action.workplan.pk)
    response = officer_client.get(url)
    data = admin_form_data(response)
    data["actions-0-status"] = "completed"

    response = officer_client.post(url, data)

    assert response.status_code == 200
    action_formset = inline_formset(response, models.Action)
    assert action_formset.errors[0]["completed_on"] == [
        "Give the date this completed action was completed."
    ]
    action.refresh_from_db()
    assert action.status == models.Action.Status.IN_PROGRESS


def test_submission_decision_needs_a_reason_and_records_the_decider(
    officer_client, officer
):
    submission = SubmissionFactory()
    url = admin_url(models.Submission, "change", submission.pk)
    data = admin_form_data(officer_client.get(url))
    data["status"] = models.Submission.Status.REJECTED
    response = officer_client.post(url, data)
    assert response.status_code == 200
    assert "decision_reason" in response.context["adminform"].form.errors

    data["decision_reason"] = "Outside the workstream's scope."
    assert officer_client.post(url, data).status_code == 302
    submission.refresh_from_db()
    assert submission.status == models.Submission.Status.REJECTED
    assert submission.decided_by == officer
    assert submission.row_version == 2  # the API's ETag sees the change


@pytest.mark.parametrize(
    ("build", "start", "end", "message"),
    [
        (
            WorkplanFactory,
            "starts_on",
            "ends_on",
            "A workplan must end after it starts.",
        ),
        (
            make_action,
            "start_date",
            "due_date",
            "The due date must be the same as or after the start date.",
        ),
        (
            SubmissionFactory,
            "start_date",
            "end_date",
            "The end date must be the same as or after the start date.",
        ),
    ],
)
def test_dates_in_the_wrong_order_are_the_models_field_error(
    officer_client, build, start, end, message
):
    """The admin shows the model's date-order rule (its ``clean()``) on the
    later date's field, in the words the site's forms and the API use."""
    row = build()
    url = admin_url(type(row), "change", row.pk)
    data = admin_form_data(officer_client.get(url))
    data[start], data[end] = "2025-04-01", "2024-04-01"

    response = officer_client.post(url, data)

    assert response.status_code == 200
    assert response.context["adminform"].form.errors[end] == [message]
    row.refresh_from_db()
    assert str(getattr(row, end)) != "2024-04-01"


# The programme as a whole -----------------------------------------------------


def test_officer_tracks_a_deliverable_through_the_service(officer_client):
    build_deliverables(1)
    deliverable = models.ProgrammeAction.objects.get()
    url = admin_url(models.ProgrammeAction, "change", deliverable.pk)
    data = admin_form_data(officer_client.get(url))
    data.update(status="in_progress", rag="amber", progress_note="Venue booked.")

    response = officer_client.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    deliverable.refresh_from_db()
    assert (deliverable.status, deliverable.rag, deliverable.progress_note) == (
        "in_progress",
        "amber",
        "Venue booked.",
    )
    assert deliverable.history.count() == 2


def test_a_deliverable_without_a_programme_is_refused_where_it_is_wrong(
    officer_client,
):
    response = officer_client.post(
        admin_url(models.ProgrammeAction, "add"),
        {"kind": "deliverable", "title": "Orphan", "status": "planned", "position": 0},
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors
    assert not models.ProgrammeAction.objects.exists()
