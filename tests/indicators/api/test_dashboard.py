"""dashboard/ and indicators/{code}/inequalities/."""

import pytest

from indicators.assessment import assessment_set_manual, assessments_recompute
from indicators.models import Trend
from tests.indicators.api.conftest import build, client_for, put
from tests.indicators.factories import (
    AssessmentFactory,
    IndicatorFactory,
    TrendFactory,
)
from tests.workstreams.factories import (
    MarmotPrincipleFactory,
    UserFactory,
    WorkstreamFactory,
)

pytestmark = pytest.mark.django_db
URL = "/api/v1/dashboard/?today=2024-06-01"


def entries(response):
    assert response.status_code == 200, response.content
    return {e["indicator"]["code"]: e for e in response.json()["indicators"]}


def test_dashboard_entry_in_full(anon, place):
    [(indicator, latest)] = build(place, 1, code="smoking")
    assessments_recompute()
    assessment_set_manual(
        value=latest,
        benchmark="region",
        result="worse",
        reason="Region figure withdrawn.",
        user=UserFactory(),
    )

    body = anon.get(URL).json()

    assert body["place"] == {
        "name": "Testshire",
        "area": {
            "code": "E06000001",
            "name": "Testtown",
            "area_type": "local_authority",
        },
        "country": {"code": "E92000001", "name": "England", "area_type": "country"},
        "region": {"code": "E12000001", "name": "Test Region", "area_type": "region"},
        "nearest_neighbours": {
            "code": "NN-TEST",
            "name": "Test neighbours",
            "area_type": "comparator_group",
        },
    }
    assert body["today"] == "2024-06-01"
    [entry] = body["indicators"]
    assert entry["indicator"] == {
        "code": "smoking",
        "name": indicator.name,
        "value_type": "proportion",
        "unit": "%",
        "polarity": "low_is_good",
        "principle": indicator.principle.number,
        "kind": "outcome",
        "display_decimals": 1,
        "is_published": True,
    }
    assert entry["latest"] == {
        "period": "2023",
        "period_sort_key": 202312987,  # ends Dec 2023, 12 months
        "value": 42.0,
        "lower95": 41.0,
        "upper95": 43.0,
        "display": "42.0%",
        "id": latest.pk,
        "area": "E06000001",
        "sex": "",
        "age": "",
        "count": None,
        "denominator": None,
        "published_text": "",
        "release_date": None,
    }
    england = {"code": "E92000001", "name": "England", "area_type": "country"}
    assert entry["benchmarks"]["national"] == {
        "period": "2023",
        "period_sort_key": 202312987,  # ends Dec 2023, 12 months
        "value": 30.0,
        "lower95": 29.0,
        "upper95": 31.0,
        "display": "30.0%",
        "area": england,
    }
    assert entry["benchmarks"]["region"]["value"] == 41.5
    assert entry["benchmarks"]["nearest_neighbours"] is None
    shown = {
        b: (a["method"], a["result"]) if a else None
        for b, a in entry["assessments"].items()
    }
    assert shown == {
        "national": ("computed", "worse"),
        "region": ("manual", "worse"),
        "nearest_neighbours": None,
        "target": None,
    }
    assert entry["assessments"]["national"]["disagrees_with_published"] is True
    assert entry["assessments"]["region"]["reason"] == "Region figure withdrawn."
    # Three points are too few to compute a trend, so the published one shows.
    assert entry["trend"] == {
        "label": "No significant change",
        "code": "no_significant_change",
        "method": "published",
        "published_text": "Comparable",
        "explanation": "",
        "disagrees_with_published": False,
    }
    assert entry["freshness"]["status"] == "fresh"
    assert entry["has_disagreement"] is True
    assert entry["series"] == [
        {
            "period": str(year),
            "period_sort_key": (year * 100 + 12) * 1000 + 987,
            "value": value,
            "lower95": value - 1,
            "upper95": value + 1,
            "display": f"{value:.1f}%",
        }
        for year, value in ((2021, 40.0), (2022, 41.0), (2023, 42.0))
    ]


def test_dashboard_filters(anon, place):
    one = MarmotPrincipleFactory(number=1)
    workstream = WorkstreamFactory(slug="early-years")
    [(first, first_latest)] = build(place, 1, code="first", principle=one)
    [(second, _)] = build(place, 1, code="second", principle=None)
    [(draft, _)] = build(place, 1, code="draft", is_published=False)
    second.workstreams.set([workstream])
    AssessmentFactory(value=first_latest, benchmark="region", result="worse")

    def get(query=""):
        return sorted(entries(anon.get(f"{URL}&{query}")))

    assert get() == ["first", "second"]
    assert get("principle=1") == ["first"]
    assert get("principle=overarching") == ["second"]
    assert get("workstream=early-years") == ["second"]
    assert get("assessment_result=worse") == ["first"]
    assert get("assessment_result=similar") == ["first", "second"]
    assert get("assessment_result=worse&comparator=national") == []
    region_only = entries(anon.get(f"{URL}&comparator=region"))["first"]
    assert [k for k, v in region_only["benchmarks"].items() if v] == ["region"]
    assert region_only["assessments"]["national"] is None
    assert region_only["assessments"]["region"]["result"] == "worse"
    assert sorted(entries(client_for("oversight").get(URL))) == [
        "draft",
        "first",
        "second",
    ]


def test_dashboard_bad_option_is_400(anon, place):
    response = anon.get(f"{URL}&comparator=moon")

    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["comparator"]


