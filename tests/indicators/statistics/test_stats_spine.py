"""Spine chart ranges against hand-worked values (R's quantile type 7)."""

import pytest

from indicators.statistics.spine import quantile_type7, spine_range

ONE_TO_TEN = [float(x) for x in range(1, 11)]


@pytest.mark.parametrize(
    ("values", "p", "expected"),
    [
        # h = (n - 1) p; x[floor h] + frac(h) * (next - x[floor h])
        (ONE_TO_TEN, 0.25, 3.25),  # h = 2.25: 3 + 0.25 * 1
        (ONE_TO_TEN, 0.5, 5.5),  # h = 4.5
        (ONE_TO_TEN, 0.75, 7.75),  # h = 6.75
        (ONE_TO_TEN, 0.0, 1.0),
        (ONE_TO_TEN, 1.0, 10.0),
        ([10.0, 2.0, 4.0], 0.25, 3.0),  # R: quantile(c(2, 4, 10)) = 2 3 4 7 10
        ([10.0, 2.0, 4.0], 0.75, 7.0),
        ([5.0], 0.25, 5.0),
    ],
)
def test_quantile_type7(values, p, expected):
    assert quantile_type7(values, p) == pytest.approx(expected)


def test_quantile_needs_values_and_a_probability():
    with pytest.raises(ValueError, match="no values"):
        quantile_type7([], 0.5)
    with pytest.raises(ValueError, match="between 0 and 1"):
        quantile_type7([1.0], 1.5)


def test_high_is_good_runs_low_to_high_with_england_in_the_middle():
    spine = spine_range([*ONE_TO_TEN, None], england=6.0, polarity="high_is_good")

    assert (spine.count, spine.worst, spine.q25, spine.median, spine.q75) == (
        10,
        1.0,
        3.25,
        5.5,
        7.75,
    )
    assert spine.best == 10.0
    # England 6: 5 below to the lowest, 4 above to the highest -> 1 to 11.
    assert (spine.scale_low, spine.scale_high) == (1.0, 11.0)
    assert spine.position(6.0) == 0.5
    assert spine.position(10.0) == pytest.approx(0.9)


def test_low_is_good_is_reversed_so_better_is_to_the_right():
    spine = spine_range(ONE_TO_TEN, england=6.0, polarity="low_is_good")

    assert (spine.worst, spine.q25, spine.median, spine.q75, spine.best) == (
        10.0,
        7.75,
        5.5,
        3.25,
        1.0,
    )
    assert spine.position(1.0) == 1.0  # the best value is at the right end
    assert spine.position(11.0) == 0.0
    assert spine.position(6.0) == 0.5
    assert spine.reversed


def test_no_values_no_range():
    assert spine_range([None], england=5.0, polarity="high_is_good") is None
