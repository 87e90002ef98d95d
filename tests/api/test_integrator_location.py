"""Every 201 says where the new row lives (issue 18): ``Location`` is its
detail address, which answers a GET with the row just created."""

import pytest
from rest_framework.test import APIClient

from marmot import roles
from tests.conftest import user_with_role
from tests.indicators.factories import AreaFactory, IndicatorFactory, PeriodFactory
from tests.workstreams.factories import (
    ActionFactory,
    OrganisationFactory,
    SubmissionFactory,
    WorkplanFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer():
    client = APIClient()
    client.force_authenticate(user_with_role(roles.OFFICER, is_staff=True))
    return client


def _created(client, path, body) -> dict:
    response = client.post(path, body, format="json")
    assert response.status_code == 201, response.content[:400]
    location = response["Location"]
    assert location.startswith("http://testserver/api/v1/")
    again = client.get(location)
    assert again.status_code == 200
    return {"response": response.json(), "location": location, "read": again}


def test_a_new_workstream_is_found_by_its_slug(officer):
    made = _created(
        officer,
        "/api/v1/workstreams/",
        {"slug": "new-work", "name": "New work", "purpose": "To test."},
    )
    assert made["location"] == "http://testserver/api/v1/workstreams/new-work/"
    assert made["read"].json()["slug"] == "new-work"


def test_a_new_action_and_its_progress_update(officer):
    workplan = WorkplanFactory()
    action = _created(
        officer,
        "/api/v1/actions/",
        {
            "workplan": workplan.pk,
            "title": "A new action",
            "lead_organisation": OrganisationFactory().pk,
        },
    )
    new_id = action["response"]["id"]
    assert action["location"].endswith(f"/api/v1/actions/{new_id}/")
    update = _created(
        officer,
        "/api/v1/progress-updates/",
        {
            "action": new_id,
            "reported_on": "2024-09-01",
            "text": "Going well.",
            "status": "in_progress",
        },
    )
    assert update["read"].json()["id"] == update["response"]["id"]


def test_a_new_value(officer):
    indicator = IndicatorFactory(code="LOC1")
    AreaFactory(code="E06000077")
    PeriodFactory(label="2022")
    made = _created(
        officer,
        "/api/v1/values/",
        {"indicator": "LOC1", "area": "E06000077", "period": "2022", "value": 1.5},
    )
    assert made["read"].json()["indicator"] == indicator.code
    assert made["location"].endswith(f"/api/v1/values/{made['response']['id']}/")


def test_a_message_points_at_its_conversation(officer):
    submission = SubmissionFactory()
    made = _created(
        officer,
        f"/api/v1/submissions/{submission.pk}/messages/",
        {"body": "A note for the record."},
    )
    assert made["location"].endswith(f"/api/v1/submissions/{submission.pk}/messages/")
    assert made["read"].json()[-1]["body"] == "A note for the record."


def test_nothing_created_has_no_location(officer):
    action = ActionFactory()
    response = officer.post(
        "/api/v1/progress-updates/", {"action": action.pk}, format="json"
    )
    assert response.status_code == 400
    assert not response.has_header("Location")