def test_dashboard_unknown_parameter_is_400_naming_the_accepted_ones(anon, place):
    # A typo never silently drops a filter (ADR 41): "comparitor".
    response = anon.get(f"{URL}&comparitor=national")

    assert response.status_code == 400
    [message] = response.json()["error"]["fields"]["comparitor"]
    assert "comparator" in message and "trend" in message


@pytest.mark.parametrize("role", ["anonymous", "officer"])
def test_dashboard_query_count_is_fixed(django_assert_max_num_queries, place, role):
    client = client_for(role)
    # visible ids, place, indicators, values, periods, assessments, trends, place
    limit = 8 if role == "anonymous" else 11
    build(place, 3)
    with django_assert_max_num_queries(limit):
        assert len(entries(client.get(URL))) == 3
    build(place, 27)
    with django_assert_max_num_queries(limit):
        assert len(entries(client.get(URL))) == 30


# --- inequalities --------------------------------------------------------------------


def test_inequalities_of_an_indicator(anon, place):
    indicator = IndicatorFactory(code="smoking", polarity="low_is_good")
    for year, gap in ((2021, 10.0), (2022, 8.0), (2023, 6.0)):
        for rank in (1, 2, 3, 4, 5):
            put(
                indicator,
                place.area,
                year,
                20.0 + gap * (5 - rank) / 4,
                category_type="Deprivation quintile",
                category=f"Quintile {rank}",
                denominator=1000.0,
            )

    response = anon.get("/api/v1/indicators/smoking/inequalities/")

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["indicator"] == "smoking"
    assert body["area"]["code"] == "E06000001"
    [breakdown] = body["breakdowns"]
    assert breakdown["category_type"] == "Deprivation quintile"
    assert breakdown["gap_trend"] == "narrowing"
    assert [p["period"] for p in breakdown["periods"]] == ["2021", "2022", "2023"]
    latest = breakdown["periods"][-1]
    assert latest["gap"]["best"]["label"] == "Quintile 5"
    assert latest["gap"]["worst"]["label"] == "Quintile 1"
    assert latest["gap"]["absolute_gap"] == pytest.approx(6.0)
    assert latest["sii"]["sii"] == pytest.approx(-7.5)  # 6 over 0.8 of the ranks
    assert [g["rank"] for g in latest["groups"]] == [1, 2, 3, 4, 5]


def test_inequalities_hidden_for_unpublished_indicator(anon, place):
    IndicatorFactory(code="draft", is_published=False)

    assert anon.get("/api/v1/indicators/draft/inequalities/").status_code == 404
    response = client_for("officer").get("/api/v1/indicators/draft/inequalities/")
    assert response.json()["breakdowns"] == []


# --- the trend filter ------------------------------------------------------------


def test_dashboard_trend_filter(anon, place):
    labels = {
        "better": Trend.Label.GETTING_BETTER,
        "rising-better": Trend.Label.INCREASING_BETTER,
        "worse": Trend.Label.DECREASING_WORSE,
        "same": Trend.Label.NO_SIGNIFICANT_CHANGE,
        "cannot": Trend.Label.CANNOT_BE_CALCULATED,
        "none": None,
        "direction-only": Trend.Label.INCREASING,
    }
    for code, label in labels.items():
        [(_, latest)] = build(place, 1, code=code)
        if label is None:
            latest.trends.all().delete()
        else:
            latest.trends.update(label=label)
    [(_, early)] = build(place, 1, code="earlier-worse")
    early.trends.all().delete()  # a trend on an earlier value is not the one shown
    TrendFactory(
        value=early.indicator.values.get(period__label="2022", area=place.area),
        label=Trend.Label.GETTING_WORSE,
    )

    def get(query=""):
        return sorted(entries(anon.get(f"{URL}&{query}")))

    assert get("trend=better") == ["better", "rising-better"]
    assert get("trend=worse") == ["worse"]
    assert get("trend=no_change") == ["same"]
    assert get("trend=not_calculated") == ["cannot", "earlier-worse", "none"]
    assert len(get()) == 8


def test_dashboard_worse_than_england_and_getting_worse(anon, place):
    cases = {
        "both": ("worse", Trend.Label.GETTING_WORSE),
        "worse-improving": ("worse", Trend.Label.GETTING_BETTER),
        "similar-worsening": ("similar", Trend.Label.INCREASING_WORSE),
    }
    for code, (result, label) in cases.items():
        [(_, latest)] = build(place, 1, code=code)
        latest.assessments.update(result=result)  # against England
        latest.trends.update(label=label)
    [(_, region)] = build(place, 1, code="worse-than-region-only")
    AssessmentFactory(value=region, benchmark="region", result="worse")
    region.trends.update(label=Trend.Label.GETTING_WORSE)

    query = "comparator=national&assessment_result=worse&trend=worse"
    assert sorted(entries(anon.get(f"{URL}&{query}"))) == ["both"]
    query = "assessment_result=worse&trend=worse"  # against any benchmark
    assert sorted(entries(anon.get(f"{URL}&{query}"))) == [
        "both",
        "worse-than-region-only",
    ]


def test_dashboard_unknown_trend_is_400_naming_the_values(anon, place):
    response = anon.get(f"{URL}&trend=sideways")

    assert response.status_code == 400
    error = response.json()["error"]
    assert error["fields"] == {
        "trend": [
            'Choose a trend: better, worse, no_change or not_calculated ("sideways" '
            "is not one of them)."
        ]
    }
