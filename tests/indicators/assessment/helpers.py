"""Helpers for the assessment tests."""

from indicators.models import Assessment, Indicator
from tests.indicators.factories import IndicatorValueFactory, PeriodFactory

NATIONAL = Assessment.Benchmark.NATIONAL
LOW_IS_GOOD = Indicator.Polarity.LOW_IS_GOOD


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
