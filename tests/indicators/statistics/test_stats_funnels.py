"""Funnel-plot control limits checked against PHEindicatormethods and PHStatsMethods.

Reference data, from ukhsa-collaboration/PHEindicatormethods (R), the expected
values of its testthat suite (tests/testthat/testFunnels.R @ 63894a99103ffc9e
0a3e8a15644200a3abb95669, which tests calculate_funnel_limits,
assign_funnel_significance and calculate_funnel_points in R/Funnels.R):

* reference_data/phe_funnel_prop_outputs.csv = tests/testthat/
  testdata_funnel_prop_outputs.csv @ 63894a99103ffc9e0a3e8a15644200a3abb95669
  (copied unchanged);
* reference_data/phe_funnel_rate_dsr_inputs.csv = tests/testthat/
  testdata_funnel_rate_dsr_inputs.csv @ 5adcb8c43562e1a897d509350306a5fed2514480
  (copied unchanged);
* inline rows of tests/testthat/testdata_funnel_prop_inputs.csv
  @ 3352ce5d861197880cae0ccb329a0ce50424bfda, testdata_funnel_ratio_inputs.csv
  @ b79d64484b69e14cf3c70c2748c34e0ba68c53a2, testdata_funnel_ratio_outputs.csv
  @ 8ac28e54249d9b01d586b19d1d1b39f5af3d49ac, testdata_funnel_rate_input_funnels
  .csv @ 8ac28e54249d9b01d586b19d1d1b39f5af3d49ac and
  testdata_funnel_rate_outputs.csv @ 39d5df1f793223db24173db8971ba3c2f834b8d8.

The CSVs round to 6 decimals (proportions) or 10 significant figures, so the
tolerances follow the rounding. Whole tables on other inputs are compared
with PHStatsMethods 0.1.16 (a Python port of the same functions).
"""

import csv
import random
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PHStatsMethods import (
    assign_funnel_significance,
    calculate_funnel_limits,
    calculate_funnel_points,
)

from indicators.statistics.confidence import Z95, Z998
from indicators.statistics.funnels import (
    FunnelSignificance,
    funnel_axis,
    poisson_funnel,
    proportion_control_limit,
    proportion_funnel_limits,
    proportion_funnel_significance,
    proportion_point_significance,
    rate_funnel_limits,
    rate_funnel_points,
    rate_funnel_significance,
    ratio_funnel_limits,
    ratio_funnel_significance,
)

PROFILE = settings.get_profile("indicator-statistics")
DATA = Path(__file__).parent / "reference_data"


def read_csv(name: str) -> list[dict[str, str]]:
    with open(DATA / name, newline="") as handle:
        return list(csv.DictReader(handle))


def close(actual: float, expected: float, *, rel: float = 2e-9, abs_: float = 1e-9):
    assert actual == pytest.approx(expected, rel=rel, abs=abs_)


# --- Proportions -------------------------------------------------------------------

#: Baseline of testdata_funnel_prop_outputs.csv (80.642448%), as a proportion.
PROP_AVERAGE = 0.80642448


def test_proportion_limits_match_r_table():
    rows = read_csv("phe_funnel_prop_outputs.csv")
    assert len(rows) == 100
    # The inputs' denominators run from 16,386 to 102,950: axis 0 to 110,000.
    assert funnel_axis(0, 110_000, ratio=False) == [
        float(r["Population"]) for r in rows
    ]
    columns = {
        "Lower2s0025limit": (Z95, "low"),
        "Upper2s0025limit": (Z95, "high"),
        "Lower3s0001limit": (Z998, "low"),
        "Upper3s0001limit": (Z998, "high"),
    }
    for row in rows:
        population = float(row["Population"])
        for column, (z, side) in columns.items():
            limit = proportion_control_limit(
                population, PROP_AVERAGE, z=z, side=side, multiplier=100
            )
            limit = max(0.0, limit) if side == "low" else min(100.0, limit)
            # 6 decimals in the CSV, and the baseline itself rounded to 8 figures
            close(limit, float(row[column]), rel=0, abs_=2e-6)


