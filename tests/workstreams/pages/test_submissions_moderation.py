"""The chair's decision on a submission's page, the partner's edit and
resubmission (with its conflict check), and the moderation queue."""

import pytest
from django.core import mail
from django.urls import reverse

from tests.workstreams.factories import WorkplanFactory
from tests.workstreams.fixtures import (
    build_submission_world,
    submission_form_data,
    summary_links,
)
from workstreams import services
from workstreams.models import Action, Submission, Workplan

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(role_users):
    return build_submission_world(role_users)


def detail(submission):
    return reverse("submission-detail", args=[submission.pk])


def edit(submission):
    return reverse("submission-edit", args=[submission.pk])


def fresh(submission):
    return Submission.objects.get(pk=submission.pk)


# --- the page --------------------------------------------------------------------


def test_the_partner_sees_their_submission_and_may_edit_it(world, client_as):
    html = client_as(world.users["partner"]).get(detail(world.submission))
    html = html.content.decode()
    assert "Warm spaces in libraries" in html and "Ali Khan" in html
    assert "Open three libraries on winter evenings." in html
    assert f'href="{edit(world.submission)}"' in html
    assert 'name="decision"' not in html  # partners do not decide
    assert "moderation queue" not in html


def test_the_chair_sees_the_decision_form_defaulting_to_the_current_workplan(
    world, client_as
):
    later = WorkplanFactory(
        workstream=world.own,
        year_label="2025/26",
        starts_on="2025-04-01",
        ends_on="2026-03-31",
    )
    closed = WorkplanFactory(
        workstream=world.own,
        year_label="2023/24",
        starts_on="2023-04-01",
        ends_on="2024-03-31",
        status=Workplan.Status.CLOSED,
        signed_off_on="2023-03-01",
    )
    html = client_as(world.users["chair"]).get(detail(world.submission))
    html = html.content.decode()
    assert 'name="decision"' in html
    assert f'name="workplan" type="radio" value="{later.pk}" checked' in html
    assert f'value="{world.workplan.pk}"' in html
    assert f'value="{closed.pk}"' not in html
    assert f'href="{edit(world.submission)}"' not in html  # chairs do not edit
    assert reverse("submission-queue", args=["housing"]) in html


def test_oversight_reads_without_a_decision_form(world, client_as):
    html = client_as(world.users["oversight"]).get(detail(world.submission))
    assert 'name="decision"' not in html.content.decode()


def test_accepting_makes_the_action_and_tells_the_partner(
    world, client_as, django_capture_on_commit_callbacks
):
    client = client_as(world.users["chair"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            detail(world.submission),
            {"decision": "accept", "workplan": world.workplan.pk},
        )
    assert response["Location"] == detail(world.submission)
    submission = fresh(world.submission)
    assert submission.status == "accepted"
    assert submission.decided_by == world.users["chair"]
    action = submission.action
    assert (action.workplan, action.title, action.lead_organisation) == (
        world.workplan,
        "Warm spaces in libraries",
        world.org,
    )
    assert action.source == Action.Source.PARTNER_SUBMISSION
    [message] = mail.outbox
    assert message.to == ["partner@example.org"]
    page = client.get(detail(world.submission)).content.decode()
    assert "Submission accepted: it is now an action in the 2024/25 workplan" in page
    assert f'href="{reverse("action-detail", args=[action.pk])}"' in page
    assert 'name="decision"' not in page
    # the partner sees the decision and, as their organisation leads it, a link
    # to the action even in a draft workplan (issue 17)
    partner_page = client_as(world.users["partner"]).get(detail(world.submission))
    partner_page = partner_page.content.decode()
    assert f'href="{reverse("action-detail", args=[action.pk])}"' in partner_page
    assert "Edit and resubmit" not in partner_page


@pytest.mark.parametrize(
    "decision, status", [("reject", "rejected"), ("more_info", "more_info")]
)
def test_reject_and_more_info_need_a_reason(world, client_as, decision, status):
    client = client_as(world.users["chair"])
    blank = client.post(detail(world.submission), {"decision": decision, "reason": " "})
    assert blank.status_code == 200
    assert summary_links(blank) == [("id_reason", "Give the partner a reason")]
    assert "<title>Error: Warm spaces in libraries" in blank.content.decode()
    assert fresh(world.submission).status == "submitted"
    client.post(
        detail(world.submission),
        {"decision": decision, "reason": "Which <b>libraries</b>?"},
    )
    submission = fresh(world.submission)
    assert (submission.status, submission.decision_reason) == (
        status,
        "Which <b>libraries</b>?",
    )
    html = client_as(world.users["partner"]).get(detail(world.submission))
    html = html.content.decode()
    assert "Which &lt;b&gt;libraries&lt;/b&gt;?" in html  # never rendered as HTML
    assert ("Edit and resubmit" in html) is (status == "more_info")
    heading = {
        "more_info": "More information asked for",
        "rejected": "Why it was not accepted",
    }[status]
    assert f'<h2 class="govuk-heading-s">{heading}</h2>' in html


def test_no_decision_chosen_is_an_error(world, client_as):
    response = client_as(world.users["chair"]).post(detail(world.submission), {})
    assert summary_links(response) == [("id_decision_0", "Choose a decision")]


def test_a_forged_workplan_of_another_workstream_is_refused(world, client_as):
    response = client_as(world.users["chair"]).post(
        detail(world.submission),
        {"decision": "accept", "workplan": world.other_workplan.pk},
    )
    assert summary_links(response) == [
        ("id_workplan_0", "Choose a workplan from the list")
    ]
    assert fresh(world.submission).status == "submitted"
    assert not Action.objects.filter(title="Warm spaces in libraries").exists()


def test_deciding_twice_says_it_was_already_decided(world, client_as):
    services.submission_reject(
        submission=world.submission, user=world.users["officer"], reason="No"
    )
    response = client_as(world.users["chair"]).post(
        detail(world.submission), {"decision": "accept"}
    )
    assert response.status_code == 200
    assert "already rejected; a decision cannot be changed" in (
        response.content.decode()
    )
    assert fresh(world.submission).status == "rejected"


# --- edit and resubmit ----------------------------------------------------------


def test_the_partner_edits_and_resubmits(
    world, client_as, django_capture_on_commit_callbacks
):
    services.submission_request_info(
        submission=world.submission, user=world.users["chair"], reason="Costs?"
    )
    client = client_as(world.users["partner"])
    page = client.get(edit(world.submission)).content.decode()
    assert "The chair asked for more information" in page and "Costs?" in page
    assert 'name="row_version" value="2"' in page
    assert 'value="Warm spaces in libraries"' in page
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            edit(world.submission),
            submission_form_data(world, title="Warm spaces: costed", row_version=2),
        )
    assert response["Location"] == detail(world.submission)
    submission = fresh(world.submission)
    assert (submission.title, submission.status, submission.row_version) == (
        "Warm spaces: costed",
        "submitted",
        3,
    )
    assert submission.organisation == world.org  # never changes
    [message] = mail.outbox
    assert message.subject.startswith("Resubmitted for Housing and communities")
    page = client.get(response["Location"]).content.decode()
    assert "Submission resubmitted: Warm spaces: costed" in page
    assert "Resubmitted after a request for more information" in page


