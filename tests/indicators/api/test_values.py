"""values/: exact values with judgements, filters, officer writes, manual assessment."""

import pytest

from tests.indicators.api.conftest import client_for
from tests.indicators.factories import (
    AreaFactory,
    AssessmentFactory,
    IndicatorFactory,
    TrendFactory,
)
from tests.indicators.fixtures import VALUES_URL, put

pytestmark = pytest.mark.django_db


def test_value_with_published_and_computed_assessments_and_effective_one(anon, place):
    indicator = IndicatorFactory(code="smoking")
    value = put(indicator, place.area, 2022, 12.5, lower95=11.0, upper95=14.25)
    AssessmentFactory(
        value=value, benchmark="national", result="worse", method="published"
    )
    AssessmentFactory(
        value=value,
        benchmark="national",
        benchmark_area=place.country,
        result="similar",
        method="computed",
        level=95,
        published_text="",
        explanation="Overlaps England.",
        disagrees_with_published=True,
    )
    TrendFactory(value=value, label="Decreasing and getting better")

    body = anon.get(f"{VALUES_URL}{value.pk}/").json()

    assert body == {
        "id": value.pk,
        "indicator": "smoking",
        "area": "E06000001",
        "period": "2022",
        "period_sort_key": 202212987,
        "sex": "",
        "age": "",
        "category_type": "",
        "category": "",
        "value": 12.5,
        "lower95": 11.0,
        "upper95": 14.25,
        "lower998": None,
        "upper998": None,
        "count": 400.0,
        "denominator": 1000.0,
        "value_note": "",
        "published_text": "",
        "source": "",
        "release_date": None,
        "display": "12.5%",
        "method": "published",
        "method_display": "As published by its source",
        "assessments": [
            {
                "id": value.assessments.get(method="computed").pk,
                "benchmark": "national",
                "benchmark_area": "E92000001",
                "result": "similar",
                "level": 95.0,
                "method": "computed",
                "published_text": "",
                "explanation": "Overlaps England.",
                "disagrees_with_published": True,
                "reason": "",
                "is_effective": True,
            },
            {
                "id": value.assessments.get(method="published").pk,
                "benchmark": "national",
                "benchmark_area": None,
                "result": "worse",
                "level": None,
                "method": "published",
                "published_text": "R",
                "explanation": "",
                "disagrees_with_published": False,
                "reason": "",
                "is_effective": False,
            },
        ],
        "trend": {
            "id": value.trends.get().pk,
            "label": "Decreasing and getting better",
            "code": "decreasing_better",
            "method": "published",
            "published_text": "Comparable",
            "explanation": "",
            "disagrees_with_published": False,
            "reason": "",
            "is_effective": True,
        },
    }


@pytest.fixture
def rows(place):
    """Values to filter: two indicators, areas, periods, breakdowns."""
    smoking = IndicatorFactory(code="smoking")
    obesity = IndicatorFactory(code="obesity")
    ward = AreaFactory(code="W1", area_type="ward")
    made = {
        "s2019": put(smoking, place.area, 2019, 20.0),
        "s2020": put(smoking, place.area, 2020, 19.0),
        "s2021": put(smoking, place.area, 2021, 18.0),
        "s2021_eng": put(smoking, place.country, 2021, 14.0),
        "s2021_female": put(smoking, place.area, 2021, 17.0, sex="Female"),
        "s2021_aged": put(smoking, place.area, 2021, 9.0, age="65+ yrs"),
        "s2021_decile": put(
            smoking,
            place.area,
            2021,
            30.0,
            category_type="Deprivation decile",
            category="Most deprived decile",
        ),
        "s2021_ward": put(smoking, ward, 2021, 25.0),
        "o2021": put(obesity, place.area, 2021, 60.0),
    }
    return made


def ids(response):
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("indicator=obesity", {"o2021"}),
        ("area=E92000001", {"s2021_eng"}),
        ("area_type=ward", {"s2021_ward"}),
        ("indicator=smoking&period_from=2020&period_to=2020", {"s2020"}),
        (
            "indicator=smoking&area=E06000001&category_type=none&sex=&age="
            "&period_from=202012987",  # the sort key of 2020
            {"s2020", "s2021", "s2021_female", "s2021_aged"},
        ),
        ("period_to=2019", {"s2019"}),
        ("category_type=Deprivation decile", {"s2021_decile"}),
        ("category=Most deprived decile", {"s2021_decile"}),
        ("sex=Female", {"s2021_female"}),
        ("age=65%2B yrs", {"s2021_aged"}),
    ],
)
def test_value_filters(anon, rows, query, expected):
    assert ids(anon.get(f"{VALUES_URL}?{query}&page_size=500")) == {
        rows[key].pk for key in expected
    }


def test_assessment_result_filter_effective_or_any(anon, rows, place):
    # s2019: published worse, computed better -> effective better.
    AssessmentFactory(value=rows["s2019"], result="worse", method="published")
    AssessmentFactory(value=rows["s2019"], result="better", method="computed")
    # s2020: published worse only vs region -> effective worse (region).
    AssessmentFactory(
        value=rows["s2020"], benchmark="region", result="worse", method="published"
    )
    # s2021: computed not_compared, published similar -> effective similar.
    AssessmentFactory(value=rows["s2021"], result="not_compared", method="computed")
    AssessmentFactory(value=rows["s2021"], result="similar", method="published")

    def get(query):
        return ids(anon.get(f"{VALUES_URL}?{query}"))

    assert get("assessment_result=worse") == {rows["s2020"].pk}
    assert get("assessment_result=worse&assessment_scope=any") == {
        rows["s2019"].pk,
        rows["s2020"].pk,
    }
    assert get("assessment_result=worse&assessment_benchmark=national") == set()
    assert get(
        "assessment_result=worse&assessment_benchmark=national&assessment_scope=any"
    ) == {rows["s2019"].pk}
    assert get("assessment_result=better") == {rows["s2019"].pk}
    assert get("assessment_result=similar&assessment_benchmark=national") == {
        rows["s2021"].pk
    }


def test_bad_filter_value_is_400_in_error_shape(anon):
    response = anon.get(f"{VALUES_URL}?assessment_result=awful")

    assert response.status_code == 400
    error = response.json()["error"]
    assert error["status"] == 400
    assert list(error["fields"]) == ["assessment_result"]


def test_unpublished_indicator_values_hidden_from_anonymous(anon, place):
    hidden = put(IndicatorFactory(is_published=False), place.area, 2021, 5.0)
    shown = put(IndicatorFactory(), place.area, 2021, 6.0)

    assert ids(anon.get(VALUES_URL)) == {shown.pk}
    assert anon.get(f"{VALUES_URL}{hidden.pk}/").status_code == 404
    assert ids(client_for("oversight").get(VALUES_URL)) == {shown.pk, hidden.pk}


@pytest.mark.parametrize("role", ["anonymous", "officer"])
def test_value_list_query_count_is_fixed(django_assert_max_num_queries, place, role):
    client = client_for(role)

    def build(count):
        for _ in range(count):
            value = put(IndicatorFactory(), place.area, 2021, 5.0)
            AssessmentFactory(value=value)
            AssessmentFactory(value=value, method="computed")
            TrendFactory(value=value)

    # count, page, assessments, trends; signed-in users + 3 for their roles.
    limit = 5 if role == "anonymous" else 8  # the page in two steps: ids, rows
    build(3)
    with django_assert_max_num_queries(limit):
        assert len(client.get(VALUES_URL).json()["results"]) == 3
    build(27)
    with django_assert_max_num_queries(limit):
        assert len(client.get(VALUES_URL).json()["results"]) == 30
