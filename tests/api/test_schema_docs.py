"""The OpenAPI schema is valid and warning-free; the docs use our own files."""

import re

import pytest
import yaml
from django.core.management import call_command

pytestmark = pytest.mark.django_db

WORKSTREAM_PATHS = [
    "/api/v1/auth/token/",
    "/api/v1/principles/",
    "/api/v1/principles/{id}/",
    "/api/v1/organisations/",
    "/api/v1/organisations/{id}/",
    "/api/v1/workstreams/",
    "/api/v1/workstreams/{slug}/",
    "/api/v1/logic-models/",
    "/api/v1/logic-models/{id}/",
    "/api/v1/workplans/",
    "/api/v1/workplans/{id}/",
    "/api/v1/workplans/{id}/status/",
    "/api/v1/workplans/{id}/reorder-priorities/",
    "/api/v1/priorities/",
    "/api/v1/priorities/{id}/",
    "/api/v1/actions/",
    "/api/v1/actions/{id}/",
    "/api/v1/progress-updates/",
    "/api/v1/progress-updates/{id}/",
    "/api/v1/recommendations/",
    "/api/v1/recommendations/{id}/",
    "/api/v1/submissions/",
    "/api/v1/submissions/{id}/",
    "/api/v1/submissions/{id}/accept/",
    "/api/v1/submissions/{id}/reject/",
    "/api/v1/submissions/{id}/request-info/",
]


def test_spectacular_validates_without_warnings(tmp_path):
    out = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))
    schema = yaml.safe_load(out.read_text())
    assert schema["openapi"].startswith("3.")
    assert set(WORKSTREAM_PATHS) <= set(schema["paths"])
    actions = schema["paths"]["/api/v1/actions/"]["get"]
    names = {p["name"] for p in actions["parameters"]}
    assert {
        "workstream",
        "workplan",
        "priority",
        "status",
        "rag",
        "lead_organisation",
        "principle",
        "due_before",
        "due_after",
        "overdue",
        "updated_since",
        "ordering",
        "page",
        "page_size",
    } <= names
    assert set(schema["paths"]["/api/v1/progress-updates/{id}/"]) == {"get"}


DELETES = [
    "/api/v1/principles/{id}/",
    "/api/v1/organisations/{id}/",
    "/api/v1/logic-models/{id}/",
    "/api/v1/workplans/{id}/",
    "/api/v1/priorities/{id}/",
    "/api/v1/actions/{id}/",
    "/api/v1/milestones/{id}/",
    "/api/v1/recommendations/{id}/",
    "/api/v1/indicators/{code}/",
    "/api/v1/values/{id}/",
]


def test_new_endpoints_are_described(tmp_path):
    out = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))
    paths = yaml.safe_load(out.read_text())["paths"]
    assert [p for p in paths if "delete" in paths[p]] == sorted(
        DELETES, key=list(paths).index
    )
    for path in DELETES:
        if path in ("/api/v1/actions/{id}/", "/api/v1/milestones/{id}/"):
            continue  # chairs delete their actions (with their progress
            # updates) and milestones
        delete = paths[path]["delete"]
        assert {"204", "400", "403"} <= set(delete["responses"]), path
        if path != "/api/v1/values/{id}/":
            assert "refused while" in delete["description"], path
    status = paths["/api/v1/workplans/{id}/status/"]["post"]
    assert "signed_off → draft (reopening, officers only" in status["description"]
    assert {"200", "400", "412", "428"} <= set(status["responses"])
    reorder = paths["/api/v1/workplans/{id}/reorder-priorities/"]["post"]
    assert "missing, foreign or repeated id is a 400" in reorder["description"]
    assert set(paths["/api/v1/priorities/"]) == {"get", "post"}
    names = {p["name"] for p in paths["/api/v1/priorities/"]["get"]["parameters"]}
    assert {"workplan", "workstream", "ordering", "page"} <= names
    values = {p["name"]: p for p in paths["/api/v1/values/"]["get"]["parameters"]}
    assert "anything else is a 400" in values["period_from"]["description"].lower()


def test_schema_endpoint_serves_openapi(client):
    response = client.get("/api/schema/?format=json")
    assert response.status_code == 200
    assert response.json()["info"]["title"] == "Marmot Tracker API"


def test_swagger_ui_uses_only_our_static_files(client):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    sources = re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', html)
    assert any("swagger-ui" in src for src in sources)
    for src in sources:
        assert src.startswith("/static/"), src
    assert "cdn" not in html.lower()
    assert not re.search(r'src="https?://', html)