def test_a_stale_edit_shows_the_conflict_and_saves_nothing(world, client_as):
    services.submission_update(
        submission=world.submission, user=world.users["officer"], title="By officer"
    )
    response = client_as(world.users["partner"]).post(
        edit(world.submission),
        submission_form_data(world, title="By partner", row_version=1),
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Someone else changed this submission since you opened it" in html
    assert 'value="By officer"' in html  # the current values, to redo the change
    assert 'name="row_version" value="2"' in html
    submission = fresh(world.submission)
    assert (submission.title, submission.row_version) == ("By officer", 2)


def test_a_forged_edit_is_a_field_error_and_saves_nothing(world, client_as):
    response = client_as(world.users["partner"]).post(
        edit(world.submission),
        submission_form_data(
            world,
            row_version=1,
            supports_activity=world.other_activity.pk,
            evidence_url="javascript:alert(1)",
        ),
    )
    assert [anchor for anchor, _ in summary_links(response)] == [
        "id_evidence_url",
    ]
    response = client_as(world.users["partner"]).post(
        edit(world.submission),
        submission_form_data(
            world, row_version=1, supports_activity=world.other_activity.pk
        ),
    )
    assert summary_links(response) == [
        (
            "id_supports_activity",
            "Choose an activity of the Housing and communities workstream, or none.",
        )
    ]
    assert fresh(world.submission).row_version == 1


# --- the queue ------------------------------------------------------------------


def test_the_queue_lists_waiting_first_with_counts(world, client_as):
    chair = world.users["chair"]
    services.submission_request_info(
        submission=world.other_submission, user=chair, reason="Dates?"
    )
    from tests.workstreams.factories import SubmissionFactory

    decided = SubmissionFactory(workstream=world.own, title="Decided one")
    services.submission_reject(submission=decided, user=chair, reason="No")
    SubmissionFactory(workstream=world.other, title="Elsewhere")
    html = client_as(chair).get(reverse("submission-queue", args=["housing"]))
    html = html.content.decode()
    waiting = html.index("Waiting for a decision (1)")
    more = html.index("Waiting for the partner: more information asked for (1)")
    done = html.index("Decided (1)")
    assert waiting < html.index("Warm spaces in libraries") < more
    assert more < html.index("College damp survey") < done < html.index("Decided one")
    assert "Elsewhere" not in html


def test_the_list_shows_a_partner_their_organisations_work(world, client_as):
    services.submission_reject(
        submission=world.submission,
        user=world.users["officer"],
        reason="Funded already.",
    )
    html = client_as(world.users["partner"]).get("/submissions/").content.decode()
    assert "Warm spaces in libraries" in html and "Funded already." in html
    assert "College damp survey" not in html  # another organisation's
    assert "Your organisation's actions" in html
    assert "Damp and mould taskforce" in html and "Skills bootcamp" in html
    assert reverse("progress-update-create", args=[world.action.pk]) in html
    assert "Moderation queues" not in html
    filtered = client_as(world.users["partner"]).get("/submissions/?status=submitted")
    assert "Warm spaces in libraries" not in filtered.content.decode()
    bad = client_as(world.users["partner"]).get("/submissions/?status=nonsense")
    assert summary_links(bad) == [("id_status", "Choose a status from the list")]


def test_the_list_shows_a_chair_their_workstreams_and_queues(world, client_as):
    from tests.workstreams.factories import SubmissionFactory

    SubmissionFactory(workstream=world.other, title="Elsewhere")
    html = client_as(world.users["chair"]).get("/submissions/").content.decode()
    assert "Warm spaces in libraries" in html and "College damp survey" in html
    assert "Elsewhere" not in html
    assert "Housing and communities</a>: 2 waiting for a decision" in html
    assert "Your organisation's actions" not in html
    officer = client_as(world.users["officer"]).get("/submissions/").content.decode()
    assert "Elsewhere" in officer and "Work and skills</a>: 1 waiting" in officer
