"""Trends, stale rows and idempotent recomputation (indicators.assessment)."""

import datetime as dt

import pytest

from indicators.assessment import (
    assessments_recompute,
)
from indicators.assessment.judgements import disagrees
from indicators.assessment.series import periods_consecutive
from indicators.models import Area, Assessment, Period, Trend
from tests.indicators.assessment.helpers import LOW_IS_GOOD, NATIONAL, computed, put
from tests.indicators.factories import (
    AreaFactory,
    AssessmentFactory,
    IndicatorFactory,
    PeriodFactory,
    TargetFactory,
    TrendFactory,
)

pytestmark = pytest.mark.django_db


def test_trend_over_five_consecutive_years_on_the_latest_value(place):
    indicator = IndicatorFactory(polarity=LOW_IS_GOOD)
    values = [
        put(indicator, place.area, year, v, (v - 1, v + 1))
        for year, v in zip(
            range(2019, 2024), [50.0, 45.0, 40.0, 35.0, 30.0], strict=True
        )
    ]

    assessments_recompute()

    trend = Trend.objects.get(method="computed")
    assert trend.value == values[-1]
    assert trend.label == "Decreasing and getting better"
    assert trend.explanation.startswith(
        "Latest five points (2019 to 2023), weighted linear regression: slope -5"
    )


def test_trend_moves_to_the_new_latest_value(place):
    indicator = IndicatorFactory(polarity=LOW_IS_GOOD)
    old = put(indicator, place.area, 2022, 40.0, (39.0, 41.0))
    assessments_recompute()
    assert Trend.objects.get(method="computed").value == old

    new = put(indicator, place.area, 2023, 41.0, (40.0, 42.0))
    summary = assessments_recompute()

    (trend,) = Trend.objects.filter(method="computed")
    assert (trend.value, trend.label) == (new, "Cannot be calculated")
    assert "2 data point(s) with values; 5 are needed" in trend.explanation
    assert (summary.trends.created, summary.trends.deleted) == (1, 1)


def test_a_gap_in_the_series_cannot_be_calculated(place):
    indicator = IndicatorFactory(polarity=LOW_IS_GOOD)
    for year, v in zip(
        [2016, 2017, 2019, 2020, 2021], [50, 45, 40, 35, 30], strict=True
    ):
        put(indicator, place.area, year, float(v), (v - 1.0, v + 1.0))

    assessments_recompute()

    trend = Trend.objects.get(method="computed")
    assert trend.label == "Cannot be calculated"
    assert trend.explanation == (
        "Trend cannot be calculated: the latest five periods are not consecutive "
        "(2017 is not followed by the next calendar year but by 2019)."
    )


def test_consecutive_periods_by_kind():
    def period(kind, start, end):
        return Period(label="x", kind=kind, starts_on=start, ends_on=end, sort_key=1)

    fy = Period.Kind.FINANCIAL_YEAR
    fy19 = period(fy, dt.date(2019, 4, 1), dt.date(2020, 3, 31))
    fy20 = period(fy, dt.date(2020, 4, 1), dt.date(2021, 3, 31))
    fy21 = period(fy, dt.date(2021, 4, 1), dt.date(2022, 3, 31))
    pooled = Period.Kind.CALENDAR_YEARS
    p16 = period(pooled, dt.date(2016, 1, 1), dt.date(2018, 12, 31))
    p17 = period(pooled, dt.date(2017, 1, 1), dt.date(2019, 12, 31))
    q = Period.Kind.QUARTER
    q1 = period(q, dt.date(2022, 4, 1), dt.date(2022, 6, 30))
    q2 = period(q, dt.date(2022, 7, 1), dt.date(2022, 9, 30))
    q4 = period(q, dt.date(2023, 1, 1), dt.date(2023, 3, 31))

    assert periods_consecutive(fy19, fy20)
    assert not periods_consecutive(fy19, fy21)
    assert periods_consecutive(p16, p17)  # rolling pooled years
    assert periods_consecutive(q1, q2)
    assert not periods_consecutive(q2, q4)
    assert not periods_consecutive(fy19, p17)


