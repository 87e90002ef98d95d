"""The compare-areas funnel plot's geometry and words (issue 19): pure functions."""

from __future__ import annotations

import math

import pytest

from indicators.charts.funnel import (
    FunnelData,
    FunnelMethod,
    funnel_chart,
    funnel_sentences,
    funnel_summary,
    limit_lines,
)
from indicators.statistics.confidence import Z95, wilson_proportion
from indicators.statistics.distributions import gamma_p, gamma_q
from indicators.statistics.funnels import FunnelSignificance

# 2022/23 in tests/indicators/fingertips/data/fingertips_areas.csv; England
# 362,424 / 600,040 = 60.4%.
LUTON_WORLD = [
    FunnelData("Luton", 45.9868, 1398, 3040, is_place=True),
    FunnelData("Bedford", 60.5118, 1537, 2540),
    FunnelData("Central Bedfordshire", 67.9950, 2747, 4040),
    FunnelData("Milton Keynes", 62.9944, 2230, 3540),
    FunnelData("Reading", 57.9902, 1183, 2040),
]
ENGLAND = 362424 / 600040


def _percent(x: float) -> str:
    return f"{x:.1f}%"


def _chart(data=LUTON_WORLD, **kwargs):
    options = {
        "method": FunnelMethod.PROPORTION,
        "average": ENGLAND,
        "multiplier": 100,
        "format_value": _percent,
    }
    return funnel_chart(data, **(options | kwargs))


def test_each_area_against_englands_funnel():
    chart = _chart()
    where = {p.name: p.significance for p in chart.points}
    # z = (p - 0.604) / sqrt(0.604 x 0.396 / n): Luton -17, Central
    # Bedfordshire 9.6, Milton Keynes 3.2, Reading -2.2, Bedford 0.1.
    assert where == {
        "Luton": FunnelSignificance.LOW_998,
        "Central Bedfordshire": FunnelSignificance.HIGH_998,
        "Milton Keynes": FunnelSignificance.HIGH_998,
        "Reading": FunnelSignificance.LOW_95,
        "Bedford": FunnelSignificance.NOT_SIGNIFICANT,
    }
    assert funnel_sentences(chart) == [
        "Central Bedfordshire lies above the upper 99.8% limit.",
        "Milton Keynes lies above the upper 99.8% limit.",
        "Luton lies below the lower 99.8% limit.",
        "Reading lies below the lower 95% limit (inside the 99.8% limits).",
    ]
    assert funnel_summary("Luton", chart, period="2022/23") == (
        "In 2022/23, 5 areas are plotted around England 60.4%. Luton lies below "
        "the lower 99.8% limit. 2 areas lie above the upper 95% limit and 2 below "
        "the lower 95% limit."
    )


def test_the_place_is_a_labelled_diamond_drawn_last():
    chart = _chart()
    place = chart.points[-1]
    assert place.is_place and place.label == "Luton (this area)"
    assert place.marker.count("L") == 3  # a diamond, not the neighbours' circles
    assert all("A" in p.marker for p in chart.points[:-1])
    assert [p.is_place for p in chart.points].count(True) == 1


def test_axes_cover_the_points_and_the_benchmark():
    chart = _chart()
    assert chart.x_ticks[0].label == "0"
    assert chart.x_ticks[-1].label == "5,000"  # 4,040 x 1.05, widened
    assert chart.benchmark_label == "England 60.4%"
    low, high = float(chart.y_ticks[0].label), float(chart.y_ticks[-1].label)
    assert low <= 45.9868 and high >= 67.995
    top, bottom = float(chart.plot_top), float(chart.plot_bottom)
    for point in chart.points:
        assert top <= float(point.y) <= bottom
    assert top <= float(chart.benchmark_y) <= bottom
    for line in (chart.upper95, chart.lower95, chart.upper998, chart.lower998):
        assert line.startswith("M") and line.count("L") > 10


def test_proportion_limits_are_where_a_wilson_interval_reaches_the_average():
    lines = limit_lines(
        FunnelMethod.PROPORTION, average=0.6, multiplier=100, axis_maximum=5000
    )
    checked = 0
    for n, upper in lines["upper95"]:
        if 0 < upper < 100 and n >= 20:
            # the upper limit is the proportion whose 95% interval starts at 60%
            interval = wilson_proportion(upper / 100 * n, n, z=Z95)
            assert interval.lower == pytest.approx(0.6, abs=1e-6)
            checked += 1
    assert checked > 50
    for name in ("lower95", "lower998"):
        assert all(0 <= v < 60 for _, v in lines[name])
    # the funnel narrows towards the benchmark, the 99.8% limits outside the 95%
    assert lines["upper95"][-1][1] == pytest.approx(60, abs=2)
    assert all(
        b998 >= b95
        for (_, b95), (_, b998) in zip(lines["upper95"], lines["upper998"], strict=True)
    )


def test_poisson_limits_are_where_the_count_is_just_significant():
    average = 500 / 100_000  # 500 per 100,000
    lines = limit_lines(
        FunnelMethod.POISSON, average=average, multiplier=100_000, axis_maximum=40_000
    )
    for name, tail, probability in (
        ("upper95", 0.025, lambda mean, events: gamma_p(events, mean)),
        ("upper998", 0.001, lambda mean, events: gamma_p(events, mean)),
        ("lower95", 0.025, lambda mean, events: gamma_q(events + 1, mean)),
        ("lower998", 0.001, lambda mean, events: gamma_q(events + 1, mean)),
    ):
        assert len(lines[name]) > 20
        for denominator, rate in lines[name]:
            assert denominator <= 40_000 * 1.05
            events = rate / 100_000 * denominator
            assert events == pytest.approx(round(events), abs=1e-6)
            # P(X >= events) (upper) or P(X <= events) (lower) at the expected
            # count is the limit's tail probability
            mean = denominator * average
            assert probability(mean, round(events)) == pytest.approx(tail, rel=1e-4)


def test_a_crude_rate_funnel_names_the_outliers():
    data = [
        FunnelData("A", 500.0, 50, 10_000, is_place=True),
        FunnelData("B", 800.0, 160, 20_000),
        FunnelData("C", 300.0, 90, 30_000),
    ]
    chart = funnel_chart(
        data,
        method=FunnelMethod.POISSON,
        average=0.005,
        multiplier=100_000,
        format_value=lambda x: f"{x:.1f} per 100,000",
        benchmark_name="England",
    )
    assert funnel_sentences(chart) == [
        "B lies above the upper 99.8% limit.",
        "C lies below the lower 99.8% limit.",
    ]
    assert chart.benchmark_label == "England 500.0 per 100,000"


def test_all_inside_is_said_in_words():
    chart = _chart([LUTON_WORLD[1]], average=0.605)
    assert funnel_sentences(chart) == ["The one area lies inside the 95% limits."]


@pytest.mark.parametrize(
    "data, average",
    [
        ([], ENGLAND),
        ([FunnelData("A", 50.0, 1, 0)], ENGLAND),  # no denominator
        ([FunnelData("A", math.nan, 1, 2)], ENGLAND),
        (LUTON_WORLD, 0.0),  # no benchmark to draw limits around
        (LUTON_WORLD, 1.0),  # a proportion of 100% has no funnel
    ],
)
def test_nothing_to_draw(data, average):
    assert _chart(data, average=average) is None
