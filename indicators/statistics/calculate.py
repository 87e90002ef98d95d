"""A value and its limits from the raw figures, by the indicator's value type.

The one dispatcher the measures import, the API and the admin use when a
partner supplies numerators and denominators (or counts and populations by
age band) instead of a published value (issue 19). Each value type has one
method, Fingertips' and PHEindicatormethods' for that type:

==================  ===========================  ===============================
value type          raw figures                  method (PHEindicatormethods)
==================  ===========================  ===============================
proportion          numerator, denominator       Wilson score (``phe_proportion``)
crude_rate          numerator, denominator       exact below 10, else Byar's
                                                 (``phe_rate``)
count               numerator                    exact below 10, else Byar's
dsr                 age bands: count,            Dobson (``phe_dsr``)
                    population, standard
                    population
ratio               numerator (observed),        exact below 10, else Byar's on
                    denominator (expected), or   the observed, over expected
                    age bands: count,            (``calculate_ISRatio``)
                    population, reference count
                    and population
mean                mean, standard deviation,    Student's t (``phe_mean``)
                    sample size
life_expectancy     age bands: start age,        Chiang II with Silcocks et al.
                    deaths, population           (``phe_life_expectancy``)
index               -                            none: enter the published value
==================  ===========================  ===============================

``multiplier`` is the indicator's (100 for a percentage, 100,000 for a rate
per 100,000; for a ratio, 100 gives an SMR as Fingertips shows it, 1 a ratio).
Every problem with the figures is a :class:`FigureError` (a ``ValueError``)
whose message says which figure and why and whose ``field`` names it, for a
400 or an import problem; :data:`FIGURES` and :data:`BAND_FIGURES` say which
figures each value type takes, for the API and the template to ask for.
Nothing here touches Django.
"""

from __future__ import annotations

import enum
import math
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

from indicators.statistics.confidence import (
    Z95,
    Z998,
    confidence_intervals,
    count_ci,
)
from indicators.statistics.life_expectancy import life_expectancy
from indicators.statistics.means import mean_ci_from_summary
from indicators.statistics.standardised import indirectly_standardised_ratio
from indicators.statistics.types import ConfidenceIntervals

#: The most age bands one calculation takes (bounded work for any request).
MAXIMUM_AGE_BANDS = 40
#: The largest figure taken: beyond any count or population a place has
#: (England's population is 6e7), and small enough that no method overflows.
MAXIMUM_FIGURE = 1e12


class Method(enum.StrEnum):
    """How a value and its limits were made (``IndicatorValue.Method``)."""

    PUBLISHED = "published"
    WILSON = "wilson"
    BYAR = "byar"
    DOBSON = "dobson"
    INDIRECT = "indirect"
    STUDENT_T = "student_t"
    CHIANG_II = "chiang_ii"


#: Which value types can be calculated, and by which method.
METHOD_BY_VALUE_TYPE = {
    "proportion": Method.WILSON,
    "crude_rate": Method.BYAR,
    "count": Method.BYAR,
    "dsr": Method.DOBSON,
    "ratio": Method.INDIRECT,
    "mean": Method.STUDENT_T,
    "life_expectancy": Method.CHIANG_II,
}


#: The keyword figures each value type's method takes (a ratio: these, or
#: :data:`BAND_FIGURES`). The API and the measures template ask for these.
FIGURES = {
    "proportion": ("numerator", "denominator"),
    "crude_rate": ("numerator", "denominator"),
    "count": ("numerator",),
    "ratio": ("numerator", "denominator"),
    "mean": ("mean", "standard_deviation", "sample_size"),
}
#: What each age band holds for the value types calculated from age bands.
BAND_FIGURES = {
    "dsr": ("count", "population", "standard_population"),
    "ratio": ("count", "population", "reference_count", "reference_population"),
    "life_expectancy": ("start_age", "count", "population"),
}


class FigureError(ValueError):
    """A figure the method cannot use; ``field`` names it (``numerator``,
    ``age_bands``, …), None when no one figure is at fault. For one age band's
    figure, ``band`` is its number (1 is the first) and ``figure`` the
    AgeBand field (``population``, …)."""

    def __init__(
        self,
        message: str,
        field: str | None = None,
        *,
        band: int | None = None,
        figure: str | None = None,
    ) -> None:
        super().__init__(message)
        self.field, self.band, self.figure = field, band, figure


