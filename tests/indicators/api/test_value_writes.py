"""values/ writes: officers create and patch values; manual assessments."""

import pytest

from indicators.models import Assessment, IndicatorValue, Method
from tests.indicators.factories import (
    AssessmentFactory,
    IndicatorFactory,
    PeriodFactory,
)
from tests.indicators.fixtures import VALUES_URL, put

pytestmark = pytest.mark.django_db


def new_value(**fields):
    body = {
        "indicator": "smoking",
        "area": "E06000001",
        "period": "2023",
        "value": 15.0,
        "lower95": 14.0,
        "upper95": 16.0,
        "count": 150,
        "denominator": 1000,
    }
    body.update(fields)
    return body


@pytest.fixture
def series(place):
    """A smoking series 2019-2022 for the place and England."""
    smoking = IndicatorFactory(code="smoking", polarity="low_is_good")
    for year in range(2019, 2023):
        put(smoking, place.area, year, 20.0 - year + 2019, count=None)
        put(smoking, place.country, year, 10.0, lower95=9.9, upper95=10.1)
    PeriodFactory(label="2023")
    put(smoking, place.country, 2023, 10.0, lower95=9.9, upper95=10.1)
    return smoking


def test_officer_creates_value_and_it_is_assessed(officer_client, series):
    response = officer_client.post(VALUES_URL, new_value(), format="json")

    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["value"], body["lower95"], body["upper95"]) == (15.0, 14.0, 16.0)
    computed = [a for a in body["assessments"] if a["method"] == "computed"]
    assert [(a["benchmark"], a["result"], a["is_effective"]) for a in computed] == [
        ("national", "worse", True)
    ]
    assert body["trend"]["method"] == "computed"
    assert body["trend"]["label"] == "Decreasing and getting better"
    assert IndicatorValue.objects.filter(period__label="2023").count() == 2


def test_officer_patches_value_and_assessment_follows(officer_client, series, place):
    value = IndicatorValue.objects.get(area=place.area, period__label="2022")
    officer_client.patch(f"{VALUES_URL}{value.pk}/", {"value": 17.0}, format="json")

    response = officer_client.patch(
        f"{VALUES_URL}{value.pk}/",
        {"value": 10.0, "lower95": 9.5, "upper95": 10.5, "value_note": "Revised"},
        format="json",
    )

    assert response.status_code == 200, response.content
    value.refresh_from_db()
    assert (value.value, value.lower95, value.upper95) == (10.0, 9.5, 10.5)
    assert value.value_note == "Revised"
    national = value.assessments.get(method="computed", benchmark="national")
    assert national.result == "similar"


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"value": 20.0}, "value", "inside its 95% confidence interval [14.0, 16.0]"),
        ({"lower95": 17.0}, "lower95", "Must not be above upper95 (16.0)."),
        ({"lower998": 3.0, "upper998": 2.0}, "lower998", "Must not be above"),
        ({"count": -1}, "count", "Must not be negative."),
        ({"denominator": 0}, "denominator", "Must be greater than zero."),
        ({"category": "Ward A"}, "category", "A category needs a category_type."),
        ({"period": "2099"}, "period", "does not exist"),
        ({"indicator": "nope"}, "indicator", "does not exist"),
        ({"value": "lots"}, "value", "A valid number is required."),
    ],
)
def test_invalid_value_is_400_with_field_message(
    officer_client, series, fields, field, message
):
    response = officer_client.post(VALUES_URL, new_value(**fields), format="json")

    assert response.status_code == 400
    error = response.json()["error"]
    assert (error["status"], error["code"]) == (400, "invalid")
    assert list(error["fields"]) == [field]
    assert message in error["fields"][field][0]
    assert not IndicatorValue.objects.filter(
        period__label="2023", area__code="E06000001"
    )


def test_patch_checks_constraints_against_stored_values(officer_client, series, place):
    value = IndicatorValue.objects.get(area=place.area, period__label="2022")

    response = officer_client.patch(
        f"{VALUES_URL}{value.pk}/", {"value": 99.0}, format="json"
    )

    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["value"]
    changed = officer_client.patch(
        f"{VALUES_URL}{value.pk}/", {"period": "2019"}, format="json"
    )
    assert changed.status_code == 400
    assert changed.json()["error"]["fields"] == {
        "period": ["Fixed once the value exists."]
    }


def test_duplicate_value_is_400(officer_client, series):
    response = officer_client.post(VALUES_URL, new_value(period="2022"), format="json")

    assert response.status_code == 400
    assert (
        "PATCH it instead" in response.json()["error"]["fields"]["non_field_errors"][0]
    )


# --- manual assessment ------------------------------------------------------------


def test_manual_assessment_becomes_effective(officer_client, series, place):
    value = IndicatorValue.objects.get(area=place.area, period__label="2022")
    AssessmentFactory(value=value, result="worse", method=Method.PUBLISHED)

    response = officer_client.post(
        f"{VALUES_URL}{value.pk}/manual-assessment/",
        {"benchmark": "national", "result": "similar", "reason": "Data revised."},
        format="json",
    )

    assert response.status_code == 201, response.content
    shown = {
        (a["method"], a["result"], a["is_effective"])
        for a in response.json()["assessments"]
        if a["benchmark"] == "national"
    }
    assert shown == {("manual", "similar", True), ("published", "worse", False)}
    manual = value.assessments.get(method=Method.MANUAL)
    assert (manual.reason, manual.set_by.username) == ("Data revised.", "officer-user")
    assert manual.benchmark_area == place.country


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"benchmark": "national", "result": "similar", "reason": "  "}, "reason"),
        ({"benchmark": "national", "result": "similar"}, "reason"),
        ({"benchmark": "mars", "result": "similar", "reason": "x"}, "benchmark"),
        ({"benchmark": "national", "result": "meh", "reason": "x"}, "result"),
    ],
)
def test_manual_assessment_bad_input_is_400(officer_client, series, place, body, field):
    value = IndicatorValue.objects.get(area=place.area, period__label="2022")

    response = officer_client.post(
        f"{VALUES_URL}{value.pk}/manual-assessment/", body, format="json"
    )

    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == [field]
    assert not Assessment.objects.filter(method=Method.MANUAL).exists()


def test_manual_assessment_on_missing_value_is_404(officer_client):
    response = officer_client.post(
        f"{VALUES_URL}999999/manual-assessment/",
        {"benchmark": "national", "result": "similar", "reason": "x"},
        format="json",
    )

    assert response.status_code == 404
    assert response.json()["error"]["status"] == 404
