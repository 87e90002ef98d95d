"""Where an output KPI stands (ADR 32): the one reader every display uses."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from indicators.models import Indicator, Period
from indicators.output_progress import output_progress
from indicators.services.values import period_get_or_create
from tests.indicators.factories import (
    AreaFactory,
    IndicatorFactory,
    IndicatorValueFactory,
    TargetFactory,
)

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 12, 3)


def kpi(**kwargs):
    return IndicatorFactory(
        kind=Indicator.Kind.LOCAL_OUTPUT,
        value_type=Indicator.ValueType.COUNT,
        unit="people",
        multiplier=1,
        polarity=Indicator.Polarity.HIGH_IS_GOOD,
        principle=None,
        update_frequency=Indicator.Frequency.QUARTERLY,
        year_to_date=Indicator.YearToDate.SUM,
        values_expected_from=dt.date(2026, 4, 1),
        **kwargs,
    )


def value(indicator, area, label, amount):
    return IndicatorValueFactory(
        indicator=indicator,
        area=area,
        period=period_get_or_create(label=label),
        value=amount,
        count=amount,
        denominator=None,
        lower95=None,
        upper95=None,
    )


def target(indicator, area, label, amount, tolerance=10):
    return TargetFactory(
        indicator=indicator,
        area=area,
        period=period_get_or_create(label=label),
        value=amount,
        amber_tolerance=tolerance,
        tolerance_is_percent=True,
    )


def test_two_quarters_are_summed_and_judged_against_half_the_target():
    area = AreaFactory()
    indicator = kpi()
    value(indicator, area, "2026/27 Q1", 45)
    value(indicator, area, "2026/27 Q2", 45)
    target(indicator, area, "2026/27", 200)
    progress = output_progress([indicator], area_id=area.pk, today=TODAY)[indicator.pk]
    assert progress.year_label == "2026/27"
    assert (progress.year_to_date, progress.year_to_date_target) == (90, 100)
    assert progress.year_to_date_judgement.words == "Within tolerance"
    assert progress.through == "2026/27 Q2"
    assert progress.latest.period.label == "2026/27 Q2"
    assert [f.period.label for f in progress.periods] == [
        f"2026/27 Q{q}" for q in (1, 2, 3, 4)
    ]
    assert [f.target for f in progress.periods] == [50, 50, 50, 50]
    assert progress.overdue == []


def test_a_quarter_target_judges_its_quarter():
    area = AreaFactory()
    indicator = kpi()
    value(indicator, area, "2026/27 Q1", 30)
    target(indicator, area, "2026/27", 200)
    target(indicator, area, "2026/27 Q1", 30)
    progress = output_progress([indicator], area_id=area.pk, today=TODAY)[indicator.pk]
    assert progress.latest_judgement.words == "On target"  # its own 30, not 50
    assert progress.year_to_date_judgement.words == "Off target"  # 30 of 50


def test_a_missing_quarter_is_overdue_and_counts_against_the_year():
    area = AreaFactory()
    indicator = kpi()
    value(indicator, area, "2026/27 Q2", 100)
    target(indicator, area, "2026/27", 200, tolerance=0)
    progress = output_progress([indicator], area_id=area.pk, today=TODAY)[indicator.pk]
    assert progress.overdue == ["2026/27 Q1"]
    assert [f.overdue for f in progress.periods] == [True, False, False, False]
    assert (progress.year_to_date, progress.year_to_date_target) == (100, 100)


def test_no_values_means_the_open_year_with_nothing_judged():
    area = AreaFactory()
    indicator = kpi()
    progress = output_progress([indicator], area_id=area.pk, today=TODAY)[indicator.pk]
    assert not progress.has_values
    assert progress.year_label == "2026/27"
    assert progress.year_to_date is None and progress.year_to_date_judgement is None
    assert progress.overdue == ["2026/27 Q1", "2026/27 Q2"]


def test_other_areas_and_breakdowns_are_not_read():
    area, other = AreaFactory(), AreaFactory()
    indicator = kpi()
    value(indicator, other, "2026/27 Q1", 999)
    progress = output_progress([indicator], area_id=area.pk, today=TODAY)[indicator.pk]
    assert not progress.has_values


@pytest.mark.parametrize("how_many", [1, 6])
def test_two_queries_whatever_the_number_of_kpis(how_many):
    area = AreaFactory()
    indicators = [kpi() for _ in range(how_many)]
    for indicator in indicators:
        value(indicator, area, "2026/27 Q1", 10)
        target(indicator, area, "2026/27", 40)
    assert Period.objects.exists()
    with CaptureQueriesContext(connection) as queries:
        progress = output_progress(indicators, area_id=area.pk, today=TODAY)
    assert len(queries) == 2
    assert {p.year_to_date_judgement.words for p in progress.values()} == {"On target"}
