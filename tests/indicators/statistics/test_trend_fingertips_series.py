"""series_trend gives recent_trend what Fingertips' rules need (issue 19).

Unsaved model instances, no database: the periods' dates (rolling periods
overlap) and the whole series (the count-equals-denominator rule looks back
past the five points tested).
"""

import pytest

from indicators.assessment.judgements import series_trend
from indicators.models import Indicator, IndicatorValue, Period
from indicators.periods import parse_period_label
from indicators.statistics.types import TrendLabel


def period(label):
    parsed = parse_period_label(label)
    return Period(
        label=label,
        kind=parsed.kind,
        starts_on=parsed.starts_on,
        ends_on=parsed.ends_on,
        sort_key=parsed.sort_key,
    )


def rows(labels, counts, denominators, value_type=Indicator.ValueType.PROPORTION):
    indicator = Indicator(
        code="x", value_type=value_type, polarity=Indicator.Polarity.HIGH_IS_GOOD
    )
    return [
        IndicatorValue(
            indicator=indicator,
            period=period(label),
            value=100 * r / n,
            lower95=100 * r / n - 1,
            upper95=100 * r / n + 1,
            count=r,
            denominator=n,
        )
        for label, r, n in zip(labels, counts, denominators, strict=True)
    ]


RISING = [100, 150, 200, 250, 300]
YEARS = ["2015", "2016", "2017", "2018", "2019"]


def test_single_years_are_trended():
    result = series_trend(rows(YEARS, RISING, [1000] * 5))
    assert result.label is TrendLabel.INCREASING_BETTER


def test_rolling_periods_overlap():
    labels = ["2011 - 13", "2012 - 14", "2013 - 15", "2014 - 16", "2015 - 17"]
    result = series_trend(rows(labels, RISING, [1000] * 5))
    assert result.label is TrendLabel.CANNOT_BE_CALCULATED
    assert "2011 - 13 and 2012 - 14 overlap" in result.explanation


@pytest.mark.parametrize(
    "value_type",
    [
        Indicator.ValueType.COUNT,
        Indicator.ValueType.LIFE_EXPECTANCY,
        Indicator.ValueType.MEAN,
        Indicator.ValueType.RATIO,
        Indicator.ValueType.INDEX,
    ],
)
def test_value_types_fingertips_does_not_trend(value_type):
    result = series_trend(rows(YEARS, RISING, [1000] * 5, value_type))
    assert result.label is TrendLabel.CANNOT_BE_CALCULATED
    assert "only for proportions, crude rates" in result.explanation


def test_count_equal_to_denominator_before_the_five_points():
    series = rows(["2014", *YEARS], [40, *RISING], [40, *[1000] * 5])
    result = series_trend(series)
    assert result.label is TrendLabel.CANNOT_BE_CALCULATED
    assert "in 2014 the count equals the denominator" in result.explanation
    assert series_trend(series[1:]).label is TrendLabel.INCREASING_BETTER