@dataclass(frozen=True)
class AgeBand:
    """One age band's figures; which are needed depends on the value type.

    ``count`` is the events (deaths for life expectancy); ``start_age`` is
    needed for life expectancy; ``standard_population`` for a DSR;
    ``reference_count`` and ``reference_population`` for an indirectly
    standardised ratio.
    """

    count: float | None
    population: float | None
    start_age: int | None = None
    standard_population: float | None = None
    reference_count: float | None = None
    reference_population: float | None = None


@dataclass(frozen=True)
class Calculated:
    """A value with its limits, the figures it came from and its method.

    ``value`` is None only for a life expectancy the reference suppresses (its
    95% interval is wider than 20 years); ``note`` then says so.
    """

    value: float | None
    lower95: float | None
    upper95: float | None
    lower998: float | None
    upper998: float | None
    count: float | None
    denominator: float | None
    method: Method
    note: str = ""


def _number(
    name: str,
    x: float | None,
    *,
    field: str | None,
    positive: bool = False,
    signed: bool = False,
) -> float:
    """``x`` as a finite float within :data:`MAXIMUM_FIGURE`, zero or more
    (more than zero if ``positive``; any sign if ``signed``)."""
    if x is None or isinstance(x, bool):
        raise FigureError(f"{name} is needed", field)
    try:
        x = float(x)
    except (TypeError, ValueError):
        raise FigureError(f"{name} must be a number, not {x!r}", field) from None
    if not math.isfinite(x):
        raise FigureError(f"{name} must be a finite number", field)
    if abs(x) > MAXIMUM_FIGURE:
        raise FigureError(f"{name} must be at most {MAXIMUM_FIGURE:,.0f}", field)
    if positive and not x > 0:
        raise FigureError(f"{name} must be greater than zero, not {x:g}", field)
    if x < 0 and not signed:
        raise FigureError(f"{name} must be zero or more, not {x:g}", field)
    return x


def _bands(age_bands: Sequence[AgeBand] | None, value_type: str) -> list[AgeBand]:
    if not age_bands:
        raise FigureError(f"a {value_type} value needs its age bands", "age_bands")
    if len(age_bands) > MAXIMUM_AGE_BANDS:
        raise FigureError(
            f"at most {MAXIMUM_AGE_BANDS} age bands, not {len(age_bands)}",
            "age_bands",
        )
    return list(age_bands)


def _column(bands: list[AgeBand], figure: str, *, positive: bool = False) -> list:
    column = []
    for i, band in enumerate(bands, start=1):
        try:
            number = _number(
                f"age band {i} {figure.replace('_', ' ')}",
                getattr(band, figure),
                field="age_bands",
                positive=positive,
            )
        except FigureError as error:
            raise FigureError(str(error), "age_bands", band=i, figure=figure) from None
        column.append(number)
    return column


@contextmanager
def _about(field: str) -> Iterator[None]:
    """A reference function's refusal (a ValueError) as one about ``field``."""
    try:
        yield
    except FigureError:
        raise
    except ValueError as error:
        raise FigureError(str(error), field) from error


def _from_intervals(ci, *, count, denominator, method: Method) -> Calculated:
    return Calculated(
        ci.value,
        ci.lower95,
        ci.upper95,
        ci.lower998,
        ci.upper998,
        count,
        denominator,
        method,
    )


