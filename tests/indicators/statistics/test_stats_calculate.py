"""One value from raw figures by value type (indicators.statistics.calculate).

Each value type is checked against its reference's published worked example
(PHEindicatormethods' documentation and tests, as quoted beside each number;
the same examples test_stats_confidence.py and test_stats_life_expectancy.py
cite), so the dispatcher is checked against the source, not against itself.
"""

import math

import pytest

from indicators.models import Indicator, IndicatorValue
from indicators.statistics.calculate import (
    BAND_FIGURES,
    FIGURES,
    MAXIMUM_AGE_BANDS,
    METHOD_BY_VALUE_TYPE,
    AgeBand,
    FigureError,
    Method,
    calculate_value,
)
from tests.indicators.statistics.reference_figures import (
    DSR_COUNTS,
    DSR_POPS,
    ESP,
    LE_AGES,
    LE_DEATHS,
    LE_POPS,
)

SIG6 = 1e-6


def approx6(x):
    return pytest.approx(x, rel=SIG6, abs=1e-12)


def test_every_method_is_a_stored_method():
    assert {m.value for m in Method} == set(IndicatorValue.Method.values)
    calculable = set(METHOD_BY_VALUE_TYPE)
    assert calculable <= set(Indicator.ValueType.values)
    # Only an index has no method: it is a published composite.
    assert set(Indicator.ValueType.values) - calculable == {"index"}


def test_proportion_by_wilson_published_example():
    # phe_proportion(100, 1000) -> 10.0, 8.29094435930957, 12.01519631953484
    result = calculate_value(
        "proportion", multiplier=100, numerator=100, denominator=1000
    )
    assert result.method is Method.WILSON
    assert result.value == approx6(10.0)
    assert (result.lower95, result.upper95) == (
        approx6(8.29094435930957),
        approx6(12.01519631953484),
    )
    assert result.lower998 < result.lower95 and result.upper998 > result.upper95
    assert (result.count, result.denominator) == (100, 1000)


def test_crude_rate_by_byar_published_example():
    # phe_rate(100, 10000, 100000) -> 1000, 813.6210549052789, 1216.279375792065
    result = calculate_value(
        "crude_rate", multiplier=100_000, numerator=100, denominator=10_000
    )
    assert result.method is Method.BYAR
    assert result.value == 1000.0
    assert result.lower95 == approx6(813.6210549052789)
    assert result.upper95 == approx6(1216.279375792065)


def test_count_is_its_own_value_with_byar_limits():
    # byars_lower(100) = 81.36210549052788; upper 121.6279375792065 (R, 3.x).
    result = calculate_value("count", multiplier=1, numerator=100)
    assert result.value == 100
    assert result.lower95 == approx6(81.36210549052788)
    assert result.upper95 == approx6(121.6279375792065)
    assert result.denominator is None


def test_dsr_by_dobson_published_example():
    # phe_dsr(obs, pop) with the European Standard Population:
    # value 9832.763039564017, lower 9232.668299548477, upper 10461.620634.
    bands = [
        AgeBand(count=c, population=p, standard_population=s)
        for c, p, s in zip(DSR_COUNTS, DSR_POPS, ESP, strict=True)
    ]
    result = calculate_value("dsr", multiplier=100_000, age_bands=bands)
    assert result.method is Method.DOBSON
    assert result.value == approx6(9832.763039564017)
    assert result.lower95 == approx6(9232.668299548477)
    assert result.upper95 == approx6(10461.620634)
    assert result.count == sum(DSR_COUNTS) and result.denominator == sum(DSR_POPS)


def test_ratio_from_observed_and_expected():
    # 127 observed against 100 expected: SMR 127; Byar's limits on 127 events
    # (byars_lower(127) = 105.86..., upper from R's formula), over 100, x 100.
    result = calculate_value("ratio", multiplier=100, numerator=127, denominator=100)
    assert result.method is Method.INDIRECT
    assert result.value == pytest.approx(127.0)
    z = 1.959963984540054
    lower = 127 * (1 - 1 / (9 * 127) - z / 3 / math.sqrt(127)) ** 3
    upper = 128 * (1 - 1 / (9 * 128) + z / 3 / math.sqrt(128)) ** 3
    assert result.lower95 == approx6(lower)
    assert result.upper95 == approx6(upper)


def test_ratio_from_age_bands_is_observed_over_expected():
    counts, pops = [3, 8, 21, 40, 55], [5_000, 6_500, 4_800, 3_100, 1_200]
    ref_counts = [1_100, 2_300, 6_900, 15_200, 30_100]
    ref_pops = [2_000_000, 2_600_000, 1_900_000, 1_200_000, 600_000]
    bands = [
        AgeBand(count=c, population=p, reference_count=rc, reference_population=rp)
        for c, p, rc, rp in zip(counts, pops, ref_counts, ref_pops, strict=True)
    ]
    result = calculate_value("ratio", multiplier=100, age_bands=bands)
    expected = sum(
        rc / rp * p for rc, rp, p in zip(ref_counts, ref_pops, pops, strict=True)
    )
    assert result.value == pytest.approx(127 / expected * 100)
    assert result.count == 127 and result.denominator == pytest.approx(expected)


