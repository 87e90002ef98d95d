"""Bad input is a 400 in the one error shape, with field messages; never 500."""

import pytest

from tests.workstreams.factories import WorkplanFactory, WorkplanPriorityFactory
from workstreams.models import Action

pytestmark = pytest.mark.django_db


def _fields(response):
    assert response.status_code == 400, response.content
    body = response.json()["error"]
    assert body["status"] == 400
    assert body["message"] == "The request has errors; see fields."
    return body["fields"]


def _new_action(world, **changes):
    return {
        "workplan": world["workplan"].pk,
        "title": "A new action",
        "status": "planned",
        **changes,
    }


def test_malformed_json(world, client_for):
    response = client_for("chair").post(
        "/api/v1/actions/", data='{"title": ', content_type="application/json"
    )
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "parse_error"
    assert "JSON parse error" in error["message"]


def test_wrong_types(world, client_for):
    fields = _fields(
        client_for("chair").post(
            "/api/v1/actions/",
            _new_action(world, due_date="next week", is_next_step="perhaps"),
            format="json",
        )
    )
    assert set(fields) == {"due_date", "is_next_step"}
    assert "Date has wrong format" in fields["due_date"][0]


def test_unknown_foreign_keys(world, client_for):
    fields = _fields(
        client_for("chair").post(
            "/api/v1/actions/",
            _new_action(world, lead_organisation=99999, principles=[9]),
            format="json",
        )
    )
    assert fields["lead_organisation"] == [
        'Invalid pk "99999" - object does not exist.'
    ]
    assert fields["principles"] == ["Object with number=9 does not exist."]


def test_unknown_workstream_slug(world, client_for):
    fields = _fields(
        client_for("officer").post(
            "/api/v1/workplans/",
            {
                "workstream": "nowhere",
                "year_label": "2030/31",
                "starts_on": "2030-04-01",
                "ends_on": "2031-03-31",
            },
            format="json",
        )
    )
    assert fields["workstream"] == ["Object with slug=nowhere does not exist."]


def test_priority_from_another_workplan(world, client_for):
    elsewhere = WorkplanPriorityFactory(
        workplan=WorkplanFactory(workstream=world["own"], year_label="2026/27")
    )
    fields = _fields(
        client_for("chair").post(
            "/api/v1/actions/",
            _new_action(world, priority=elsewhere.pk),
            format="json",
        )
    )
    assert fields["priority"] == ["This priority belongs to a different workplan."]
    assert not Action.objects.filter(title="A new action").exists()


@pytest.mark.parametrize(
    ("role", "endpoint", "key", "body", "field", "message"),
    [
        (
            "chair",
            "actions",
            "action",
            {"start_date": "2025-01-01", "due_date": "2024-01-01"},
            "due_date",
            "The due date must be the same as or after the start date.",
        ),
        (
            "chair",
            "workplans",
            "draft_workplan",
            {"starts_on": "2025-04-01", "ends_on": "2025-04-01"},
            "ends_on",
            "A workplan must end after it starts.",
        ),
        (
            "partner",
            "submissions",
            "submission",
            {"start_date": "2025-01-01", "end_date": "2024-12-31"},
            "end_date",
            "The end date must be the same as or after the start date.",
        ),
    ],
)
def test_dates_in_the_wrong_order(
    world, client_for, role, endpoint, key, body, field, message
):
    """The model's rule (``clean()``, reached through the service), on its
    field, in the words the site's forms show."""
    response = client_for(role).patch(
        f"/api/v1/{endpoint}/{world[key].pk}/", body, format="json", HTTP_IF_MATCH='"1"'
    )
    assert _fields(response) == {field: [message]}


def test_service_rule_reads_as_a_field_error(world, client_for):
    """A completed action needs its completion date (rule in the service)."""
    response = client_for("chair").patch(
        f"/api/v1/actions/{world['action'].pk}/",
        {"status": "completed"},
        format="json",
        HTTP_IF_MATCH='"1"',
    )
    assert _fields(response) == {
        "completed_on": ["A completed action needs the date it was completed."]
    }


def test_duplicate_workplan_year(world, client_for):
    response = client_for("chair").post(
        "/api/v1/workplans/",
        {
            "workstream": "own",
            "year_label": "2024/25",
            "starts_on": "2024-04-01",
            "ends_on": "2025-03-31",
        },
        format="json",
    )
    assert _fields(response) == {
        "year_label": ["This workstream already has a workplan for that year."]
    }


def test_signing_off_a_draft_skips_consultation_and_is_refused(world, client_for):
    response = client_for("chair").patch(
        f"/api/v1/workplans/{world['draft_workplan'].pk}/",
        {"status": "signed_off", "signed_off_on": "2025-03-01"},
        format="json",
        HTTP_IF_MATCH='"1"',
    )
    assert response.status_code == 409  # the workplan's state refuses it
    assert response.json()["error"]["fields"] == {
        "status": [
            "A workplan can move from draft to signed off only after consultation: "
            "move it to consultation first."
        ]
    }


def test_signed_off_workplan_needs_a_date(world, client_for):
    workplan = world["draft_workplan"]
    workplan.status = "consultation"
    workplan.save()
    response = client_for("chair").patch(
        f"/api/v1/workplans/{workplan.pk}/",
        {"status": "signed_off"},
        format="json",
        HTTP_IF_MATCH='"1"',
    )
    assert _fields(response) == {
        "signed_off_on": ["Give the date the workplan was signed off."]
    }


def test_not_found_uses_the_shape(world, client_for):
    response = client_for("officer").get("/api/v1/actions/987654/")
    assert response.status_code == 404
    assert response.json() == {
        "error": {
            "status": 404,
            "code": "not_found",
            "message": "Not found.",
            "fields": {},
        }
    }


def test_a_list_for_a_body_is_a_400(world, client_for):
    client = client_for("chair")
    url = f"/api/v1/actions/{world['action'].pk}/"
    response = client.patch(url, [1, 2], format="json", HTTP_IF_MATCH='"1"')
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {
        "non_field_errors": ["Invalid data. Expected a dictionary, but got list."]
    }
    assert client.patch(url, [1, 2], format="json", HTTP_IF_MATCH="").status_code == 428
    assert client.post("/api/v1/actions/", [1], format="json").status_code == 400