def calculate_value(
    value_type: str,
    *,
    multiplier: float,
    numerator: float | None = None,
    denominator: float | None = None,
    age_bands: Sequence[AgeBand] | None = None,
    mean: float | None = None,
    standard_deviation: float | None = None,
    sample_size: float | None = None,
    at_age: int = 0,
) -> Calculated:
    """The value of ``value_type`` with 95% and 99.8% limits (see module).

    ``at_age`` is the start age of the band a life expectancy is for (0: at
    birth). Raises :class:`FigureError` naming the figure that is missing or
    wrong, or saying that the value type is not calculated here.
    """
    method = METHOD_BY_VALUE_TYPE.get(value_type)
    if method is None:
        raise FigureError(
            f"values of type {value_type!r} are not calculated from raw figures; "
            "enter the published value"
        )
    multiplier = _number("the multiplier", multiplier, field=None, positive=True)
    if value_type in ("proportion", "crude_rate"):
        count = _number("numerator", numerator, field="numerator")
        total = _number("denominator", denominator, field="denominator", positive=True)
        if value_type == "proportion" and count > total:
            raise FigureError(
                f"numerator ({count:g}) must not be more than denominator ({total:g})",
                "numerator",
            )
        ci = confidence_intervals(
            value_type, numerator=count, denominator=total, multiplier=multiplier
        )
        return _from_intervals(ci, count=count, denominator=total, method=method)
    if value_type == "count":
        count = _number("numerator", numerator, field="numerator")
        ci = confidence_intervals("count", numerator=count)
        return _from_intervals(ci, count=count, denominator=None, method=method)
    if value_type == "dsr":
        bands = _bands(age_bands, "directly standardised rate")
        counts = _column(bands, "count")
        populations = _column(bands, "population", positive=True)
        standard = _column(bands, "standard_population", positive=True)
        with _about("age_bands"):
            ci = confidence_intervals(
                "dsr",
                counts=counts,
                populations=populations,
                standard_populations=standard,
                multiplier=multiplier,
            )
        return _from_intervals(
            ci,
            count=math.fsum(counts),
            denominator=math.fsum(populations),
            method=method,
        )
    if value_type == "ratio":
        return _ratio(numerator, denominator, age_bands, multiplier)
    if value_type == "mean":
        size = _number("sample size", sample_size, field="sample_size")
        if size != int(size) or size < 2:
            raise FigureError(
                "sample size must be a whole number of 2 or more", "sample_size"
            )
        ci = mean_ci_from_summary(
            mean=_number("mean", mean, field="mean", signed=True),
            standard_deviation=_number(
                "standard deviation", standard_deviation, field="standard_deviation"
            ),
            count=int(size),
        )
        return _from_intervals(ci, count=None, denominator=size, method=method)
    return _life_expectancy(age_bands, at_age)


def _ratio(numerator, denominator, age_bands, multiplier: float) -> Calculated:
    """Observed over expected, times ``multiplier``, exact or Byar's limits."""
    if age_bands:
        bands = _bands(age_bands, "ratio")
        observed = _column(bands, "count")
        populations = _column(bands, "population")
        reference_counts = _column(bands, "reference_count")
        reference_populations = _column(bands, "reference_population", positive=True)
        with _about("age_bands"):
            result = indirectly_standardised_ratio(
                observed=observed,
                populations=populations,
                reference_counts=reference_counts,
                reference_populations=reference_populations,
                refvalue=multiplier,
            )
        return _from_intervals(
            result.intervals,
            count=result.observed,
            denominator=result.expected,
            method=Method.INDIRECT,
        )
    observed = _number("numerator (observed events)", numerator, field="numerator")
    expected = _number(
        "denominator (expected events)",
        denominator,
        field="denominator",
        positive=True,
    )
    factor = multiplier / expected
    ci95, ci998 = (count_ci(observed, z=z) for z in (Z95, Z998))
    intervals = ConfidenceIntervals(
        observed * factor,
        ci95.lower * factor,
        ci95.upper * factor,
        ci998.lower * factor,
        ci998.upper * factor,
    )
    return _from_intervals(
        intervals, count=observed, denominator=expected, method=Method.INDIRECT
    )


def _life_expectancy(age_bands, at_age: int) -> Calculated:
    bands = _bands(age_bands, "life expectancy")
    ages = []
    for i, band in enumerate(bands, start=1):
        if band.start_age is None or isinstance(band.start_age, bool):
            raise FigureError(
                f"age band {i} start age is needed",
                "age_bands",
                band=i,
                figure="start_age",
            )
        ages.append(int(band.start_age))
    deaths = _column(bands, "count")
    populations = _column(bands, "population")
    with _about("age_bands"):
        table = life_expectancy(deaths, populations, start_ages=ages)
    if not table.calculable:
        raise FigureError(
            f"life expectancy cannot be calculated: {table.reason}", "age_bands"
        )
    try:
        row = table.at(at_age)
    except KeyError:
        raise FigureError(f"no age band starts at {at_age}", "age_bands") from None
    note = ""
    if row.value is None:
        note = (
            "Not shown: its 95% confidence interval is wider than 20 years"
            if row.suppressed
            else "Not calculated: the oldest age band has no deaths"
        )
    return Calculated(
        row.value,
        row.lower95,
        row.upper95,
        row.lower998,
        row.upper998,
        row.deaths_used,
        row.population_used,
        Method.CHIANG_II,
        note,
    )


__all__ = [
    "MAXIMUM_AGE_BANDS",
    "METHOD_BY_VALUE_TYPE",
    "BAND_FIGURES",
    "FIGURES",
    "MAXIMUM_FIGURE",
    "AgeBand",
    "Calculated",
    "FigureError",
    "Method",
    "calculate_value",
]
