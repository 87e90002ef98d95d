import pytest
from django.core.cache import cache

from indicators import inequalities
from indicators.inequalities import (
    SII_REPETITIONS,
    SII_SEED,
    indicator_inequalities,
    is_deprivation_quantile,
    quantile_rank,
    sii_value_type,
)
from indicators.models import IndicatorValue
from indicators.statistics.inequality import (
    Group,
    SiiValueType,
    slope_index_of_inequality_simulated,
)
from tests.indicators.factories import (
    AreaFactory,
    IndicatorFactory,
    IndicatorValueFactory,
    PeriodFactory,
)

DECILES = "County & UA deprivation deciles in England (IMD2019, 4/21 geog.)"


@pytest.mark.parametrize(
    ("category", "rank"),
    [
        ("Most deprived decile (IMD2019)", 1),
        ("Second most deprived decile (IMD2019)", 2),
        ("Fifth more deprived decile (IMD2019)", 5),
        ("Fifth less deprived decile (IMD2019)", 6),
        ("Third less deprived decile (IMD2019)", 8),
        ("Deprivation unknown (IMD2019)", None),
        ("Decile 12", None),
        ("Second least deprived decile (IMD2019)", 9),
        ("Least deprived decile (IMD2019)", 10),
        ("Decile 3", 3),
    ],
)
def test_quantile_rank_reads_fingertips_wording(category, rank):
    assert quantile_rank(category, DECILES) == rank


def test_quintiles_count_from_five():
    assert quantile_rank("Least deprived quintile", "Deprivation quintiles") == 5
    assert is_deprivation_quantile("Deprivation quintiles")
    assert not is_deprivation_quantile("Ward")


def _deciles(indicator, area, period, values):
    labels = (
        ["Most deprived decile"]
        + [f"{w} most deprived decile" for w in ("Second", "Third", "Fourth", "Fifth")]
        + [f"{w} least deprived decile" for w in ("Fifth", "Fourth", "Third", "Second")]
        + ["Least deprived decile"]
    )
    for label, value in zip(labels, values, strict=True):
        IndicatorValueFactory(
            indicator=indicator,
            area=area,
            period=period,
            category_type=DECILES,
            category=label,
            value=value,
            lower95=None,
            upper95=None,
            count=None,
            denominator=1000,
        )


@pytest.mark.django_db
def test_deciles_give_gap_sii_and_a_narrowing_trend(django_assert_num_queries):
    indicator = IndicatorFactory(polarity="low_is_good", display_decimals=1)
    area = AreaFactory()
    # The gap shrinks each year: 30, 25, 20 percentage points.
    for year, top in ((2020, 40.0), (2021, 35.0), (2022, 30.0)):
        period = PeriodFactory(label=str(year))
        values = [top - i * (top - 10.0) / 9 for i in range(10)]
        _deciles(indicator, area, period, values)
    IndicatorValueFactory(indicator=indicator, area=area, period=period)  # whole pop

    with django_assert_num_queries(1):
        (breakdown,) = indicator_inequalities(indicator=indicator, area_id=area.pk)

    assert breakdown.category_type == DECILES
    assert [p.period_label for p in breakdown.periods] == ["2020", "2021", "2022"]
    latest = breakdown.latest
    assert latest.gap.best.label == "Least deprived decile"
    assert latest.gap.worst.label == "Most deprived decile"
    assert latest.gap.absolute_gap == pytest.approx(20.0)
    assert latest.gap.relative_gap == pytest.approx(3.0)
    # Equal populations, straight line from 30 to 10 across deciles: the fitted
    # line runs from 31.11 at rank 0 to 8.89 at rank 1, so SII = -22.22.
    assert latest.sii.sii == pytest.approx(-200 / 9)
    assert breakdown.gap_trend == "narrowing"


