"""Quantile assignment (phe_quantile) and Fingertips' quintile comparison.

References:
* PHEindicatormethods ``R/Quantiles.R`` (ukhsa-collaboration/PHEindicatormethods,
  commit 9265a246fa9bdbb25fcf988ffe43ce4a8d5d202d) and PHStatsMethods 0.1.16
  ``ph_quantile`` (installed test dependency; DataS-DHSC/PHStatsMethods
  ``PHStatsMethods/quantiles.py``, commit 4de6ea523dac8926108e0f7b2c4742fb04c860cf),
  compared on generated data: both packages' own test data
  (``testdata_Quantiles.xlsx`` and the R package's ``sysdata.rda``) are binary
  and could not be read through the reference index.
* fingertips-open (ukhsa-collaboration/fingertips-open, commit
  5441c9a3ef1757f9dcb23d42cc474b240947d839):
  ``PholioVisualisationWS/Analysis/ValueCategoriesCalculator.cs``,
  ``QuintilesCalculator.cs`` and ``QuintilesComparer.cs``.
* FingertipsNext (dhsc-govuk/FingertipsNext) stored procedure
  ``GetIndicatorDetailsWithQuintileBenchmarkComparison`` for the labels.
"""

import math
import random

import numpy as np
import pandas as pd
import pytest
from PHStatsMethods.quantiles import ph_quantile

from indicators.statistics.quantiles import (
    QuintileLabel,
    assign_quantiles,
    assign_quantiles_within,
    category_bounds,
    fingertips_percentile,
    fingertips_quintile,
    quantile_invert_for,
    quintile_comparison,
)
from indicators.statistics.types import Polarity

ONE_TO_TEN = [float(x) for x in range(1, 11)]


# --- phe_quantile -------------------------------------------------------------


def test_deciles_of_ten_values():
    assert assign_quantiles(ONE_TO_TEN, invert=False) == list(range(1, 11))
    # invert = TRUE (the reference's default): highest value in decile 1.
    assert assign_quantiles(ONE_TO_TEN) == list(range(10, 0, -1))


def test_uneven_groups_follow_the_reference_formula():
    # n = 7, 5 quantiles: floor(6 - ceiling((8 - rank) / 1.4)), worked by hand.
    values = [3.0, 1.0, 2.0, 7.0, 5.0, 4.0, 6.0]
    assert assign_quantiles(values, nquantiles=5, invert=False) == [2, 1, 1, 5, 3, 3, 4]


def test_ties_share_the_lowest_rank_and_missing_values_get_none():
    values = [5.0, 5.0, 5.0, 1.0, None, 2.0, math.nan, 9.0, 9.0, 3.0]
    # Present: 1 2 3 5 5 5 9 9 (n = 8); ties.method = "min": the 5s share
    # rank 4, so floor(5 - ceiling((9 - 4) / 2)) = 2, and the 9s rank 7.
    result = assign_quantiles(values, nquantiles=4, invert=False)
    assert result == [2, 2, 2, 1, None, 1, None, 4, 4, 2]


def test_too_few_values_for_the_quantiles_gives_none():
    assert assign_quantiles([1.0, 2.0, None], nquantiles=3) == [None, None, None]


def test_invert_by_polarity_puts_the_worst_first():
    assert quantile_invert_for(Polarity.LOW_IS_GOOD) is True
    assert quantile_invert_for("high_is_good") is False
    assert quantile_invert_for(Polarity.NO_JUDGEMENT) is False


@pytest.mark.parametrize("nquantiles", [0, 2.5, True])
def test_nquantiles_must_be_a_positive_whole_number(nquantiles):
    with pytest.raises(ValueError, match="nquantiles"):
        assign_quantiles(ONE_TO_TEN, nquantiles=nquantiles)


@pytest.mark.filterwarnings("ignore:One or more groups had too few")
@pytest.mark.parametrize("seed", range(4))
def test_matches_phstatsmethods_within_parent_areas(seed):
    rng = random.Random(seed)
    rows = []
    for parent in ("E12000001", "E12000002", "E12000003"):
        for i in range(rng.randint(3, 60)):
            # Coarse values so that ties are common; some missing.
            value = None if rng.random() < 0.1 else float(rng.randint(0, 40))
            rows.append((parent, f"{parent}-{i}", value))
    frame = pd.DataFrame(rows, columns=["parent", "area", "value"]).astype(
        {"value": float}
    )
    for nquantiles in (4, 5, 7, 10):
        for invert in (True, False):
            expected = ph_quantile(
                frame, "value", ["parent"], nquantiles=nquantiles, invert=invert
            )
            ours = assign_quantiles_within(rows, nquantiles=nquantiles, invert=invert)
            for area, quantile in zip(
                expected["area"], expected["quantile"], strict=True
            ):
                assert ours[area] == (None if np.isnan(quantile) else int(quantile))


