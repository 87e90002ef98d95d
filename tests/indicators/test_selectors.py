"""Reads: which judgement is shown, the latest values, the disagreements."""

import datetime as dt

import pytest

from indicators.assessment import assessment_set_manual, assessments_recompute
from indicators.freshness import FreshnessStatus
from indicators.models import Area, Assessment, Method, Trend
from indicators.selectors import (
    assessment_effective,
    assessments_disagreeing,
    indicator_latest_values,
    trend_effective,
    trends_disagreeing,
)
from tests.indicators.factories import (
    AreaFactory,
    AssessmentFactory,
    IndicatorFactory,
    IndicatorValueFactory,
    PeriodFactory,
    TrendFactory,
)
from tests.workstreams.factories import PlaceFactory, UserFactory

NATIONAL = Assessment.Benchmark.NATIONAL


def row(method, result):
    return Assessment(benchmark=NATIONAL, method=method, result=result)


@pytest.mark.parametrize(
    ("rows", "shown"),
    [
        ([("published", "worse"), ("computed", "better")], 1),
        ([("published", "worse"), ("computed", "not_compared")], 0),
        ([("computed", "better"), ("manual", "not_compared")], 1),
        ([("published", "not_compared"), ("computed", "not_compared")], 1),
        ([("manual", "similar"), ("computed", "worse"), ("published", "worse")], 0),
        ([], None),
    ],
)
def test_effective_assessment_precedence(rows, shown):
    candidates = [row(method, result) for method, result in rows]

    effective = assessment_effective(candidates)

    assert effective is (None if shown is None else candidates[shown])


def test_effective_trend_precedence():
    published = Trend(method=Method.PUBLISHED, label="Increasing and getting worse")
    cannot = Trend(method=Method.COMPUTED, label="Cannot be calculated")
    computed = Trend(method=Method.COMPUTED, label="No significant change")

    assert trend_effective([published, cannot]) is published
    assert trend_effective([published, computed]) is computed


@pytest.fixture
def place():
    return PlaceFactory(
        area=AreaFactory(name="Testtown"),
        country=AreaFactory(name="England", area_type=Area.Type.COUNTRY),
        region=AreaFactory(name="Test Region", area_type=Area.Type.REGION),
        nearest_neighbours=AreaFactory(
            name="Test neighbours", area_type=Area.Type.COMPARATOR_GROUP
        ),
    )


def put(indicator, area, year, value, **fields):
    return IndicatorValueFactory(
        indicator=indicator,
        area=area,
        period=PeriodFactory(label=str(year)),
        value=value,
        lower95=value - 1,
        upper95=value + 1,
        count=None,
        denominator=None,
        **fields,
    )


def build(place, count):
    indicators = []
    for _ in range(count):
        indicator = IndicatorFactory()
        for year in range(2019, 2024):
            latest = put(indicator, place.area, year, 40.0 + year - 2019)
            put(indicator, place.area, year, 50.0, sex="Female")
            put(indicator, place.area, year, 10.0, category_type="Ward", category="A")
            for area in (place.country, place.region, place.nearest_neighbours):
                put(indicator, area, year, 30.0)
        AssessmentFactory(value=latest, result="similar")
        TrendFactory(value=latest)
        indicators.append((indicator, latest))
    return indicators


@pytest.mark.django_db
def test_indicator_latest_values_gives_benchmarks_judgements_and_series(place):
    ((indicator, latest),) = build(place, 1)
    assessments_recompute()
    assessment_set_manual(
        value=latest,
        benchmark=Assessment.Benchmark.REGION,
        result="similar",
        reason="Region figure withdrawn.",
        user=UserFactory(),
    )

    (entry,) = indicator_latest_values(today=dt.date(2024, 6, 1))

    assert entry.indicator == indicator
    assert entry.value == latest
    assert [
        v.area for v in (entry.national, entry.region, entry.nearest_neighbours)
    ] == [
        place.country,
        place.region,
        place.nearest_neighbours,
    ]
    assert entry.national.value == 30.0
    shown = {b: (a.method, a.result) for b, a in entry.assessments.items()}
    assert shown == {
        "national": ("computed", "worse"),
        "region": ("manual", "similar"),
        "nearest_neighbours": ("computed", "worse"),
    }
    assert entry.has_disagreement
    assert (entry.trend.method, entry.trend.label) == (
        "computed",
        "Increasing and getting worse",
    )
    assert [(v.period.label, v.value) for v in entry.series] == [
        ("2019", 40.0),
        ("2020", 41.0),
        ("2021", 42.0),
        ("2022", 43.0),
        ("2023", 44.0),
    ]
    assert entry.freshness.status is FreshnessStatus.FRESH


@pytest.mark.django_db
def test_indicator_without_values_is_listed_empty(place):
    indicator = IndicatorFactory()

    (entry,) = indicator_latest_values(indicator_ids=[indicator.pk])

    assert (entry.value, entry.series, entry.assessments, entry.trend) == (
        None,
        [],
        {},
        None,
    )
    assert entry.freshness.status is FreshnessStatus.STALE


@pytest.mark.django_db
@pytest.mark.parametrize("size", [3, 30])
def test_indicator_latest_values_query_count_is_fixed(
    place, size, django_assert_num_queries
):
    build(place, size)
    assessments_recompute()

    # place, indicators, values, assessments, trends
    with django_assert_num_queries(6):
        entries = indicator_latest_values()
        for entry in entries:
            for assessment in entry.assessments.values():
                str(assessment.benchmark_area)
            str(entry.trend.value.period)
            str(entry.national.area)
            [str(v.period) for v in entry.series]

    assert len(entries) == size
    assert all(len(e.assessments) == 3 for e in entries)


@pytest.mark.django_db
def test_disagreeing_lists_flagged_rows_with_the_published_opinion(place):
    ((_, latest),) = build(place, 1)
    assessments_recompute()

    (flagged,) = assessments_disagreeing()
    (flagged_trend,) = trends_disagreeing()

    assert (flagged.value, flagged.benchmark, flagged.result) == (
        latest,
        "national",
        "worse",
    )
    assert (flagged.published_result, flagged.published_as) == ("similar", "R")
    assert (flagged_trend.label, flagged_trend.published_label) == (
        "Increasing and getting worse",
        "No significant change",
    )
