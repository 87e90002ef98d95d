"""The indicator page (`/indicators/<code>/`): what it shows, through HTTP.

The measure comes from `tests.indicators.pages.fixtures.measure_build`, which
the other indicator-page test modules use too.
"""

import pytest
from django.urls import reverse

from indicators.models import Indicator
from tests.indicators.factories import (
    IndicatorFactory,
    IndicatorValueFactory,
    PeriodFactory,
)
from tests.indicators.pages.fixtures import (
    QUINTILE_TYPE,
    measure_build,
    page_text,
)
from tests.workstreams.factories import PlaceFactory


def url(indicator) -> str:
    return reverse("indicator-detail", args=[indicator.code])


@pytest.fixture
def measure(db):
    return measure_build()


def test_about_the_measure_in_a_summary_list(client, measure):
    indicator, _ = measure
    text = page_text(client.get(url(indicator)))
    assert "Children in low-income families" in text
    assert "Definition Children under 16 in relative low-income families." in text
    assert "Source DWP Stat-Xplore" in text
    assert "Unit % (proportion)" in text
    assert "Is a higher value better? No – a lower value is better" in text
    assert f"Marmot principle {indicator.principle}" in text
    assert "Workstreams Good work" in text
    assert "Latest period 2018" in text
    assert "Expected next release 1 March 2099" in text
    assert "Up to date? Fresh The next release is expected on 1 March 2099." in text


def test_workstreams_link_to_their_pages(client, measure):
    indicator, _ = measure
    html = client.get(url(indicator)).content.decode()
    assert f'href="{reverse("workstream-detail", args=["good-work"])}"' in html


def test_latest_value_with_its_interval(client, measure):
    indicator, _ = measure
    text = page_text(client.get(url(indicator)))
    assert "Testtown: 23.0% in 2018 (95% confidence interval 21.5 to 24.5)" in text


def test_each_comparison_says_its_result_in_words_with_its_method(client, measure):
    indicator, _ = measure
    text = page_text(client.get(url(indicator)))
    # computed beats published (ADR 0009); the published row is still listed
    assert (
        "England 16.5% 15.0 to 18.0 Similar to England Computed at 95% confidence; "
        "this differs from the published result. The 95% intervals do not overlap. "
        "Also: Published as “R” – Worse than England"
    ) in text
    assert (
        # 17.75 (16.25 to 19.25): halves round away from zero everywhere (ADR 0017)
        "North Region 17.8% 16.3 to 19.3 Similar to North Region Published as “A”."
        in (text)
    )
    assert (
        "Similar councils 19.0% 17.5 to 20.5 Better than nearest neighbours "
        "Set by hand. Reason: Checked against the neighbours' own reports."
    ) in text
    assert "Target 18.0% by 2018 Worse than the target Computed." in text


def test_comparisons_are_text_plus_a_shape(client, measure):
    indicator, _ = measure
    html = client.get(url(indicator)).content.decode()
    assert 'marmot-rag marmot-rag--amber"><span class="marmot-rag__shape"' in html
    assert "marmot-rag--red" in html and "marmot-rag--green" in html


def test_trend_with_its_label_and_method(client, measure):
    indicator, _ = measure
    text = page_text(client.get(url(indicator)))
    assert (
        "Trend Increasing and getting worse Computed. "
        "Weighted regression over the last 4 periods. "
        "Also: Published as “Comparable” – No significant change"
    ) in text


def test_quintiles_with_gap_sii_and_narrowing(client, measure):
    indicator, _ = measure
    text = page_text(client.get(url(indicator)))
    assert f"{QUINTILE_TYPE}, 2018" in text
    # in 2018 the quintiles fall from 30.0 by 1.1 each: the least deprived is best
    assert (
        "Best group Least deprived quintile (25.6), worst group Most deprived "
        "quintile (30.0): absolute gap 4.4"
    ) in text
    assert "slope index of inequality" in text
    assert "The gap is narrowing over the last 4 periods." in text
    assert "Most deprived quintile Worst 30.0%" in text
    assert "Least deprived quintile Best 25.6%" in text