def test_an_area_may_appear_once_only():
    rows = [("P", "A", 1.0), ("Q", "A", 2.0)]
    with pytest.raises(ValueError, match="more than once"):
        assign_quantiles_within(rows, nquantiles=1)


# --- Fingertips percentiles and quintiles --------------------------------------


def test_fingertips_percentile_by_hand():
    # n = (10 - 1) 0.2 + 1 = 2.8: x2 + 0.8 (x3 - x2).
    assert fingertips_percentile(ONE_TO_TEN, 0.2) == pytest.approx(2.8)
    assert fingertips_percentile(ONE_TO_TEN, 0.0) == 1.0
    assert fingertips_percentile(ONE_TO_TEN, 1.0) == 10.0


def test_fingertips_percentile_rounds_to_ten_places():
    # Interpolation gives 0.22000000000000003; Fingertips rounds it to 0.22.
    assert fingertips_percentile([0.1, 0.2, 0.3, 0.4, 0.5], 0.3) == 0.22


def test_fingertips_percentile_is_r_type_7():
    rng = random.Random(7)
    for _ in range(50):
        values = sorted(rng.uniform(-100, 100) for _ in range(rng.randint(1, 40)))
        for fraction in (0.05, 0.2, 0.25, 0.5, 0.75, 0.8, 0.95):
            expected = float(np.quantile(values, fraction, method="linear"))
            actual = fingertips_percentile(values, fraction)
            assert actual == pytest.approx(expected, abs=1e-9)


def test_percentile_errors():
    with pytest.raises(ValueError, match="no values"):
        fingertips_percentile([], 0.5)
    with pytest.raises(ValueError, match="between 0 and 1"):
        fingertips_percentile([1.0], -0.1)


def test_quintile_bounds_and_categories():
    assert category_bounds([*ONE_TO_TEN, None], 5) == pytest.approx(
        [1.0, 2.8, 4.6, 6.4, 8.2, 10.0]
    )
    assert category_bounds([1.0, 2.0, 3.0], 5) == []  # 3 or fewer values
    quintiles = [fingertips_quintile(v, ONE_TO_TEN) for v in ONE_TO_TEN]
    assert quintiles == [1, 1, 2, 2, 3, 3, 4, 4, 5, 5]
    # A value equal to a bound is in the lower quintile.
    assert fingertips_quintile(4.6, [*ONE_TO_TEN, 4.6]) == 2


@pytest.mark.parametrize(
    ("value", "polarity", "label"),
    [
        (1.0, Polarity.HIGH_IS_GOOD, QuintileLabel.WORST),
        (3.0, Polarity.HIGH_IS_GOOD, QuintileLabel.WORSE),
        (5.0, Polarity.HIGH_IS_GOOD, QuintileLabel.MIDDLE),
        (7.0, Polarity.HIGH_IS_GOOD, QuintileLabel.BETTER),
        (10.0, Polarity.HIGH_IS_GOOD, QuintileLabel.BEST),
        (1.0, Polarity.LOW_IS_GOOD, QuintileLabel.BEST),
        (3.0, Polarity.LOW_IS_GOOD, QuintileLabel.BETTER),
        (7.0, Polarity.LOW_IS_GOOD, QuintileLabel.WORSE),
        (10.0, Polarity.LOW_IS_GOOD, QuintileLabel.WORST),
        (1.0, "no_judgement", QuintileLabel.LOWEST),
        (3.0, "no_judgement", QuintileLabel.LOW),
        (5.0, "no_judgement", QuintileLabel.MIDDLE),
        (7.0, "no_judgement", QuintileLabel.HIGH),
        (10.0, "no_judgement", QuintileLabel.HIGHEST),
    ],
)
def test_quintile_labels_by_polarity(value, polarity, label):
    assert quintile_comparison(value, ONE_TO_TEN, polarity=polarity) is label


def test_quintile_comparison_needs_five_values_and_a_value():
    four = [1.0, 2.0, 3.0, 4.0, None]
    assert quintile_comparison(2.0, four, polarity="high_is_good") == "Not compared"
    assert quintile_comparison(None, ONE_TO_TEN, polarity="low_is_good") == (
        QuintileLabel.NOT_COMPARED
    )
    assert fingertips_quintile(11.0, ONE_TO_TEN) is None  # not among the values
