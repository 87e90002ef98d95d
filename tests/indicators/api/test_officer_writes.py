"""Officers' writes added to indicators/ and values/: deletes that refuse to
lose data, publishing and the expected next release, and period ranges that
say what was wrong instead of listing nothing."""

import datetime as dt

import pytest

from indicators import services
from indicators.models import Assessment, Indicator, IndicatorValue, Method, Trend
from tests.indicators.api.conftest import client_for
from tests.indicators.factories import (
    AssessmentFactory,
    IndicatorFactory,
    PeriodFactory,
    TargetFactory,
)
from tests.indicators.fixtures import VALUES_URL, put
from tests.workstreams.factories import LogicModelItemFactory

pytestmark = pytest.mark.django_db

INDICATORS = "/api/v1/indicators/"


def _refused(response):
    assert response.status_code == 400, response.content
    [message] = response.json()["error"]["fields"]["non_field_errors"]
    return message


# --- deleting indicators ------------------------------------------------------


def test_an_unused_indicator_is_deleted(officer_client, place):
    IndicatorFactory(code="typo")
    response = officer_client.delete(f"{INDICATORS}typo/")
    assert response.status_code == 204
    assert not Indicator.objects.filter(code="typo").exists()


@pytest.mark.parametrize(
    ("make", "uses"),
    [
        (lambda i, place: put(i, place.area, 2021, 10.0), "1 value"),
        (lambda i, place: TargetFactory(indicator=i, area=place.area), "1 target"),
        (
            lambda i, place: LogicModelItemFactory(kind="outcome").indicators.add(i),
            "1 logic model item",
        ),
    ],
    ids=["values", "targets", "logic-model"],
)
def test_an_indicator_in_use_is_refused(officer_client, place, make, uses):
    indicator = IndicatorFactory(code="smoking")
    make(indicator, place)
    message = _refused(officer_client.delete(f"{INDICATORS}smoking/"))
    assert message.startswith(
        f'The indicator "smoking" is still used by {uses}, so it cannot be deleted.'
    )
    assert "unpublish it (is_published false)" in message
    assert Indicator.objects.filter(code="smoking").exists()


# --- deleting values ----------------------------------------------------------


def test_deleting_the_latest_value_reassesses_the_series(officer_client, place):
    smoking = IndicatorFactory(code="smoking", polarity="low_is_good")
    for year in range(2018, 2023):
        put(smoking, place.area, year, 20.0 - year + 2018, count=None)
        put(smoking, place.country, year, 10.0, lower95=9.9, upper95=10.1)
    PeriodFactory(label="2023")
    created = officer_client.post(
        VALUES_URL,
        {
            "indicator": "smoking",
            "area": place.area.code,
            "period": "2023",
            "value": 15,
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    latest = IndicatorValue.objects.get(pk=created.json()["id"])
    AssessmentFactory(
        value=latest, method=Method.MANUAL, result="better", reason="Checked."
    )
    assert Trend.objects.filter(value=latest, method=Method.COMPUTED).exists()

    response = officer_client.delete(f"{VALUES_URL}{latest.pk}/")

    assert response.status_code == 204
    assert not IndicatorValue.objects.filter(pk=latest.pk).exists()
    assert not Assessment.objects.filter(value_id=latest.pk).exists()
    new_latest = IndicatorValue.objects.get(area=place.area, period__label="2022")
    trend = Trend.objects.get(value=new_latest, method=Method.COMPUTED)
    assert trend.label == "Decreasing and getting better"


@pytest.mark.parametrize("role", ["anonymous", "partner", "chair", "oversight"])
def test_only_officers_delete(place, role):
    value = put(IndicatorFactory(code="smoking"), place.area, 2021, 10.0)
    client = client_for(role)
    expected = 401 if role == "anonymous" else 403
    assert client.delete(f"{VALUES_URL}{value.pk}/").status_code == expected
    assert client.delete(f"{INDICATORS}smoking/").status_code == expected
    assert IndicatorValue.objects.filter(pk=value.pk).exists()


# --- publishing and the expected next release ---------------------------------


def test_officer_creates_an_unpublished_indicator_with_a_release_date(
    officer_client, place
):
    response = officer_client.post(
        INDICATORS,
        {
            "code": "new",
            "name": "New measure",
            "value_type": "count",
            "polarity": "no_judgement",
            "is_published": False,
            "expected_next_release": "2027-02-01",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["is_published"], body["expected_next_release"]) == (
        False,
        "2027-02-01",
    )
    assert client_for("anonymous").get(f"{INDICATORS}new/").status_code == 404


def test_officer_publishes_and_clears_the_release_date(officer_client, place):
    IndicatorFactory(
        code="draft", is_published=False, expected_next_release=dt.date(2026, 1, 1)
    )
    response = officer_client.patch(
        f"{INDICATORS}draft/",
        {"is_published": True, "expected_next_release": None},
        format="json",
    )
    assert response.status_code == 200, response.content
    draft = Indicator.objects.get(code="draft")
    assert (draft.is_published, draft.expected_next_release) == (True, None)
    assert client_for("anonymous").get(f"{INDICATORS}draft/").status_code == 200

    kept = officer_client.patch(f"{INDICATORS}draft/", {"name": "X"}, format="json")
    assert kept.json()["is_published"] is True


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"is_published": "perhaps"}, "is_published"),
        ({"expected_next_release": "next spring"}, "expected_next_release"),
    ],
)
def test_bad_publishing_fields_are_400(officer_client, place, body, field):
    IndicatorFactory(code="smoking")
    response = officer_client.patch(f"{INDICATORS}smoking/", body, format="json")
    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == [field]


