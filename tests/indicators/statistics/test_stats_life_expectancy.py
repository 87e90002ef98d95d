"""Life expectancy (Chiang II, Silcocks 90+) against PHEindicatormethods.

Reference: PHEindicatormethods (R), repository ukhsa-collaboration/PHEindicatormethods,
``tests/testthat/testLifeExpectancy.R`` at commit
005c05b0e1a6be4a7d35e2d737f90bc01d9b3b06 (``df1``, ``answer1`` and the
``df_*`` invalid-data frames), checking ``R/LifeExpectancy.R`` at commit
0031e305105d675dae6af8529d6e611eff92faaa. ``answer1`` was made with OHID's
Excel Life Expectancy Calculator, which uses z = 1.96, so the R test (and this
one) compares limits rounded to 4 decimal places; the standard error behind
them is also checked to 5e-8 (the published figures carry 10 digits).
PHStatsMethods has no life expectancy function.
"""

import math
import random

import pytest

from indicators.statistics.life_expectancy import (
    METHOD,
    STANDARD_START_AGES,
    life_expectancy,
)
from tests.indicators.statistics.reference_figures import LE_DEATHS, LE_POPS

# testLifeExpectancy.R: df1 (pops, deaths by standard band 0, 1-4, ..., 90+).
POPS, DEATHS = LE_POPS, LE_DEATHS
# testLifeExpectancy.R: answer1 (value, lowercl, uppercl at each band start).
ANSWER_VALUE = [
    80.16960813, 79.36245674, 75.44193645, 70.47299936, 65.52909542,
    60.67510088, 55.78835987, 50.92752727, 46.06740425, 41.24505636,
    36.49322717, 31.83343842, 27.26027992, 22.9719144, 18.76856852,
    14.95858336, 11.51684445, 8.618849241, 6.163942934, 6.16210635,
]  # fmt: skip
ANSWER_LOWER = [
    79.88268548, 79.0898816, 75.17407307, 70.20675732, 65.26548673,
    60.41876577, 55.53801579, 50.68279939, 45.82666794, 41.00842831,
    36.26223216, 31.60996318, 27.04337271, 22.76653134, 18.57570352,
    14.77985004, 11.34831778, 8.451134045, 5.978358351, 5.887683386,
]  # fmt: skip
ANSWER_UPPER = [
    80.45653078, 79.63503188, 75.70979983, 70.7392414, 65.79270412,
    60.931436, 56.03870395, 51.17225516, 46.30814055, 41.48168441,
    36.72422219, 32.05691365, 27.47718713, 23.17729746, 18.96143352,
    15.13731667, 11.68537112, 8.786564437, 6.349527517, 6.436529314,
]  # fmt: skip
Z975 = 1.959963984540054  # qnorm(0.975)
Z999 = 3.090232306167813  # qnorm(0.999)


@pytest.fixture(scope="module")
def table():
    return life_expectancy(DEATHS, POPS)


def test_life_expectancy_at_every_age_matches_the_reference(table):
    assert table.calculable and table.reason is None
    assert table.method == METHOD
    assert [row.start_age for row in table.ages] == list(STANDARD_START_AGES)
    for row, value, lower, upper in zip(
        table.ages, ANSWER_VALUE, ANSWER_LOWER, ANSWER_UPPER, strict=True
    ):
        assert row.value == pytest.approx(value, abs=5e-9)
        # As the R test: limits equal when rounded to 4 decimal places.
        assert round(row.lower95, 4) == round(lower, 4)
        assert round(row.upper95, 4) == round(upper, 4)
        # The published limits are value -/+ 1.96 SE (Excel calculator).
        assert row.standard_error == pytest.approx((upper - lower) / 2 / 1.96, rel=5e-8)
        assert not row.suppressed


def test_limits_are_value_plus_minus_z_standard_error(table):
    birth = table.at(0)
    assert birth.lower95 == pytest.approx(birth.value - Z975 * birth.standard_error)
    assert birth.upper998 == pytest.approx(birth.value + Z999 * birth.standard_error)
    assert birth.lower998 < birth.lower95 < birth.value < birth.upper95
    assert birth.upper95 < birth.upper998


def test_cumulative_population_and_deaths_used(table):
    # phe_life_expectancy type = "full": pops_used / dths_used.
    assert table.at(0).population_used == sum(POPS)
    assert table.at(85).deaths_used == 1936 + 1937
    assert table.at(90).population_used == 11936