def test_wards_with_gap_and_widening_or_narrowing(client, measure):
    indicator, _ = measure
    text = page_text(client.get(url(indicator)))
    assert "Wards, 2018" in text
    # 2018: wards at 10, 15, 20 - the gap has fallen from 16 to 10 over 4 years
    assert "Best group Ward 0 (10.0), worst group Ward 2 (20.0)" in text
    assert text.count("The gap is narrowing over the last 4 periods.") == 2
    assert "Ward 1 15.0% 13.0 to 17.0" in text


def test_a_widening_gap_is_said_so(client, db):
    indicator, place = measure_build(wards=0, quintiles=0)
    for i, year in enumerate(["2015", "2016", "2017"]):
        for group, value in (("A", 10.0), ("B", 12.0 + 3 * i)):
            IndicatorValueFactory(
                indicator=indicator,
                area=place.area,
                period=PeriodFactory(label=year),
                category_type="Ethnic group",
                category=group,
                value=value,
                lower95=None,
                upper95=None,
            )
    text = page_text(client.get(url(indicator)))
    assert "Ethnic group, 2017" in text
    assert "The gap is widening over the last 3 periods." in text


def test_too_few_periods_for_a_gap_trend(client, db):
    indicator, _ = measure_build(periods=2, quintiles=0)
    text = page_text(client.get(url(indicator)))
    assert "There are too few periods with a gap (2; at least 3 are needed)" in text


def test_no_breakdowns_is_said_briefly(client, db):
    indicator, _ = measure_build(wards=0, quintiles=0)
    text = page_text(client.get(url(indicator)))
    assert "There are no breakdowns of this measure" in text


def test_no_gap_for_a_measure_without_polarity(client, db):
    indicator, _ = measure_build(polarity=Indicator.Polarity.NO_JUDGEMENT, quintiles=0)
    text = page_text(client.get(url(indicator)))
    assert "No gap is given" in text
    assert "Neither – a higher or lower value is not judged" in text


def test_a_measure_without_values(client, db):
    PlaceFactory(area__name="Testtown")
    indicator = IndicatorFactory()
    response = client.get(url(indicator))
    assert response.status_code == 200
    text = page_text(response)
    assert "There is no value for Testtown yet." in text
    assert "There are no breakdowns" in text
    assert 'id="over-time"' not in response.content.decode()


def test_without_a_place_the_page_still_works(client, db):
    indicator = IndicatorFactory()
    response = client.get(url(indicator))
    assert response.status_code == 200
    assert "The place has not been set up yet" in page_text(response)


def test_unknown_code_is_404(client, measure):
    assert (
        client.get(reverse("indicator-detail", args=["no-such-code"])).status_code
        == 404
    )


def test_every_luton_measure_renders_with_its_comparisons(client, luton):
    """On the real data: a chart, a table and the published comparisons. The
    measures with no value yet (outcomes awaiting a measure, output KPIs)
    say so."""
    empty, in_words = [], []
    for indicator in Indicator.objects.order_by("code"):
        response = client.get(url(indicator))
        assert response.status_code == 200, indicator.code
        text = page_text(response)
        if not indicator.values.exists():
            assert "There is no value for Luton yet." in text, indicator.code
            empty.append(indicator.kind)
            continue
        if not indicator.values.filter(value__isnull=False).exists():
            # Published in words only (ADR 0038): no figure to chart.
            assert "Comparisons and trend in" in text, indicator.code
            in_words.append(indicator.code)
            continue
        assert "Comparisons and trend in" in text, indicator.code
        assert 'role="img"' in response.content.decode(), indicator.code
    assert sorted(empty) == ["local_output"] * 6 + ["outcome"] * 2
    assert in_words == ["children-in-low-income-households"]
    text = page_text(client.get("/indicators/life-expectancy-male/"))
    assert "Luton: 77.0 years in 2020-22" in text
    assert "England 78.9 years Worse than England Published as “R”." in text
    assert "Trend Getting worse Published as “Significantly worse”." in (text)