# (numerator, denominator, R significance) from testdata_funnel_prop_inputs.csv
PROP_POINTS = [
    (35078.488, 41980, "High (0.001)"),
    (24803.6256, 31824, "Low (0.001)"),
    (50050.7443, 61921, "Not significant"),
    (24648.7596, 30521, "Not significant"),
    (26789.238, 33012, "High (0.025)"),
    (36850.0492, 45449, "High (0.025)"),
    (34502.0685, 42485, "High (0.025)"),
    (23910.2469, 29457, "High (0.025)"),
    (30277.5312, 37828, "Low (0.025)"),
    (24866.916, 30929, "Not significant"),
    (21139.2936, 25992, "High (0.025)"),
    (20759.65, 25750, "Not significant"),
    (18365.4621, 29277, "Low (0.001)"),
    (14493.3552, 17964, "Not significant"),
    (13240.9172, 16477, "Not significant"),
    (38045.3716, 46958, "High (0.025)"),
    (16924.1296, 20776, "High (0.025)"),
    (18504.9982, 22739, "High (0.025)"),
    (29709.0543, 36583, "High (0.025)"),
    (28537.4507, 35201, "High (0.025)"),
    (26882.4969, 32573, "High (0.001)"),
    (81412.86, 102950, "Low (0.001)"),
]


def test_proportion_point_significance_matches_r():
    for numerator, denominator, expected in PROP_POINTS:
        label = proportion_point_significance(
            numerator, denominator, average=PROP_AVERAGE
        )
        assert label == FunnelSignificance(expected), (numerator, denominator)


def _random_proportions(seed: int, size: int = 40) -> tuple[list[int], list[int]]:
    rng = random.Random(seed)
    denominators = [rng.randint(200, 60_000) for _ in range(size)]
    share = rng.uniform(0.05, 0.9)
    numerators = [
        min(n, max(0, round(n * rng.gauss(share, 0.03)))) for n in denominators
    ]
    return numerators, denominators


@pytest.mark.parametrize("seed", [1, 2])
def test_proportion_funnel_matches_phstatsmethods(seed):
    numerators, denominators = _random_proportions(seed)
    if seed == 2:  # narrow range: the axis starts at a rounded minimum
        denominators = [20_000 + n % 15_000 for n in denominators]
        numerators = [min(x, n) for x, n in zip(numerators, denominators, strict=True)]
    df = pd.DataFrame({"x": numerators, "n": denominators})
    reference = calculate_funnel_limits(
        df, "x", "proportion", 100, denom_col="n", metadata=False
    )
    ours = proportion_funnel_limits(numerators, denominators, multiplier=100)
    assert [r.x for r in ours.rows] == list(reference["Population"])
    for row, (_, ref) in zip(ours.rows, reference.iterrows(), strict=True):
        close(row.lower95, ref["lower_2s_limit"], rel=1e-12, abs_=1e-12)
        close(row.upper95, ref["upper_2s_limit"], rel=1e-12, abs_=1e-12)
        close(row.lower998, ref["lower_3s_limit"], rel=1e-12, abs_=1e-12)
        close(row.upper998, ref["upper_3s_limit"], rel=1e-12, abs_=1e-12)
    close(ours.baseline, reference["baseline"].iloc[0], rel=1e-12)
    assert ours.statistic == "proportion" and ours.method == "Wilson"

    significance = assign_funnel_significance(df, "x", "proportion", denom_col="n")
    assert proportion_funnel_significance(numerators, denominators) == list(
        significance["significance"]
    )


# --- Ratios ------------------------------------------------------------------------

