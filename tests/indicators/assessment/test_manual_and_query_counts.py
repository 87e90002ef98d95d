"""Manual assessments and fixed query counts (indicators.assessment)."""

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
from indicators.models import Assessment, Method
from indicators.selectors import assessment_effective
from tests.indicators.assessment.helpers import LOW_IS_GOOD, NATIONAL, computed, put
from tests.indicators.factories import (
    AssessmentFactory,
    IndicatorFactory,
    PeriodFactory,
    TargetFactory,
    TrendFactory,
)
from tests.workstreams.factories import UserFactory

pytestmark = pytest.mark.django_db


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


#: savepoint + release, place, targets, areas, published assessments and
#: trends, which areas are needed, values, computed assessments and trends,
#: assessment insert + history, trend insert + history.
FIRST_RUN_QUERIES = 15
#: the same reads, then assessment update + history.
UPDATE_RUN_QUERIES = 13
#: the same reads, nothing to write.
STEADY_RUN_QUERIES = 11


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

    # The place: 5 years x 3 benchmarks + 1 target; the region: 5 years against
    # England (ADR 21). A trend for each of the four areas' series.
    assert (first.assessments.created, first.trends.created) == (
        size * 21,
        size * 4,
    )
    assert first.assessment_disagreements == size
    assert (update.assessments.updated, update.assessments.unchanged) == (
        size * 10,
        size * 11,
    )
    assert not steady.changed
