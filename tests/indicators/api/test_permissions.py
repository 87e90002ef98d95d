"""Who may do what on indicators, values and manual assessments (workstreams.rules)."""

import pytest

from indicators.models import Assessment, Indicator, IndicatorValue
from tests.indicators.api.conftest import ROLES, client_for
from tests.indicators.factories import IndicatorFactory, IndicatorValueFactory

pytestmark = pytest.mark.django_db

ALLOWED = {
    # (resource, operation): {role: status}; other roles get 403 (401 anonymous).
    ("indicators", "list"): dict.fromkeys(ROLES, 200),
    ("indicators", "detail"): dict.fromkeys(ROLES, 200),
    ("indicators", "post"): {"officer": 201},
    ("indicators", "patch"): {"officer": 200},
    ("indicators", "delete"): {"officer": 204},
    ("values", "list"): dict.fromkeys(ROLES, 200),
    ("values", "detail"): dict.fromkeys(ROLES, 200),
    ("values", "post"): {"officer": 201},
    ("values", "patch"): {"officer": 200},
    ("values", "delete"): {"officer": 204},
    ("values", "manual-assessment"): {"officer": 201},
    ("values", "calculate"): {"officer": 201},
}
DENIED = {True: 401, False: 403}
CASES = [
    (resource, operation, role, expected.get(role, DENIED[role == "anonymous"]))
    for (resource, operation), expected in ALLOWED.items()
    for role in ROLES
]


@pytest.fixture
def value(place):
    indicator = IndicatorFactory(code="smoking")
    IndicatorFactory(code="spare")  # no values: one an officer may delete
    return IndicatorValueFactory(indicator=indicator, area=place.area)


def request(client, resource, operation, value):
    if resource == "indicators":
        detail = "/api/v1/indicators/smoking/"
        body = {"name": "Renamed"}
        new = {
            "code": "new",
            "name": "New",
            "value_type": "count",
            "polarity": "no_judgement",
        }
    else:
        detail = f"/api/v1/values/{value.pk}/"
        body = {"value_note": "Checked"}
        new = {
            "indicator": "smoking",
            "area": value.area.code,
            "period": value.period.label,
            "sex": "Female",
            "value": 40.0,
        }
    calls = {
        "list": lambda: client.get(f"/api/v1/{resource}/"),
        "detail": lambda: client.get(detail),
        "post": lambda: client.post(f"/api/v1/{resource}/", new, format="json"),
        "patch": lambda: client.patch(detail, body, format="json"),
        "delete": lambda: client.delete(
            "/api/v1/indicators/spare/" if resource == "indicators" else detail
        ),
        "calculate": lambda: client.post(
            "/api/v1/values/calculate/",
            {
                "indicator": "smoking",
                "area": value.area.code,
                "period": value.period.label,
                "sex": "Female",
                "numerator": 40,
                "denominator": 100,
            },
            format="json",
        ),
        "manual-assessment": lambda: client.post(
            f"{detail}manual-assessment/",
            {"benchmark": "national", "result": "better", "reason": "Checked."},
            format="json",
        ),
    }
    return calls[operation]()


@pytest.mark.parametrize(("resource", "operation", "role", "expected"), CASES)
def test_permission_matrix(value, resource, operation, role, expected):
    before = (
        Indicator.objects.count(),
        IndicatorValue.objects.count(),
        Assessment.objects.count(),
        Indicator.objects.get(code="smoking").name,
        IndicatorValue.objects.filter(pk=value.pk).values_list("value_note").first(),
    )

    response = request(client_for(role), resource, operation, value)

    assert response.status_code == expected, response.content
    after = (
        Indicator.objects.count(),
        IndicatorValue.objects.count(),
        Assessment.objects.count(),
        Indicator.objects.get(code="smoking").name,
        IndicatorValue.objects.filter(pk=value.pk).values_list("value_note").first(),
    )
    if expected >= 400:
        assert response.json()["error"]["status"] == expected
        assert after == before  # nothing written
    elif operation not in ("list", "detail"):
        assert after != before


@pytest.mark.parametrize(
    ("role", "sees_draft"),
    [
        ("anonymous", False),
        ("partner", False),
        ("chair", True),
        ("oversight", True),
        ("officer", True),
    ],
)
def test_unpublished_indicator_visibility_per_role(place, role, sees_draft):
    draft = IndicatorFactory(code="draft", is_published=False)
    value = IndicatorValueFactory(indicator=draft, area=place.area)
    client = client_for(role)

    expected = 200 if sees_draft else 404
    assert client.get("/api/v1/indicators/draft/").status_code == expected
    assert client.get(f"/api/v1/values/{value.pk}/").status_code == expected
    listed = [r["code"] for r in client.get("/api/v1/indicators/").json()["results"]]
    assert ("draft" in listed) is sees_draft