@pytest.mark.django_db
def test_wards_give_a_gap_but_no_sii_and_no_judgement_gives_no_gap():
    area = AreaFactory()
    period = PeriodFactory(label="2023")
    judged = IndicatorFactory(polarity="high_is_good")
    unjudged = IndicatorFactory(polarity="no_judgement")
    for indicator in (judged, unjudged):
        for ward, value in (("Northwell", 20.0), ("Bramingham", 4.0), ("Saints", 12.0)):
            IndicatorValueFactory(
                indicator=indicator,
                area=area,
                period=period,
                category_type="Ward",
                category=ward,
                value=value,
                lower95=None,
                upper95=None,
            )
    (wards,) = indicator_inequalities(indicator=judged, area_id=area.pk)
    assert wards.latest.gap.best.label == "Northwell"
    assert wards.latest.gap.absolute_gap == pytest.approx(16.0)
    assert wards.latest.sii is None
    assert wards.gap_trend == "no clear change"
    (unjudged_wards,) = indicator_inequalities(indicator=unjudged, area_id=area.pk)
    assert unjudged_wards.latest.gap is None


# --- the SII's simulated limits and the RII (ADR 47) ---------------------------

DECILE_LABELS = (
    ["Most deprived decile (IMD2019)"]
    + [
        f"{w} more deprived decile (IMD2019)"
        for w in ("Second", "Third", "Fourth", "Fifth")
    ]
    + [
        f"{w} less deprived decile (IMD2019)"
        for w in ("Fifth", "Fourth", "Third", "Second")
    ]
    + ["Least deprived decile (IMD2019)"]
)


def _deciles_with_limits(indicator, area, period, values, *, half_width=2.0, **over):
    """Ten deciles, most deprived first, each with a 95% interval of
    value ± ``half_width``; ``over`` maps a label to fields to change."""
    for label, value in zip(DECILE_LABELS, values, strict=True):
        fields = {
            "value": value,
            "lower95": value - half_width,
            "upper95": value + half_width,
            "denominator": 1000,
            **over.get(label, {}),
        }
        IndicatorValueFactory(
            indicator=indicator,
            area=area,
            period=period,
            category_type=DECILES,
            category=label,
            count=None,
            **fields,
        )


FALLING = [30.0 - i * 20.0 / 9 for i in range(10)]  # 30% down to 10%


@pytest.mark.django_db
def test_decile_sii_has_simulated_limits_on_the_logit_scale(
    django_assert_num_queries,
):
    indicator = IndicatorFactory(value_type="proportion", multiplier=100)
    area = AreaFactory()
    _deciles_with_limits(indicator, area, PeriodFactory(label="2022"), FALLING)

    with django_assert_num_queries(1):
        (breakdown,) = indicator_inequalities(indicator=indicator, area_id=area.pk)

    latest = breakdown.latest
    simulated = latest.sii_limits
    assert simulated.value_type == SiiValueType.PROPORTION
    assert simulated.transform is True
    assert simulated.repetitions == SII_REPETITIONS
    assert simulated.seed == SII_SEED
    assert simulated.sii == pytest.approx(-200 / 9)
    assert latest.sii.sii == pytest.approx(-200 / 9)
    # Exactly phe_sii's simulation on the 0-1 scale with the multiplier 100.
    groups = [
        Group(
            label=label,
            value=v / 100,
            population=1000,
            rank=rank,
            lower95=(v - 2) / 100,
            upper95=(v + 2) / 100,
        )
        for rank, (label, v) in enumerate(
            zip(DECILE_LABELS, FALLING, strict=True), start=1
        )
    ]
    expected = slope_index_of_inequality_simulated(
        groups,
        value_type="proportion",
        transform=True,
        multiplier=100,
        repetitions=SII_REPETITIONS,
        seed=SII_SEED,
    )
    for confidence in (0.95, 0.998):
        got, want = simulated.at(confidence), expected.at(confidence)
        assert got.sii_lower == pytest.approx(want.sii_lower, rel=1e-9)
        assert got.sii_upper == pytest.approx(want.sii_upper, rel=1e-9)
        assert got.rii_lower == pytest.approx(want.rii_lower, rel=1e-9)
    wide, narrow = simulated.at(0.998), simulated.at(0.95)
    assert wide.sii_lower < narrow.sii_lower < -200 / 9 < narrow.sii_upper
    assert narrow.sii_upper < wide.sii_upper < 0
    assert latest.sii_significant is True
    assert latest.sii_note == ""


