"""Computed, published and manual assessments and trends (indicators.assessment)."""

import datetime as dt
import sqlite3

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from indicators.assessment import (
    assessment_set_manual,
    assessments_recompute,
    indicator_values_changed,
    trend_set_manual,
)
from indicators.assessment.judgements import disagrees
from indicators.assessment.series import periods_consecutive
from indicators.models import Area, Assessment, Indicator, Method, Period, Trend
from indicators.selectors import assessment_effective
from tests.indicators.factories import (
    AreaFactory,
    AssessmentFactory,
    IndicatorFactory,
    IndicatorValueFactory,
    PeriodFactory,
    TargetFactory,
    TrendFactory,
)
from tests.workstreams.factories import PlaceFactory, UserFactory

pytestmark = pytest.mark.django_db

NATIONAL = Assessment.Benchmark.NATIONAL
LOW_IS_GOOD = Indicator.Polarity.LOW_IS_GOOD


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


def put(indicator, area, year, value, ci95=None, ci998=None, **fields):
    """A yearly value; no counts, so trends use the confidence intervals."""
    lower95, upper95 = ci95 or (None, None)
    lower998, upper998 = ci998 or (None, None)
    return IndicatorValueFactory(
        indicator=indicator,
        area=area,
        period=PeriodFactory(label=str(year)),
        value=value,
        lower95=lower95,
        upper95=upper95,
        lower998=lower998,
        upper998=upper998,
        **{"count": None, "denominator": None, **fields},
    )


def computed(value, benchmark=NATIONAL):
    return Assessment.objects.get(value=value, benchmark=benchmark, method="computed")


def test_ci_excluding_england_is_worse_at_95_for_low_is_good(place):
    indicator = IndicatorFactory(polarity=LOW_IS_GOOD, display_decimals=1)
    value = put(indicator, place.area, 2023, 45.0, (43.0, 47.0), (41.0, 49.0))
    put(indicator, place.country, 2023, 42.0)

    assessments_recompute()

    row = computed(value)
    assert (row.result, row.level, row.benchmark_area) == ("worse", 95.0, place.country)
    assert row.explanation == (
        "England's value 42.0 lies outside Testtown's 95% confidence interval "
        "(43.0 to 47.0) but inside its 99.8% confidence interval (41.0 to 49.0); "
        "Testtown's value 45.0 is higher and low is good → Worse (95%)."
    )


def test_benchmark_outside_the_998_interval_is_significant_at_998(place):
    indicator = IndicatorFactory(polarity=LOW_IS_GOOD)
    value = put(indicator, place.area, 2023, 45.0, (43.0, 47.0), (41.0, 49.0))
    put(indicator, place.country, 2023, 40.0)
    put(indicator, place.region, 2023, 44.0)
    put(indicator, place.nearest_neighbours, 2023, 50.0)

    assessments_recompute()

    assert (computed(value).result, computed(value).level) == ("worse", 99.8)
    region = computed(value, Assessment.Benchmark.REGION)
    assert (region.result, region.level, region.benchmark_area) == (
        "similar",
        None,
        place.region,
    )
    assert "is not significantly different from Test Region → Similar." in (
        region.explanation
    )
    neighbours = computed(value, Assessment.Benchmark.NEAREST_NEIGHBOURS)
    assert (neighbours.result, neighbours.level) == ("better", 99.8)


def test_benchmark_matches_sex_and_age_blank_equals_persons(place):
    indicator = IndicatorFactory(polarity=LOW_IS_GOOD)
    blank = put(indicator, place.area, 2023, 45.0, (43.0, 47.0))
    female = put(indicator, place.area, 2023, 45.0, (43.0, 47.0), sex="Female")
    put(indicator, place.country, 2023, 44.0, sex="Persons", age="All ages")
    put(indicator, place.country, 2023, 30.0, sex="Female")

    assessments_recompute()

    assert computed(blank).result == "similar"
    assert computed(female).result == "worse"


