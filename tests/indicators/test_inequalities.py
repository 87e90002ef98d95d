import pytest

from indicators.inequalities import (
    indicator_inequalities,
    is_deprivation_quantile,
    quantile_rank,
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