@pytest.mark.parametrize(
    ("value_type", "multiplier", "expected"),
    [
        ("proportion", 100, (SiiValueType.PROPORTION, True, 100)),
        ("proportion", 1, (SiiValueType.PROPORTION, True, 1)),
        ("dsr", 100000, (SiiValueType.RATE, True, 1)),
        ("crude_rate", 1000, (SiiValueType.RATE, True, 1)),
        ("life_expectancy", 1, (SiiValueType.NORMAL, False, 1)),
        ("mean", 1, (SiiValueType.NORMAL, False, 1)),
        ("ratio", 1, (SiiValueType.NORMAL, False, 1)),
    ],
)
def test_sii_transform_suits_the_value_type(value_type, multiplier, expected):
    indicator = IndicatorFactory.build(value_type=value_type, multiplier=multiplier)
    assert sii_value_type(indicator) == expected


@pytest.mark.django_db
def test_rates_are_simulated_on_the_log_scale_and_are_deterministic():
    indicator = IndicatorFactory(value_type="dsr", multiplier=100000, unit="")
    area = AreaFactory()
    values = [500.0 - 30 * i for i in range(10)]
    _deciles_with_limits(
        indicator, area, PeriodFactory(label="2022"), values, half_width=40.0
    )
    first = indicator_inequalities(indicator=indicator, area_id=area.pk)
    cache.clear()  # worked out again, not read back
    second = indicator_inequalities(indicator=indicator, area_id=area.pk)
    simulated = first[0].latest.sii_limits
    assert simulated.value_type == SiiValueType.RATE and simulated.transform
    assert simulated == second[0].latest.sii_limits
    assert simulated.sii == pytest.approx(first[0].latest.sii.sii)


@pytest.mark.django_db
def test_simulation_is_cached_by_its_input(monkeypatch):
    indicator = IndicatorFactory(value_type="mean", multiplier=1, unit="")
    area = AreaFactory()
    _deciles_with_limits(indicator, area, PeriodFactory(label="2022"), FALLING)
    cache.clear()
    calls = []
    real = inequalities.slope_index_of_inequality_simulated

    def counted(*args, **kwargs):
        calls.append(kwargs)
        return real(*args, **kwargs)

    monkeypatch.setattr(inequalities, "slope_index_of_inequality_simulated", counted)
    first = indicator_inequalities(indicator=indicator, area_id=area.pk)
    again = indicator_inequalities(indicator=indicator, area_id=area.pk)
    assert len(calls) == 1
    assert calls[0]["value_type"] == SiiValueType.NORMAL
    assert calls[0]["transform"] is False
    assert first[0].latest.sii_limits == again[0].latest.sii_limits
    # A changed value is a new input: worked out afresh.
    IndicatorValue.objects.filter(category=DECILE_LABELS[0]).update(value=31.0)
    indicator_inequalities(indicator=indicator, area_id=area.pk)
    assert len(calls) == 2


@pytest.mark.django_db
def test_limits_only_for_the_latest_periods_asked_for():
    indicator = IndicatorFactory(value_type="mean", multiplier=1, unit="")
    area = AreaFactory()
    for year in ("2020", "2021", "2022"):
        _deciles_with_limits(indicator, area, PeriodFactory(label=year), FALLING)
    (every,) = indicator_inequalities(indicator=indicator, area_id=area.pk)
    assert all(p.sii_limits is not None for p in every.periods)
    (page,) = indicator_inequalities(
        indicator=indicator, area_id=area.pk, sii_limits_periods=1
    )
    assert [p.sii_limits is not None for p in page.periods] == [False, False, True]
    assert all(p.sii is not None for p in page.periods)