def test_no_interval_is_not_compared_and_the_published_row_is_shown(place):
    indicator = IndicatorFactory()
    value = put(indicator, place.area, 2023, 45.0)
    put(indicator, place.country, 2023, 42.0)
    published = AssessmentFactory(value=value, result="worse", published_text="R")

    assessments_recompute()

    row = computed(value)
    assert (row.result, row.disagrees_with_published) == ("not_compared", False)
    assert row.explanation == ("Not compared: Testtown has no 95% confidence interval.")
    published.refresh_from_db()
    assert (published.method, published.result, published.published_text) == (
        "published",
        "worse",
        "R",
    )
    shown = assessment_effective(Assessment.objects.filter(value=value))
    assert shown.pk == published.pk


def test_disagreement_is_flagged_then_cleared_when_values_agree(place):
    indicator = IndicatorFactory(polarity=LOW_IS_GOOD)
    value = put(indicator, place.area, 2023, 38.0, (36.0, 40.0))
    put(indicator, place.country, 2023, 42.0)
    AssessmentFactory(value=value, result="worse")

    summary = assessments_recompute()

    assert (computed(value).result, computed(value).disagrees_with_published) == (
        "better",
        True,
    )
    assert summary.assessment_disagreements == 1

    value.value, value.lower95, value.upper95 = 45.0, 43.0, 47.0
    value.save()
    summary = indicator_values_changed(indicator_ids=[indicator.pk])

    assert (computed(value).result, computed(value).disagrees_with_published) == (
        "worse",
        False,
    )
    assert (summary.assessments.updated, summary.assessment_disagreements) == (1, 0)


@pytest.mark.parametrize(
    ("latest", "result", "words"),
    [
        (29.5, "better", "meets the target → Green."),
        (
            31.5,
            "similar",
            "misses it by 1.5%, within the amber tolerance of 2.0% → Amber.",
        ),
        (
            33.0,
            "worse",
            "misses it by 3.0%, more than the amber tolerance of 2.0% → Red.",
        ),
    ],
)
def test_target_rag_on_the_latest_value_up_to_the_target_period(
    place, latest, result, words
):
    indicator = IndicatorFactory(polarity=LOW_IS_GOOD, unit="%")
    put(indicator, place.area, 2022, 35.0)
    value = put(indicator, place.area, 2023, latest)
    put(indicator, place.area, 2026, 20.0)  # after the target's period: not used
    TargetFactory(
        indicator=indicator,
        area=place.area,
        period=PeriodFactory(label="2025"),
        value=30.0,
        amber_tolerance=2.0,
    )

    assessments_recompute()

    row = computed(value, Assessment.Benchmark.TARGET)
    assert (row.result, row.level, row.benchmark_area) == (result, None, None)
    assert row.explanation == (
        "Target 30.0% by 2025 (low is good; amber tolerance 2.0%). The latest "
        f"value up to 2025 (2023), {latest:.1f}%, {words}"
    )
    assert row.rag_letter == {"better": "G", "similar": "A", "worse": "R"}[result]


def test_target_tolerance_as_a_percentage_of_the_target(place):
    indicator = IndicatorFactory(polarity=Indicator.Polarity.HIGH_IS_GOOD, unit="")
    value = put(indicator, place.area, 2025, 76.0)
    TargetFactory(
        indicator=indicator,
        area=place.area,
        period=value.period,
        value=80.0,
        amber_tolerance=5.0,
        tolerance_is_percent=True,
    )

    assessments_recompute()

    row = computed(value, Assessment.Benchmark.TARGET)
    assert row.result == "similar"
    assert "amber tolerance 5% of the target (4.0)" in row.explanation
    assert "The 2025 value, 76.0, misses it by 4.0" in row.explanation


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

    assert (first.assessments.created, first.trends.created) == (11, 1)
    assert not second.changed
    assert (second.assessments.unchanged, second.trends.unchanged) == (11, 1)
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