def test_a_reload_keeps_what_officers_decided(place):
    indicator = IndicatorFactory(
        code="smoking", is_published=False, expected_next_release=dt.date(2027, 1, 1)
    )
    services.indicator_upsert(
        code="smoking",
        name=indicator.name,
        value_type=indicator.value_type,
        polarity=indicator.polarity,
    )
    indicator.refresh_from_db()
    assert (indicator.is_published, indicator.expected_next_release) == (
        False,
        dt.date(2027, 1, 1),
    )


# --- period ranges ------------------------------------------------------------


@pytest.fixture
def series(place):
    smoking = IndicatorFactory(code="smoking")
    return {year: put(smoking, place.area, year, 10.0).pk for year in (2019, 2020)}


@pytest.mark.parametrize("parameter", ["period_from", "period_to"])
@pytest.mark.parametrize(
    # "20200000": the old start-based key, refused rather than misread.
    "bad",
    ["banana", "2020/22", "Q5 2020", "2020 Q5", "202001", "20200000"],
)
def test_an_unknown_period_bound_is_a_400_naming_the_forms(
    anon, series, parameter, bad
):
    response = anon.get(VALUES_URL, {parameter: bad})
    assert response.status_code == 400, response.content
    [message] = response.json()["error"]["fields"][parameter]
    assert f'Period label "{bad}"' in message
    assert '"2021/22" (financial year, April to March)' in message
    assert "nine digits" in message and "202203987 for 2021/22" in message


@pytest.mark.parametrize(
    ("query", "years"),
    [
        ({"period_from": "2020"}, {2020}),
        ({"period_to": " 2019 "}, {2019}),
        ({"period_from": "201912987", "period_to": "202012987"}, {2019, 2020}),
        ({"period_from": "2021"}, set()),  # a label no value has yet
        ({"period_from": "2019/20"}, {2020}),  # starts in April 2019
        ({"period_to": "Jun-19"}, set()),  # ends before 2019 does
        ({"period_to": "Dec-19"}, {2019}),  # ends with 2019, shorter: after it
        ({"period_from": ""}, {2019, 2020}),
    ],
)
def test_period_bounds_by_label_or_sort_key(anon, series, query, years):
    response = anon.get(VALUES_URL, query)
    assert response.status_code == 200, response.content
    assert {row["id"] for row in response.json()["results"]} == {
        series[year] for year in years
    }


def test_a_hand_made_period_label_still_works(anon, series, place):
    hand_made = PeriodFactory(label="2020 (provisional)", sort_key=202012987)
    response = anon.get(VALUES_URL, {"period_from": hand_made.label})
    assert response.status_code == 200, response.content
    assert {row["id"] for row in response.json()["results"]} == {series[2020]}
