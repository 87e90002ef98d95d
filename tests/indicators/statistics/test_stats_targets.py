"""Target RAG ratings, checked by hand."""

import pytest

from indicators.statistics.targets import target_rag
from indicators.statistics.types import Polarity, Rag


@pytest.mark.parametrize(
    ("value", "rag"),
    [
        (85.0, Rag.GREEN),  # beaten
        (80.0, Rag.GREEN),  # met exactly
        (77.0, Rag.AMBER),  # 3 short, tolerance 5% of 80 = 4
        (76.0, Rag.AMBER),  # exactly on the tolerance
        (75.9, Rag.RED),  # 4.1 short
    ],
)
def test_high_is_good_percent_tolerance(value, rag):
    assert (
        target_rag(
            value=value,
            target=80.0,
            polarity=Polarity.HIGH_IS_GOOD,
            amber_tolerance=5,
            tolerance_is_percent=True,
        )
        is rag
    )


@pytest.mark.parametrize(
    ("value", "rag"),
    [
        (9.0, Rag.GREEN),
        (10.0, Rag.GREEN),
        (10.5, Rag.AMBER),  # 0.5 above, absolute tolerance 1
        (11.0, Rag.AMBER),
        (11.5, Rag.RED),
    ],
)
def test_low_is_good_absolute_tolerance(value, rag):
    assert (
        target_rag(
            value=value,
            target=10.0,
            polarity="low_is_good",
            amber_tolerance=1.0,
            tolerance_is_percent=False,
        )
        is rag
    )


def test_percent_tolerance_boundary_ignores_float_noise():
    # 10% of 0.3 is 0.03; 0.3 - 0.27 is 0.030000000000000027 in binary.
    assert (
        target_rag(
            value=0.27,
            target=0.3,
            polarity=Polarity.HIGH_IS_GOOD,
            amber_tolerance=10,
            tolerance_is_percent=True,
        )
        is Rag.AMBER
    )


def test_zero_tolerance_means_no_amber():
    kwargs = {"target": 50.0, "polarity": "high_is_good", "amber_tolerance": 0}
    assert target_rag(value=49.99, tolerance_is_percent=False, **kwargs) is Rag.RED
    assert target_rag(value=50.0, tolerance_is_percent=False, **kwargs) is Rag.GREEN


def test_no_judgement_raises_clear_error():
    with pytest.raises(ValueError, match="polarity is 'no_judgement'"):
        target_rag(
            value=1.0,
            target=2.0,
            polarity=Polarity.NO_JUDGEMENT,
            amber_tolerance=1,
            tolerance_is_percent=False,
        )


def test_negative_tolerance_raises():
    with pytest.raises(ValueError, match="amber_tolerance"):
        target_rag(
            value=1.0,
            target=2.0,
            polarity=Polarity.HIGH_IS_GOOD,
            amber_tolerance=-1,
            tolerance_is_percent=False,
        )
