"""The values list is IndicatorValueSerializer's, as retrieve and the writes
are: its rows, with the page's judgements loaded in two queries, equal the
serializer's reading of the prefetched values and DRF's own reading, on data
that takes every branch: no assessments, several with
manual/computed/published precedence, a trend or none, null numbers,
fractional and whole numbers, breakdowns and a release date."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.renderers import JSONRenderer

from indicators.api.serializers import IndicatorValueSerializer
from indicators.selectors import indicator_value_list, value_judgements
from marmot.api.representation import PlannedRepresentation, drf_to_representation
from tests.indicators.factories import (
    AreaFactory,
    AssessmentFactory,
    IndicatorFactory,
    IndicatorValueFactory,
    PeriodFactory,
    TrendFactory,
)

pytestmark = pytest.mark.django_db
URL = "/api/v1/values/"


def rendered(data) -> bytes:
    """The JSON text: equal only with equal keys, order and types (``true``
    is not ``1``, ``120.0`` is not ``120``)."""
    return JSONRenderer().render(data)


@pytest.fixture
def values(place):
    """Four values of one indicator, each taking other branches."""
    indicator = IndicatorFactory(code="smoking")
    bare = IndicatorValueFactory(
        indicator=indicator,
        area=place.area,
        period=PeriodFactory(label="2020"),
        value=None,
        lower95=None,
        upper95=None,
        count=None,
        denominator=None,
    )
    judged = IndicatorValueFactory(
        indicator=indicator,
        area=place.area,
        period=PeriodFactory(label="2021"),
        value=12.345,
        lower95=11.0,
        upper95=14.25,
        lower998=10.5,
        upper998=15,
        count=120,
        denominator=48000,
        value_note="Provisional",
        published_text="12.3",
        source="OHID",
        release_date=dt.date(2025, 3, 1),
    )
    # national: manual beats computed beats published.
    AssessmentFactory(value=judged, result="worse", method="published")
    AssessmentFactory(
        value=judged,
        benchmark_area=place.country,
        result="similar",
        method="computed",
        level=95,
        explanation="Overlaps England.",
        disagrees_with_published=True,
    )
    AssessmentFactory(
        value=judged, result="better", method="manual", reason="Checked by hand."
    )
    # region: a published opinion beats a computed "not compared".
    AssessmentFactory(
        value=judged, benchmark="region", result="worse", method="published"
    )
    AssessmentFactory(
        value=judged,
        benchmark="region",
        benchmark_area=place.region,
        result="not_compared",
        method="computed",
        level=None,
    )
    TrendFactory(value=judged, label="Increasing", method="published")
    TrendFactory(value=judged, label="Decreasing and getting better", method="computed")
    uncalculable = IndicatorValueFactory(
        indicator=indicator,
        area=place.area,
        period=PeriodFactory(label="2022"),
        sex="Female",
        age="18+ yrs",
        category_type="Deprivation decile",
        category="Most deprived",
    )
    TrendFactory(value=uncalculable, label="Cannot be calculated", method="computed")
    elsewhere = IndicatorValueFactory(
        indicator=indicator,
        area=AreaFactory(code="E09000099"),
        period=PeriodFactory(label="2023"),
    )
    return [bare, judged, uncalculable, elsewhere]


def test_rows_read_as_drf_reads_them_on_every_branch(values, monkeypatch):
    loaded = list(indicator_value_list())
    assert [v.pk for v in loaded] == [v.pk for v in values]
    judgements = value_judgements([v.pk for v in loaded])

    listed = IndicatorValueSerializer(
        loaded, many=True, context={"judgements": judgements}
    ).data
    prefetched = IndicatorValueSerializer(loaded, many=True).data
    with monkeypatch.context() as patch:
        patch.setattr(PlannedRepresentation, "to_representation", drf_to_representation)
        drf = IndicatorValueSerializer(loaded, many=True).data

    assert rendered(listed) == rendered(prefetched) == rendered(drf)
    bare, judged, uncalculable, _ = listed
    assert bare["assessments"] == [] and bare["trend"] is None
    assert bare["value"] is None and bare["release_date"] is None
    assert judged["release_date"] == "2025-03-01"
    assert judged["value"] == 12.345 and judged["count"] == 120.0
    assert isinstance(judged["upper998"], float)
    shown = [a for a in judged["assessments"] if a["is_effective"]]
    effective = {(a["benchmark"], a["method"]) for a in shown}
    assert effective == {("national", "manual"), ("region", "published")}
    assert judged["trend"]["label"] == "Decreasing and getting better"
    assert uncalculable["trend"]["label"] == "Cannot be calculated"


def test_list_equals_the_serializer_built_page_with_filters(values, officer_client):
    bare, judged, uncalculable, _elsewhere = values
    params = {
        "indicator": "smoking",
        "area": "E06000001",
        "period_from": "2020",
        "ordering": "-period_sort_key",
        "page_size": 2,
    }

    first = officer_client.get(URL, params)
    second = officer_client.get(URL, {**params, "page": 2})

    assert first.status_code == second.status_code == 200
    by_pk = {v.pk: v for v in indicator_value_list()}
    expected = [by_pk[v.pk] for v in (uncalculable, judged, bare)]
    body, rest = first.json(), second.json()
    assert list(body) == ["count", "next", "previous", "results"]
    assert body["count"] == rest["count"] == 3
    assert "page=2" in body["next"] and body["previous"] is None
    assert rest["next"] is None and rest["previous"]
    results = body["results"] + rest["results"]
    assert rendered(results) == rendered(
        IndicatorValueSerializer(expected, many=True).data
    )


def test_list_queries_do_not_grow_with_the_page(values, officer_client):
    officer_client.get(URL)  # the user's roles are read once, then cached
    with CaptureQueriesContext(connection) as one:
        officer_client.get(URL, {"page_size": 1})
    with CaptureQueriesContext(connection) as four:
        response = officer_client.get(URL, {"page_size": 4})
    assert len(response.json()["results"]) == 4
    assert len(four) == len(one)  # no query per row