def test_band_order_does_not_matter(table):
    # testLifeExpectancy.R df2: the 65-69 band given last.
    order = [*range(14), *range(15, 20), 14]
    shuffled = life_expectancy(
        [DEATHS[i] for i in order],
        [POPS[i] for i in order],
        start_ages=[STANDARD_START_AGES[i] for i in order],
    )
    assert shuffled == table


def _not_calculable(deaths, pops, reason, **kwargs):
    result = life_expectancy(deaths, pops, **kwargs)
    assert not result.calculable
    assert reason in result.reason
    for row in result.ages:
        values = [row.value, row.standard_error, row.lower95, row.upper95]
        assert values == [None] * 4
        assert [row.lower998, row.upper998] == [None, None]


def test_reference_validity_rules_give_missing_values():
    # The reference's df_neg_deaths, df_zero_pop, df_deaths_greater_pops,
    # df_missing_age and df_low_pops.
    negative = [*DEATHS[:3], -5, *DEATHS[4:]]
    _not_calculable(negative, POPS, "negative deaths")
    _not_calculable(DEATHS, [*POPS[:5], 0, *POPS[6:]], "zero or less population")
    _not_calculable(DEATHS, [*POPS[:18], 119, POPS[19]], "more deaths than population")
    _not_calculable(
        DEATHS[:19], POPS[:19], "exactly 20", start_ages=STANDARD_START_AGES[:19]
    )
    low_pops = [128, 152, 120, 176, 194, 180, 145, 149, 107, 185, 165, 109, 100]
    low_pops += [122, 133, 189, 123, 121, 147, 138]
    low_deaths = [58, 93, 78, 94, 59, 71, 80, 73, 69, 72, 91, 69, 78, 71, 54, 91]
    low_deaths += [82, 53, 50, 84]
    _not_calculable(low_deaths, low_pops, "5,000 or less")


def test_no_deaths_in_the_open_band_gives_no_value():
    result = life_expectancy([*DEATHS[:19], 0], POPS)
    assert result.calculable
    assert all(row.value is None for row in result.ages)


def test_values_with_a_95_interval_over_20_years_are_suppressed():
    deaths = [0] * 8 + [1, 1, 2, 3, 4, 6, 9, 13, 18, 25, 30, 5]
    result = life_expectancy(deaths, [300] * 20)
    suppressed = [row.start_age for row in result.ages if row.suppressed]
    assert suppressed == list(range(50, 95, 5))
    for row in result.ages:
        assert row.suppressed == (Z975 * row.standard_error > 10)
        assert (row.value is None) == row.suppressed
        assert row.lower95 is not None and row.upper998 is not None


def test_a_band_where_everyone_dies_ends_the_table():
    # More than 40 % dying in a 5-year band: q = 1 (deaths > pop / n / a).
    deaths = [*DEATHS[:17], 10_000, DEATHS[18], DEATHS[19]]
    pops = [*POPS[:17], 23_306, POPS[18], POPS[19]]
    result = life_expectancy(deaths, pops)
    assert result.at(80).value == pytest.approx(2.5)  # n a = 5 * 0.5
    assert result.at(85).value == 0.0
    assert result.at(85).standard_error is None


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"start_ages": (1, *STANDARD_START_AGES[1:])}, "start at 0"),
        ({"start_ages": (0, 1, 1, *STANDARD_START_AGES[3:])}, "ascending"),
        ({"start_ages": STANDARD_START_AGES[:19]}, "equal lengths"),
    ],
)
def test_argument_errors(kwargs, message):
    with pytest.raises(ValueError, match=message):
        life_expectancy(DEATHS, POPS, **kwargs)


def test_missing_numbers_are_rejected():
    with pytest.raises(ValueError, match="finite"):
        life_expectancy([*DEATHS[:19], math.nan], POPS)


def test_random_tables_are_monotone_where_survival_is_likely():
    # Property: LE at 0 lies between LE at 1 - 1 and LE at 1 + 1 (a 1-year band).
    rng = random.Random(19)
    for _ in range(20):
        pops = [rng.randint(2_000, 60_000) for _ in range(20)]
        deaths = [rng.randint(0, p // 100) for p in pops[:-1]] + [pops[-1] // 5]
        result = life_expectancy(deaths, pops)
        birth, one = result.at(0).value, result.at(1).value
        assert one - 1 <= birth <= one + 1