# testdata_funnel_ratio_outputs.csv: Observed_events and, for each limit, the
# expected events where it is met (exp), the ratio - 1 (count), x 100 (isr).
RATIO_OBSERVED_AXIS = list(range(1, 34)) + [
    35, 37, 39, 41, 43, 45, 47, 49, 51, 53, 55, 58, 61, 64, 67, 70, 73, 76, 80,
    84, 88, 92, 96, 100, 105, 110, 115, 120, 126, 132, 138, 144, 151, 158, 165,
    173, 181, 189, 198, 207, 217, 227, 238, 249, 261, 273, 286, 299, 313, 328,
    343, 359, 376, 394, 413, 432, 452, 473, 495, 518, 543, 569, 596, 624, 653,
    684, 716,
]  # fmt: skip
RATIO_ROWS = {
    # x: (lower95 exp, count, isr, upper95 exp, count, isr,
    #     lower998 exp, count, isr, upper998 exp, count, isr)
    1: (5.571644585, -0.820519779, 17.94802207, 0.025317898, 38.49774946,
        3949.774946, 9.233410143, -0.891697652, 10.83023482, 0.001000547,
        998.4532721, 99945.32721),
    2: (7.224687515, -0.723171418, 27.6828582, 0.242209467, 7.257315569,
        825.7315569, 11.22886836, -0.821887662, 17.81123382, 0.04540199,
        43.05093268, 4405.093268),
    10: (18.39035799, -0.456236795, 54.3763205, 4.795387629, 1.085337156,
         208.5337156, 24.13397235, -0.585646331, 41.43536693, 2.960519925,
         2.37778507, 337.778507),
    100: (121.6268111, -0.17781286, 82.21871402, 81.36400699, 0.229044681,
          122.9044681, 134.9243187, -0.258843765, 74.11562345, 71.92139974,
          0.390406755, 139.0406755),
    716: (770.4222128, -0.070639465, 92.93605352, 664.5083011, 0.077488421,
          107.7488421, 802.60414, -0.107903929, 89.20960712, 636.1521174,
          0.125516964, 112.5516964),
}  # fmt: skip
#: min and max expected events of testdata_funnel_ratio_inputs.csv
RATIO_EXPECTED_RANGE = [4.293052052, 706.7669173]


@pytest.mark.parametrize("ratio_type", ["count", "isr"])
def test_ratio_limits_match_r_table(ratio_type):
    limits = ratio_funnel_limits([6, 893], RATIO_EXPECTED_RANGE, ratio_type=ratio_type)
    assert [row.x for row in limits.rows] == RATIO_OBSERVED_AXIS
    assert limits.statistic == f"ratio ({ratio_type})"
    assert limits.method == "Poisson" and limits.baseline is None
    by_x = {row.x: row for row in limits.rows}
    offset = 1 if ratio_type == "count" else 2
    for x, expected in RATIO_ROWS.items():
        row = by_x[x]
        names = ("lower95", "upper95", "lower998", "upper998")
        for i, name in enumerate(names):
            close(getattr(row, f"{name}_denominator"), expected[3 * i])
            close(getattr(row, name), expected[3 * i + offset])


# (observed, expected, R significance) from testdata_funnel_ratio_inputs.csv
RATIO_POINTS = [
    (8, 6.239860227, "Not significant"),
    (151, 106.4429719, "High (0.001)"),
    (159, 232.9329036, "Low (0.001)"),
    (150, 119.5695496, "High (0.025)"),
    (0, 240.6273499, "Low (0.001)"),
    (101, 126.2973615, "Low (0.025)"),
    (16, 36.38844667, "Low (0.001)"),
    (6, 4.293052052, "Not significant"),
    (128, 97.97168006, "High (0.025)"),
    (40, 55.14959327, "Low (0.025)"),
    (27, 26.73002673, "Not significant"),
    (25, 55.01760563, "Low (0.001)"),
    (48, 64, "Low (0.025)"),
    (74, 52.09066592, "High (0.025)"),
    (87, 45.27241505, "High (0.001)"),
    (39, 50.23183926, "Not significant"),
    (38, 35.36199516, "Not significant"),
    (29, 31.19956966, "Not significant"),
    (31, 57.81424841, "Low (0.001)"),
    (41, 58.50456621, "Low (0.025)"),
    (28, 37.38816931, "Not significant"),
    (893, 706.7669173, "High (0.001)"),
]


def test_ratio_significance_matches_r():
    observed = [o for o, _, _ in RATIO_POINTS]
    expected = [e for _, e, _ in RATIO_POINTS]
    labels = ratio_funnel_significance(observed, expected)
    assert labels == [FunnelSignificance(s) for _, _, s in RATIO_POINTS]