def test_mean_by_student_t_documented_example():
    # phe_mean(c(30, 40, 50, 60)): mean 45, sd 12.90994, 95% limits
    # 45 -/+ qt(0.975, 3) sd / sqrt(4), qt(0.975, 3) = 3.182446305284263 (R).
    sd = math.sqrt(sum((v - 45) ** 2 for v in (30, 40, 50, 60)) / 3)
    result = calculate_value(
        "mean", multiplier=1, mean=45, standard_deviation=sd, sample_size=4
    )
    assert result.method is Method.STUDENT_T
    assert result.lower95 == pytest.approx(45 - 3.182446305284263 * sd / 2)
    assert result.upper95 == pytest.approx(45 + 3.182446305284263 * sd / 2)


def test_life_expectancy_at_birth_from_age_bands():
    # testLifeExpectancy.R answer1 at age 0: 80.16960813 (79.8827 to 80.4565).
    bands = [
        AgeBand(count=d, population=p, start_age=a)
        for d, p, a in zip(LE_DEATHS, LE_POPS, LE_AGES, strict=True)
    ]
    result = calculate_value("life_expectancy", multiplier=1, age_bands=bands)
    assert result.method is Method.CHIANG_II
    assert result.value == pytest.approx(80.16960813, abs=5e-9)
    assert round(result.lower95, 4) == round(79.88268548, 4)
    assert round(result.upper95, 4) == round(80.45653078, 4)
    assert result.count == sum(LE_DEATHS) and result.denominator == sum(LE_POPS)


def test_life_expectancy_the_reference_refuses_is_an_error_saying_why():
    bands = [
        AgeBand(count=d, population=p / 1000, start_age=a)
        for d, p, a in zip([0] * 20, LE_POPS, LE_AGES, strict=True)
    ]
    with pytest.raises(ValueError, match="total population is 5,000 or less"):
        calculate_value("life_expectancy", multiplier=1, age_bands=bands)


@pytest.mark.parametrize(
    ("value_type", "figures", "message"),
    [
        ("index", {"numerator": 1}, "not calculated from raw figures"),
        ("proportion", {"denominator": 10}, "numerator is needed"),
        ("proportion", {"numerator": 11, "denominator": 10}, "not be more than"),
        ("proportion", {"numerator": 1, "denominator": 0}, "greater than zero"),
        ("crude_rate", {"numerator": -1, "denominator": 10}, "zero or more"),
        ("crude_rate", {"numerator": math.nan, "denominator": 10}, "finite"),
        ("crude_rate", {"numerator": "ten", "denominator": 10}, "must be a number"),
        ("count", {"numerator": True}, "numerator is needed"),
        ("dsr", {}, "needs its age bands"),
        ("mean", {"mean": 4, "standard_deviation": 1, "sample_size": 1}, "2 or more"),
        ("mean", {"mean": 4, "standard_deviation": 1, "sample_size": 2.5}, "whole"),
        ("ratio", {"numerator": 5, "denominator": 0}, "expected events"),
    ],
)
def test_bad_figures_say_which_and_why(value_type, figures, message):
    with pytest.raises(ValueError, match=message):
        calculate_value(value_type, multiplier=100, **figures)


def test_age_bands_are_bounded_and_each_named():
    too_many = [AgeBand(count=1, population=10, standard_population=10)]
    with pytest.raises(ValueError, match=f"at most {MAXIMUM_AGE_BANDS} age bands"):
        calculate_value(
            "dsr", multiplier=100_000, age_bands=too_many * (MAXIMUM_AGE_BANDS + 1)
        )
    missing = [AgeBand(count=1, population=10), AgeBand(count=1, population=None)]
    with pytest.raises(ValueError, match="age band 2 population is needed"):
        calculate_value("dsr", multiplier=100_000, age_bands=missing)


@pytest.mark.parametrize(
    ("value_type", "figures", "field"),
    [
        ("index", {}, None),
        ("proportion", {"numerator": 11, "denominator": 10}, "numerator"),
        ("proportion", {"numerator": 1, "denominator": 1e13}, "denominator"),
        (
            "mean",
            {"mean": 1, "standard_deviation": -1, "sample_size": 3},
            "standard_deviation",
        ),
        ("dsr", {"age_bands": [AgeBand(count=1, population=10)]}, "age_bands"),
        # A reference function's own refusal (a DSR needs 10 events) too.
        (
            "dsr",
            {"age_bands": [AgeBand(count=1, population=10, standard_population=10)]},
            "age_bands",
        ),
    ],
)
def test_each_refusal_names_its_figure(value_type, figures, field):
    with pytest.raises(FigureError) as raised:
        calculate_value(value_type, multiplier=100, **figures)
    assert raised.value.field == field


def test_the_figure_tables_cover_every_calculated_value_type():
    assert set(FIGURES) | set(BAND_FIGURES) == set(METHOD_BY_VALUE_TYPE)
