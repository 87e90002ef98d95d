"""Partner submissions: made for the partner's organisation, decided once."""

import pytest
from django.core.exceptions import ValidationError

from tests.workstreams.factories import (
    MarmotPrincipleFactory,
    SubmissionFactory,
    WorkplanFactory,
)
from workstreams import services
from workstreams.models import Action, Submission

pytestmark = pytest.mark.django_db

NEW = {
    "workstream": "own",
    "title": "Warm spaces",
    "description": "Open our hall on winter afternoons.",
    "lead_contact": "Sam Jones",
    "start_date": "2025-01-01",
    "end_date": "2025-03-01",
}


def test_partner_submits_for_their_own_organisation_whatever_the_body(
    world, client_for
):
    response = client_for("partner").post(
        "/api/v1/submissions/",
        {
            **NEW,
            "organisation": world["other_org"].pk,
            "principles": [world["principle"].number],
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["organisation"] == world["org"].pk
    assert body["submitted_by"] == world["users"]["partner"].pk
    assert (body["status"], body["principles"]) == (
        "submitted",
        [world["principle"].number],
    )
    assert response["ETag"].startswith('"1-')


def test_officer_names_the_organisation(world, client_for):
    client = client_for("officer")
    missing = client.post("/api/v1/submissions/", NEW, format="json")
    assert missing.json()["error"]["fields"] == {
        "organisation": ["Choose the organisation."]
    }
    made = client.post(
        "/api/v1/submissions/",
        {**NEW, "organisation": world["other_org"].pk},
        format="json",
    )
    assert made.json()["organisation"] == world["other_org"].pk


def test_partner_reads_only_their_organisations_submissions(world, client_for):
    client = client_for("partner")
    rows = client.get("/api/v1/submissions/").json()["results"]
    assert [row["id"] for row in rows] == [world["submission"].pk]
    hidden = client.get(f"/api/v1/submissions/{world['other_submission'].pk}/")
    assert hidden.status_code == 404


def test_accept_makes_an_action_in_the_current_workplan(world, client_for):
    submission = world["submission"]
    submission.principles.add(world["principle"])
    submission.supports_activity = world["activity"]
    submission.supports_recommendation = world["recommendation"]
    submission.save()
    response = client_for("chair").post(
        f"/api/v1/submissions/{submission.pk}/accept/", {}, format="json"
    )
    assert response.status_code == 200, response.content
    body = response.json()
    action = Action.objects.get(pk=body["action"])
    # The draft 2025/26 plan is the latest one not closed.
    assert action.workplan == world["draft_workplan"]
    assert action.source == Action.Source.PARTNER_SUBMISSION
    assert action.lead_organisation == world["org"]
    assert action.title == submission.title
    assert list(action.principles.all()) == [world["principle"]]
    assert list(action.activities.all()) == [world["activity"]]
    assert list(action.recommendations.all()) == [world["recommendation"]]
    assert body["status"] == "accepted"
    assert body["decided_by"] == world["users"]["chair"].pk
    assert body["decided_at"] is not None
    assert body["row_version"] == 2


def test_a_decided_submission_cannot_be_decided_again(world, client_for):
    client = client_for("chair")
    url = f"/api/v1/submissions/{world['submission'].pk}/"
    assert client.post(f"{url}reject/", {"reason": "No."}, "json").status_code == 200
    again = client.post(f"{url}accept/", {}, format="json")
    assert again.status_code == 409  # a conflict with its state (issue 14)
    assert again.json()["error"] == {
        "status": 409,
        "code": "conflict",
        "message": "This submission was already rejected; a decision cannot be "
        "changed.",
        "fields": {},
    }
    assert Action.objects.filter(title=world["submission"].title).count() == 0


def test_reject_needs_a_reason(world, client_for):
    url = f"/api/v1/submissions/{world['submission'].pk}/reject/"
    response = client_for("chair").post(url, {"reason": ""}, format="json")
    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["reason"]
    assert Submission.objects.get(pk=world["submission"].pk).status == "submitted"


def test_request_info_then_accept(world, client_for):
    client = client_for("chair")
    url = f"/api/v1/submissions/{world['submission'].pk}/"
    asked = client.post(f"{url}request-info/", {"reason": "Costs?"}, format="json")
    assert asked.json()["status"] == "more_info"
    assert asked.json()["decision_reason"] == "Costs?"
    assert client.post(f"{url}accept/", {}, format="json").json()["status"] == (
        "accepted"
    )


def test_accept_into_a_chosen_workplan_of_the_same_workstream(world):
    chair = world["users"]["chair"]
    elsewhere = WorkplanFactory(workstream=world["other"], year_label="2030/31")
    with pytest.raises(ValidationError) as error:
        services.submission_accept(
            submission=world["submission"], user=chair, workplan=elsewhere
        )
    assert "workplan" in error.value.message_dict
    accepted = services.submission_accept(
        submission=world["submission"], user=chair, workplan=world["workplan"]
    )
    assert accepted.action.workplan == world["workplan"]


def test_accept_needs_an_open_workplan(world):
    submission = SubmissionFactory(workstream=world["other"])
    with pytest.raises(ValidationError) as error:
        services.submission_accept(
            submission=submission, user=world["users"]["officer"]
        )
    assert error.value.message_dict == {
        "workplan": ["The workstream has no open workplan to add the action to."]
    }


def test_submission_create_checks_the_activity_and_dates(world):
    partner = world["users"]["partner"]
    base = {
        "organisation": world["org"],
        "submitted_by": partner,
        "title": "T",
        "description": "D",
        "lead_contact": "L",
    }
    with pytest.raises(ValidationError) as error:
        services.submission_create(
            workstream=world["other"], supports_activity=world["activity"], **base
        )
    assert "supports_activity" in error.value.message_dict
    with pytest.raises(ValidationError):
        services.submission_create(
            workstream=world["own"], evidence_url="ftp://example.org/x", **base
        )
    made = services.submission_create(
        workstream=world["own"], principles=[MarmotPrincipleFactory(number=3)], **base
    )
    assert [p.number for p in made.principles.all()] == [3]


def test_dates_in_the_wrong_order_are_a_field_error(world, client_for):
    response = client_for("partner").post(
        "/api/v1/submissions/",
        {**NEW, "start_date": "2025-05-01", "end_date": "2025-01-01"},
        format="json",
    )
    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["end_date"]