@pytest.mark.django_db
def test_missing_limits_are_named_and_no_limits_are_given():
    indicator = IndicatorFactory(value_type="proportion", multiplier=100)
    area = AreaFactory()
    no_interval = {"lower95": None, "upper95": None}
    _deciles_with_limits(
        indicator,
        area,
        PeriodFactory(label="2022"),
        FALLING,
        **{DECILE_LABELS[0]: no_interval, DECILE_LABELS[3]: no_interval},
    )
    (breakdown,) = indicator_inequalities(indicator=indicator, area_id=area.pk)
    latest = breakdown.latest
    assert latest.sii is not None
    assert latest.sii_limits is None
    assert latest.sii_significant is None
    assert latest.sii_note == (
        "No limits are shown for the SII: Most deprived decile (IMD2019) and "
        "Fourth more deprived decile (IMD2019) have no 95% confidence interval, "
        "and the simulation draws each decile's value from its interval."
    )


@pytest.mark.django_db
def test_a_decile_without_a_value_or_population_gives_no_sii_and_says_why():
    indicator = IndicatorFactory(value_type="proportion", multiplier=100)
    area = AreaFactory()
    _deciles_with_limits(
        indicator,
        area,
        PeriodFactory(label="2021"),
        FALLING,
        **{DECILE_LABELS[2]: {"value": None}},
    )
    _deciles_with_limits(
        indicator,
        area,
        PeriodFactory(label="2022"),
        FALLING,
        **{DECILE_LABELS[9]: {"denominator": None}},
    )
    (breakdown,) = indicator_inequalities(indicator=indicator, area_id=area.pk)
    no_value, no_population = breakdown.periods
    assert no_value.sii is None and no_value.sii_limits is None
    assert no_value.sii_note == (
        "No slope index of inequality (SII) is given: Third more deprived "
        "decile (IMD2019) has no value."
    )
    assert no_population.sii is None
    assert "the population (denominator) of Least deprived decile (IMD2019) is " in (
        no_population.sii_note
    )


@pytest.mark.django_db
def test_a_group_outside_the_deciles_is_left_out_of_the_sii():
    indicator = IndicatorFactory(value_type="proportion", multiplier=100)
    area = AreaFactory()
    period = PeriodFactory(label="2022")
    _deciles_with_limits(indicator, area, period, FALLING)
    IndicatorValueFactory(
        indicator=indicator,
        area=area,
        period=period,
        category_type=DECILES,
        category="Deprivation unknown (IMD2019)",
        value=90.0,
        lower95=80.0,
        upper95=95.0,
        denominator=1000,
    )
    (breakdown,) = indicator_inequalities(indicator=indicator, area_id=area.pk)
    latest = breakdown.latest
    assert latest.sii.sii == pytest.approx(-200 / 9)  # the 10 deciles only
    assert latest.sii_limits is not None
    assert latest.sii_note == (
        "Deprivation unknown (IMD2019) is left out of the slope index of "
        "inequality: it is not a deprivation decile."
    )


@pytest.mark.django_db
def test_a_proportion_of_zero_cannot_be_simulated_on_the_logit_scale():
    indicator = IndicatorFactory(value_type="proportion", multiplier=100)
    area = AreaFactory()
    _deciles_with_limits(
        indicator,
        area,
        PeriodFactory(label="2022"),
        FALLING,
        **{DECILE_LABELS[9]: {"value": 0.0, "lower95": 0.0, "upper95": 1.0}},
    )
    (breakdown,) = indicator_inequalities(indicator=indicator, area_id=area.pk)
    latest = breakdown.latest
    assert latest.sii is not None and latest.sii_limits is None
    assert latest.sii_note == (
        "No limits are shown for the SII: they are simulated on the logit scale, "
        "which needs every value and 95% limit strictly between 0 and 100; those "
        "of Least deprived decile (IMD2019) are not."
    )


@pytest.mark.django_db
def test_an_even_spread_gives_limits_that_include_zero():
    indicator = IndicatorFactory(value_type="mean", multiplier=1, unit="")
    area = AreaFactory()
    flat = [20.0 + (0.5 if i % 2 else -0.5) for i in range(10)]
    _deciles_with_limits(
        indicator, area, PeriodFactory(label="2022"), flat, half_width=5.0
    )
    (breakdown,) = indicator_inequalities(indicator=indicator, area_id=area.pk)
    latest = breakdown.latest
    limits = latest.sii_limits.at(0.95)
    assert limits.sii_lower < 0 < limits.sii_upper
    assert latest.sii_significant is False
