"""Officers' decisions in the admin go through the services, as on the site
and in the API: the action is made, the decider recorded, the partner emailed;
a decision the services would refuse is a form error or a message, never a
crash, and saves nothing."""

import pytest
from django.contrib.admin import helpers
from django.core import mail

from tests.site.fixtures import admin_form_data, admin_url
from tests.workstreams.factories import SubmissionFactory, WorkstreamFactory
from tests.workstreams.fixtures import build_submission_world
from workstreams import services
from workstreams.models import Action, Submission

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(role_users):
    return build_submission_world(role_users)


@pytest.fixture
def officer(world, client_as):
    world.users["officer"].is_superuser = True
    world.users["officer"].save()
    return client_as(world.users["officer"])


def change(submission):
    return admin_url(Submission, "change", submission.pk)


def fresh(submission):
    return Submission.objects.get(pk=submission.pk)


def test_accepting_in_the_change_form_makes_the_action_and_emails(
    world, officer, django_capture_on_commit_callbacks
):
    data = admin_form_data(officer.get(change(world.submission)))
    data["status"] = "accepted"
    data["title"] = "Warm spaces (renamed by an officer)"
    with django_capture_on_commit_callbacks(execute=True):
        response = officer.post(change(world.submission), data)
    assert response.status_code == 302
    submission = fresh(world.submission)
    assert submission.status == "accepted"
    assert submission.decided_by == world.users["officer"]
    assert submission.action.title == "Warm spaces (renamed by an officer)"
    assert submission.action.workplan == world.workplan
    assert submission.row_version == 3  # the officer's edit, then the decision
    [message] = mail.outbox
    assert message.to == ["partner@example.org"]
    assert message.subject == "Accepted: Warm spaces (renamed by an officer)"


def test_accepting_without_an_open_workplan_is_a_form_error(world, officer):
    homeless = SubmissionFactory(workstream=WorkstreamFactory(), organisation=world.org)
    data = admin_form_data(officer.get(change(homeless)))
    data["status"] = "accepted"
    response = officer.post(change(homeless), data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["status"] == [
        "The workstream has no open workplan to add the action to."
    ]
    assert fresh(homeless).status == "submitted"


def test_a_decision_cannot_be_changed_in_the_admin(world, officer):
    services.submission_reject(
        submission=world.submission, user=world.users["officer"], reason="No"
    )
    data = admin_form_data(officer.get(change(world.submission)))
    data["status"] = "accepted"
    response = officer.post(change(world.submission), data)
    assert "status" in response.context["adminform"].form.errors
    assert fresh(world.submission).status == "rejected"
    assert not Action.objects.filter(title="Warm spaces in libraries").exists()


def test_an_officer_resubmits_for_the_partner(
    world, officer, django_capture_on_commit_callbacks
):
    services.submission_request_info(
        submission=world.submission, user=world.users["officer"], reason="Costs?"
    )
    data = admin_form_data(officer.get(change(world.submission)))
    data["status"] = "submitted"
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        officer.post(change(world.submission), data)
    assert fresh(world.submission).status == "submitted"
    assert mail.outbox[0].subject.startswith("Resubmitted for")


def test_adding_in_the_admin_goes_through_the_service(
    world, officer, django_capture_on_commit_callbacks
):
    data = admin_form_data(officer.get(admin_url(Submission, "add")))
    data.update(
        organisation=world.org.pk,
        submitted_by=world.users["partner"].pk,
        workstream=world.own.pk,
        title="Added by an officer",
        description="From a phone call.",
        lead_contact="Sam",
        status="submitted",
        principles=[world.principles[0].pk],
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = officer.post(admin_url(Submission, "add"), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    made = Submission.objects.get(title="Added by an officer")
    assert list(made.principles.all()) == [world.principles[0]]
    assert sorted(mail.outbox[0].to) == ["chair@example.org", "deputy@example.org"]


def post_action(client, action, submissions, **extra):
    return client.post(
        admin_url(Submission, "changelist"),
        {
            "action": action,
            helpers.ACTION_CHECKBOX_NAME: [s.pk for s in submissions],
            **extra,
        },
    )


def test_the_accept_action_decides_each_and_reports_refusals(
    world, officer, django_capture_on_commit_callbacks
):
    homeless = SubmissionFactory(workstream=WorkstreamFactory(), title="Homeless")
    with django_capture_on_commit_callbacks(execute=True):
        response = post_action(
            officer, "accept_selected", [world.submission, homeless], index=0
        )
    assert response.status_code == 302
    assert fresh(world.submission).status == "accepted"
    assert fresh(homeless).status == "submitted"
    notes = [str(m) for m in response.wsgi_request._messages]
    assert notes == [
        "1 submission accepted.",
        "“Homeless”: The workstream has no open workplan to add the action to.",
    ]
    assert len(mail.outbox) == 1


@pytest.mark.parametrize(
    "action, status",
    [("reject_selected", "rejected"), ("request_info_selected", "more_info")],
)
def test_reason_actions_ask_for_the_reason_first(
    world, officer, django_capture_on_commit_callbacks, action, status
):
    chosen = [world.submission, world.other_submission]
    page = post_action(officer, action, chosen, index=0)
    assert page.status_code == 200
    assert b'name="reason"' in page.content
    assert fresh(world.submission).status == "submitted"
    blank = post_action(officer, action, chosen, apply="1", reason="")
    assert blank.status_code == 200
    assert fresh(world.submission).status == "submitted"
    with django_capture_on_commit_callbacks(execute=True):
        done = post_action(officer, action, chosen, apply="1", reason="Out of scope.")
    assert done.status_code == 302
    for submission in chosen:
        submission = fresh(submission)
        assert (submission.status, submission.decision_reason) == (
            status,
            "Out of scope.",
        )
    assert sorted(m.to[0] for m in mail.outbox) == [
        "other_partner@example.org",
        "partner@example.org",
    ]