def test_manual_assessment_needs_a_reason_and_is_never_recomputed(place):
    indicator = IndicatorFactory()
    value = put(indicator, place.area, 2023, 45.0, (43.0, 47.0))
    put(indicator, place.country, 2023, 40.0)
    officer = UserFactory()

    with pytest.raises(ValidationError) as raised:
        assessment_set_manual(
            value=value, benchmark=NATIONAL, result="better", reason="  ", user=officer
        )
    assert raised.value.message_dict == {
        "reason": ["Give a reason for setting this by hand."]
    }

    manual = assessment_set_manual(
        value=value,
        benchmark=NATIONAL,
        result="similar",
        reason="Data quality issue in the 2023 release.",
        user=officer,
    )
    assessments_recompute()

    manual.refresh_from_db()
    assert (manual.method, manual.result, manual.set_by, manual.benchmark_area) == (
        "manual",
        "similar",
        officer,
        place.country,
    )
    assert computed(value).result == "worse"
    shown = assessment_effective(Assessment.objects.filter(value=value))
    assert shown.pk == manual.pk
    assert manual.history.get().history_user == officer


def test_manual_trend_needs_a_reason(place):
    value = put(IndicatorFactory(), place.area, 2023, 45.0)
    officer = UserFactory()

    with pytest.raises(ValidationError) as raised:
        trend_set_manual(value=value, label="Increasing", reason="", user=officer)
    assert "reason" in raised.value.message_dict

    trend = trend_set_manual(
        value=value, label="Increasing", reason="Known change of method.", user=officer
    )
    again = trend_set_manual(
        value=value, label="Decreasing", reason="Corrected.", user=officer
    )
    assert (again.pk, again.label, again.method) == (trend.pk, "Decreasing", "manual")


def test_indicator_values_changed_only_touches_those_indicators(place):
    first, second = IndicatorFactory(), IndicatorFactory()
    a = put(first, place.area, 2023, 45.0, (43.0, 47.0))
    b = put(second, place.area, 2023, 45.0, (43.0, 47.0))
    put(first, place.country, 2023, 40.0)
    put(second, place.country, 2023, 40.0)

    indicator_values_changed(indicator_ids=[first.pk])

    assert computed(a).result == "worse"
    assert not Assessment.objects.filter(value=b).exists()
    assert not indicator_values_changed(indicator_ids=[]).changed


# --- query counts ---------------------------------------------------------


@pytest.fixture
def sqlite_real_parameter_limit(monkeypatch):
    """Let Django 5.2 use SQLite's real parameter limit, as Django 6.0 does (#36143).

    Django 5.2 assumes 999 and splits bulk writes every ~60 rows on SQLite; the
    statement count then grows by batches, not by rows. PostgreSQL is unaffected.
    """
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        limit = connection.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
        monkeypatch.setattr(connection.features, "max_query_params", limit)


def build_indicators(place, count):
    """``count`` indicators with five years for the place and every benchmark."""
    for _ in range(count):
        indicator = IndicatorFactory(polarity=LOW_IS_GOOD)
        for year in range(2019, 2024):
            value = put(indicator, place.area, year, 45.0, (43.0, 47.0), (41.0, 49.0))
            for area in (place.country, place.region, place.nearest_neighbours):
                put(indicator, area, year, 40.0)
        AssessmentFactory(value=value, result="better")
        TrendFactory(value=value)
        TargetFactory(
            indicator=indicator, area=place.area, period=PeriodFactory(label="2025")
        )


#: savepoint + release, place, targets, values, assessments, trends,
#: assessment insert + history, trend insert + history.
FIRST_RUN_QUERIES = 11
#: the same reads, then assessment update + history.
UPDATE_RUN_QUERIES = 9
#: the same reads, nothing to write.
STEADY_RUN_QUERIES = 7


@pytest.mark.usefixtures("sqlite_real_parameter_limit")
@pytest.mark.parametrize("size", [3, 30])
def test_recompute_query_count_is_fixed(place, size, django_assert_num_queries):
    build_indicators(place, size)

    with django_assert_num_queries(FIRST_RUN_QUERIES):
        first = assessments_recompute()
    Assessment.objects.filter(method=Method.COMPUTED, benchmark=NATIONAL).update(
        explanation="out of date"
    )
    with django_assert_num_queries(UPDATE_RUN_QUERIES):
        update = assessments_recompute()
    with django_assert_num_queries(STEADY_RUN_QUERIES):
        steady = assessments_recompute()

    assert (first.assessments.created, first.trends.created) == (size * 16, size)
    assert first.assessment_disagreements == size
    assert (update.assessments.updated, update.assessments.unchanged) == (
        size * 5,
        size * 11,
    )
    assert not steady.changed
