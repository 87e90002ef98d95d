"""The OpenAPI schema validates without warnings and documents every endpoint."""

import pytest
import yaml
from django.core.management import call_command

INDICATOR_PATHS = {
    "/api/v1/areas/": ["get"],
    "/api/v1/areas/{code}/": ["get"],
    "/api/v1/periods/": ["get"],
    "/api/v1/periods/{id}/": ["get"],
    "/api/v1/indicators/": ["get", "post"],
    "/api/v1/indicators/{code}/": ["get", "patch", "delete"],
    "/api/v1/indicators/{code}/inequalities/": ["get"],
    "/api/v1/values/": ["get", "post"],
    "/api/v1/values/{id}/": ["get", "patch", "delete"],
    "/api/v1/values/{id}/manual-assessment/": ["post"],
    "/api/v1/values/calculate/": ["post"],
    "/api/v1/dashboard/": ["get"],
}


@pytest.fixture
def schema(tmp_path):
    target = tmp_path / "schema.yml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    return yaml.safe_load(target.read_text())


def test_schema_validates_without_warnings_and_lists_indicator_endpoints(schema):
    paths = schema["paths"]
    assert {p: sorted(paths[p]) for p in INDICATOR_PATHS if p in paths} == {
        p: sorted(methods) for p, methods in INDICATOR_PATHS.items()
    }


def test_schema_documents_filters_and_dashboard_shape(schema):
    def parameters(path):
        return {p["name"] for p in schema["paths"][path]["get"].get("parameters", [])}

    assert {
        "indicator",
        "area",
        "area_type",
        "period_from",
        "period_to",
        "category_type",
        "category",
        "sex",
        "age",
        "assessment_result",
        "assessment_benchmark",
        "assessment_scope",
    } <= parameters("/api/v1/values/")
    assert {"principle", "workstream", "kind"} <= parameters("/api/v1/indicators/")
    assert {"principle", "workstream", "kind", "comparator", "assessment_result"} <= (
        parameters("/api/v1/dashboard/")
    )
    entry = schema["components"]["schemas"]["DashboardEntry"]["properties"]
    assert set(entry) == {
        "indicator",
        "latest",
        "benchmarks",
        "assessments",
        "trend",
        "freshness",
        "has_disagreement",
        "series",
        "output",  # an output KPI's progress (ADR 32)
    }