def test_breakdowns_get_a_trend_but_no_benchmark_assessment(place):
    indicator = IndicatorFactory()
    ward = put(indicator, place.area, 2023, 45.0, (43.0, 47.0), category_type="Ward")
    put(indicator, place.country, 2023, 40.0)

    assessments_recompute()

    assert not Assessment.objects.filter(value=ward).exists()
    assert Trend.objects.get(value=ward).method == "computed"


def test_stale_computed_rows_are_deleted_and_published_ones_kept(place):
    indicator = IndicatorFactory()
    value = put(indicator, place.area, 2023, 45.0, (43.0, 47.0))
    england = put(indicator, place.country, 2023, 40.0)
    published = AssessmentFactory(value=value, benchmark=NATIONAL)
    assessments_recompute()
    england.delete()

    summary = assessments_recompute()

    assert summary.assessments.deleted == 1
    assert list(Assessment.objects.filter(value=value)) == [published]
    history = Assessment.history.filter(method="computed").order_by("history_id")
    assert [h.history_type for h in history] == ["+", "-"]


def test_a_new_region_updates_the_row_in_place(place):
    indicator = IndicatorFactory(polarity=LOW_IS_GOOD)
    value = put(indicator, place.area, 2023, 45.0, (43.0, 47.0))
    put(indicator, place.region, 2023, 44.0)
    assessments_recompute()
    before = computed(value, Assessment.Benchmark.REGION)
    new_region = AreaFactory(name="Other Region", area_type=Area.Type.REGION)
    put(indicator, new_region, 2023, 40.0)
    place.region = new_region
    place.save()

    summary = assessments_recompute()

    after = computed(value, Assessment.Benchmark.REGION)
    assert (after.pk, after.benchmark_area, after.result) == (
        before.pk,
        new_region,
        "worse",
    )
    assert summary.assessments.updated == 1


@pytest.mark.parametrize(
    ("computed_result", "published_result", "flag"),
    [
        ("better", "worse", True),
        ("better", "better", False),
        ("better", "not_compared", False),
        ("not_compared", "worse", False),
        ("better", None, False),
        ("Cannot be calculated", "Increasing", False),
    ],
)
def test_no_opinion_never_disagrees(computed_result, published_result, flag):
    assert disagrees(computed_result, published_result) is flag


def test_without_a_place_nothing_is_computed():
    put(IndicatorFactory(), AreaFactory(), 2023, 45.0, (43.0, 47.0))

    assert not assessments_recompute().changed
    assert not Trend.objects.exists()


def test_recompute_is_idempotent(place):
    indicator = IndicatorFactory(polarity=LOW_IS_GOOD)
    for year in range(2019, 2024):
        put(indicator, place.area, year, 45.0, (43.0, 47.0))
        put(indicator, place.country, year, 40.0)
        put(indicator, place.region, year, 44.0)
    TargetFactory(
        indicator=indicator, area=place.area, period=PeriodFactory(label="2025")
    )
    first = assessments_recompute()
    snapshot = {
        "assessments": list(Assessment.objects.values().order_by("pk")),
        "trends": list(Trend.objects.values().order_by("pk")),
    }

    second = assessments_recompute()

    # The place: 5 x England, 5 x region, 1 target; the region: 5 x England.
    # A trend for each of the three series (ADR 21).
    assert (first.assessments.created, first.trends.created) == (16, 3)
    assert not second.changed
    assert (second.assessments.unchanged, second.trends.unchanged) == (16, 3)
    assert list(Assessment.objects.values().order_by("pk")) == snapshot["assessments"]
    assert list(Trend.objects.values().order_by("pk")) == snapshot["trends"]


def test_trend_disagreement_with_the_published_trend(place):
    indicator = IndicatorFactory(polarity=LOW_IS_GOOD)
    for year, v in zip(range(2019, 2024), [50.0, 45.0, 40.0, 35.0, 30.0], strict=True):
        latest = put(indicator, place.area, year, v, (v - 1, v + 1))
    TrendFactory(value=latest, label="Increasing and getting worse")

    summary = assessments_recompute()

    trend = Trend.objects.get(value=latest, method="computed")
    assert (trend.disagrees_with_published, summary.trend_disagreements) == (True, 1)
