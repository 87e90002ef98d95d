"""Benchmark comparisons and targets (indicators.assessment)."""

import pytest

from indicators.assessment import (
    assessments_recompute,
    indicator_values_changed,
)
from indicators.models import Assessment, Indicator
from indicators.selectors import assessment_effective
from tests.indicators.assessment.helpers import LOW_IS_GOOD, computed, put
from tests.indicators.factories import (
    AssessmentFactory,
    IndicatorFactory,
    PeriodFactory,
    TargetFactory,
)

pytestmark = pytest.mark.django_db


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
    indicator = IndicatorFactory(
        polarity=Indicator.Polarity.HIGH_IS_GOOD, unit="", multiplier=1
    )
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