def test_ratio_funnel_matches_phstatsmethods():
    rng = random.Random(7)
    expected = [rng.uniform(2, 60) for _ in range(30)]
    observed = [max(0, round(e * rng.uniform(0.5, 1.6))) for e in expected]
    df = pd.DataFrame({"o": observed, "e": expected})
    reference = calculate_funnel_limits(
        df, "o", "ratio", 100, denom_col="e", ratio_type="isr", metadata=False
    )
    ours = ratio_funnel_limits(observed, expected, ratio_type="isr")
    assert [r.x for r in ours.rows] == list(reference["Observed_events"])
    for row, (_, ref) in zip(ours.rows, reference.iterrows(), strict=True):
        for name, column in (("lower95", "2s"), ("upper95", "2s")):
            side = name[:5]
            close(
                getattr(row, f"{name}_denominator"), ref[f"{side}_{column}_exp_events"]
            )
        close(row.lower998, ref["lower_3s_limit"])
        close(row.upper998, ref["upper_3s_limit"])
    significance = assign_funnel_significance(df, "o", "ratio", denom_col="e")
    assert ratio_funnel_significance(observed, expected) == list(
        significance["significance"]
    )


# --- Rates -------------------------------------------------------------------------

# testdata_funnel_rate_input_funnels.csv (ev, rate, pop)
RATE_EVENTS = [
    414, 462, 178, 525, 194, 937, 817, 117, 298, 228, 243, 13, 373, 664, 601, 602,
    767, 708, 90, 952, 347, 648, 988, 354, 839, 25, 518, 425, 648, 765, 210, 931,
    589, 592, 554, 870, 372, 843, 142, 543, 489, 620, 774, 904, 936, 841, 22, 922,
    955, 308,
]  # fmt: skip
RATE_RATES = [
    184, 102, 83, 118, 121, 125, 112, 190, 146, 140, 87, 70, 90, 139, 109, 65, 165,
    143, 55, 135, 135, 88, 167, 99, 83, 53, 62, 118, 176, 101, 71, 138, 74, 84, 161,
    79, 189, 170, 159, 113, 191, 116, 200, 171, 128, 134, 185, 100, 123, 155,
]  # fmt: skip
RATE_POPS = [
    5705, 3377, 5043, 1685, 7077, 6026, 7386, 8280, 5714, 1150, 7809, 9173, 7910,
    3207, 2028, 9517, 8447, 8734, 9010, 2955, 9171, 6357, 6883, 5092, 1984, 7182,
    1985, 5232, 2583, 5684, 8863, 5775, 7643, 1984, 9535, 8477, 3506, 1194, 4123,
    7677, 5649, 3131, 4463, 4948, 8756, 3757, 4832, 1711, 6369, 4500,
]  # fmt: skip
# testdata_funnel_rate_outputs.csv: Events column, and some full rows:
# lower95 population per year, limit, upper95 ..., lower998 ..., upper998 ...
RATE_EVENTS_AXIS = list(range(1, 29)) + [
    30, 32, 34, 36, 38, 40, 42, 44, 46, 49, 52, 55, 58, 61, 64, 68, 72, 76, 80, 84,
    89, 94, 99, 104, 110, 116, 122, 129, 136, 143, 151, 159, 168, 177, 187, 197,
    208, 219, 231, 244, 257, 271, 286, 302, 319, 337, 356, 376, 397, 419, 442, 466,
    492, 519, 548, 578, 610, 643, 678, 715, 754, 796, 840, 886, 935, 986, 1040,
    1097, 1158, 1222, 1289, 1360,
]  # fmt: skip
RATE_ROWS = {
    1: (1598.675694, 20.85059119, 7.264481402, 4588.535848, 2649.348525,
        12.58170943, 0.287087625, 116108.569),
    2: (2072.984403, 32.15975314, 69.49732367, 959.2695538, 3221.906682,
        20.69168143, 13.02722321, 5117.48863),
    10: (5276.757672, 63.17010446, 1375.943768, 242.2579623, 6924.776769,
         48.13632908, 849.4639547, 392.4043292),
    104: (36157.10817, 95.87787415, 24382.08903, 142.1808715, 40036.31685,
          86.58805154, 21608.75072, 160.4288333),
    1360: (411529.9259, 110.158048, 369759.5622, 122.6021934, 424043.2424,
           106.9073359, 358342.3275, 126.5084525),
}  # fmt: skip


@pytest.fixture(scope="module")
def dsr_funnel():
    return rate_funnel_limits(
        RATE_EVENTS, RATE_RATES, rate_type="dsr", multiplier=1e5, years_of_data=3
    )


def test_rate_limits_match_r_table(dsr_funnel):
    assert [row.x for row in dsr_funnel.rows] == RATE_EVENTS_AXIS
    assert dsr_funnel.statistic == "rate (dsr per 100,000)"
    close(dsr_funnel.baseline, 116.1720835)
    by_x = {row.x: row for row in dsr_funnel.rows}
    for x, expected in RATE_ROWS.items():
        row = by_x[x]
        for i, name in enumerate(("lower95", "upper95", "lower998", "upper998")):
            close(getattr(row, f"{name}_denominator"), expected[2 * i])
            close(getattr(row, name), expected[2 * i + 1])


RATE_SIGNIFICANCE_CASES = [
    # (rate column, rate type, multiplier, expected column, drop zero counts)
    ("rate_dsr", "dsr", 1e5, "dsr_per_100000_with_0", False),
    ("rate_dsr", "dsr", 1e5, "dsr_per_100000_without_0", True),
    ("rate_dsr", "dsr", 100, "dsr_per_100_without_0", True),
    ("rate_crude_per_100000", "crude", 1e5, "crude_per_100000_with_0", False),
    ("rate_crude_per_100", "crude", 100, "crude_per_100_with_0", False),
    ("rate_crude_per_100000", "crude", 1e5, "crude_per_100000_without_0", True),
    ("rate_crude_per_100", "crude", 100, "crude_per_100_without_0", True),
]


@pytest.mark.parametrize(
    ("rate_column", "rate_type", "multiplier", "expected", "drop_zero"),
    RATE_SIGNIFICANCE_CASES,
)
def test_rate_significance_matches_r(
    rate_column, rate_type, multiplier, expected, drop_zero
):
    rows = read_csv("phe_funnel_rate_dsr_inputs.csv")
    if drop_zero:
        rows = [r for r in rows if r["count"] != "0"]
    labels = rate_funnel_significance(
        [float(r["count"]) for r in rows],
        [None if r[rate_column] == "NA" else float(r[rate_column]) for r in rows],
        rate_type=rate_type,
        multiplier=multiplier,
        denominators=[float(r["pop"]) for r in rows],
    )
    assert labels == [FunnelSignificance(r[expected]) for r in rows]


def test_rate_points_match_r():
    # DSR with the largest count replaced by 5: not plotted.
    events = [5 if e == max(RATE_EVENTS) else e for e in RATE_EVENTS]
    points = rate_funnel_points(
        events, RATE_RATES, rate_type="dsr", multiplier=1e5, years_of_data=3
    )
    assert points[22].rate is None and points[22].denominator is None
    assert points[0].rate == 184
    close(points[0].denominator, 75000)
    close(points[1].denominator, 150980.3922)
    # Crude rates, no denominators: every point is plotted.
    crude = rate_funnel_points(
        RATE_EVENTS, RATE_RATES, rate_type="crude", multiplier=1e5, years_of_data=3
    )
    close(crude[22].denominator, 197205.5888)
    # Crude with the largest count replaced by 0 and denominators over 5 years.
    zeroed = [0 if e == max(RATE_EVENTS) else e for e in RATE_EVENTS]
    with_pop = rate_funnel_points(
        zeroed,
        RATE_RATES,
        rate_type="crude",
        multiplier=1e5,
        years_of_data=5,
        denominators=RATE_POPS,
    )
    close(with_pop[22].denominator, 1376.6)
    close(with_pop[0].denominator, 45000)
    close(with_pop[2].denominator, 42891.56627)


def test_crude_rate_funnel_matches_phstatsmethods():
    rng = random.Random(11)
    pops = [rng.randint(2_000, 9_000) for _ in range(25)]
    events = [rng.randint(0, 60) for _ in pops]
    events[0] = 0
    rates = [e / p * 1e5 for e, p in zip(events, pops, strict=True)]
    df = pd.DataFrame({"ev": events, "rate": rates, "pop": pops})
    reference = calculate_funnel_limits(
        df,
        "ev",
        "rate",
        1e5,
        denom_col="pop",
        rate="rate",
        rate_type="crude",
        years_of_data=2,
        metadata=False,
    )
    ours = rate_funnel_limits(
        events,
        rates,
        rate_type="crude",
        multiplier=1e5,
        years_of_data=2,
        denominators=pops,
    )
    assert [r.x for r in ours.rows] == list(reference["Events"])
    for row, (_, ref) in zip(ours.rows, reference.iterrows(), strict=True):
        close(row.lower95, ref["lower_2s_limit"])
        close(row.upper998, ref["upper_3s_limit"])
        close(row.upper95_denominator, ref["upper_2s_population_1_year"])
    close(ours.baseline, reference["baseline"].iloc[0], rel=1e-12)

    significance = assign_funnel_significance(
        df.copy(),
        "ev",
        "rate",
        denom_col="pop",
        rate="rate",
        rate_type="crude",
        multiplier=1e5,
    )
    labels = rate_funnel_significance(
        events, rates, rate_type="crude", multiplier=1e5, denominators=pops
    )
    assert labels == list(significance["significance"])

    points = calculate_funnel_points(
        df.copy(), "ev", "rate", "crude", denom_col="pop", years_of_data=2
    )
    ours_points = rate_funnel_points(
        events,
        rates,
        rate_type="crude",
        multiplier=1e5,
        years_of_data=2,
        denominators=pops,
    )
    derived = points["denom_derived"]
    for point, denominator in zip(ours_points, derived, strict=True):
        close(point.denominator, denominator, rel=1e-12)


# --- Properties and invalid input ---------------------------------------------------


@settings(PROFILE)
@given(
    observed=st.integers(0, 5_000),
    tail=st.sampled_from([0.025, 0.001]),
)
def test_poisson_funnel_solves_the_poisson_tail(observed, tail):
    from scipy import stats

    # "low": P(X >= observed) = tail; "high": P(X <= observed) = tail, to the
    # bisection's precision (v within 6e-8).
    upper_mean = poisson_funnel(observed, tail, "high")
    assert stats.poisson.cdf(observed, upper_mean) == pytest.approx(tail, rel=1e-3)
    if observed > 0:
        lower_mean = poisson_funnel(observed, tail, "low")
        assert stats.poisson.sf(observed - 1, lower_mean) == pytest.approx(
            tail, rel=1e-3
        )
        assert lower_mean < observed < upper_mean


@settings(PROFILE)
@given(
    population=st.integers(20, 1_000_000),
    average=st.floats(0.02, 0.98),
)
def test_proportion_limits_nest_around_the_average(population, average):
    def limit(z, side):
        return proportion_control_limit(
            population, average, z=z, side=side, multiplier=1
        )

    assert limit(Z998, "low") < limit(Z95, "low") < average
    assert average < limit(Z95, "high") < limit(Z998, "high")


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: proportion_funnel_limits([5], [4]), "exceed"),
        (lambda: proportion_funnel_limits([], []), "at least one"),
        (lambda: ratio_funnel_limits([-1], [3], ratio_type="isr"), "zero or more"),
        (lambda: ratio_funnel_limits([1], [0], ratio_type="isr"), "greater than"),
        (lambda: ratio_funnel_limits([1], [2], ratio_type="smr"), "smr"),
        (
            lambda: rate_funnel_limits(
                [0, 3], [0, 10], rate_type="crude", multiplier=1e5, years_of_data=1
            ),
            "denominators must be given",
        ),
        (
            lambda: rate_funnel_limits(
                [0], [None], rate_type="dsr", multiplier=1e5, years_of_data=1
            ),
            "at least one point with events",
        ),
        (lambda: poisson_funnel(3, 0.025, "middle"), "side"),
    ],
)
def test_invalid_inputs_raise(call, message):
    with pytest.raises(ValueError, match=message):
        call()
