"""'Check with the source': published judgements their own numbers contradict,
found in bounded queries and shown to officers in the admin and on the page."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from indicators.assessment.source_checks import (
    assessment_source_checks,
    trend_source_checks,
)
from indicators.models import Area, Assessment, Indicator, Method, Trend
from tests.indicators.factories import (
    AreaFactory,
    AssessmentFactory,
    IndicatorFactory,
    IndicatorValueFactory,
    PeriodFactory,
    TrendFactory,
)
from tests.workstreams.factories import PlaceFactory, UserFactory

pytestmark = pytest.mark.django_db
HIGH = Indicator.Polarity.HIGH_IS_GOOD
ASSESSMENTS = "/admin/indicators/assessment/"
TRENDS = "/admin/indicators/trend/"


def text(response) -> str:
    assert response.status_code == 200, response.status_code
    html = response.content.decode().replace("&#x27;", "'")
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def published_value(**fields):
    """A value as a council's table publishes it: no confidence interval."""
    return IndicatorValueFactory(lower95=None, upper95=None, **fields)


def comparison(place_value, region_value, result="worse", letter="R", **extra):
    """A place's value judged against its region's, as published."""
    indicator = IndicatorFactory(polarity=HIGH, display_decimals=1)
    period = PeriodFactory(label="2021")
    place = AreaFactory(name="Placeton")
    region = AreaFactory(name="North Region", area_type=Area.Type.REGION)
    value = published_value(
        indicator=indicator, area=place, period=period, value=place_value
    )
    published_value(indicator=indicator, area=region, period=period, value=region_value)
    return AssessmentFactory(
        value=value,
        benchmark=Assessment.Benchmark.REGION,
        benchmark_area=region,
        result=result,
        published_text=letter,
        **extra,
    )


def trend(first, second, label=Trend.Label.GETTING_WORSE, words="Significantly worse"):
    """A series of two periods with a published trend on the later one."""
    indicator = IndicatorFactory(polarity=HIGH, display_decimals=1)
    area = AreaFactory()
    published_value(
        indicator=indicator, area=area, period=PeriodFactory(label="2021"), value=first
    )
    later = published_value(
        indicator=indicator, area=area, period=PeriodFactory(label="2022"), value=second
    )
    return TrendFactory(value=later, label=label, published_text=words)


def selected(model):
    relations = ["value__indicator", "value__area", "value__period"]
    if model is Assessment:
        relations.append("benchmark_area")
    return model.objects.select_related(*relations)


def test_equal_values_with_a_red_letter_are_flagged_with_the_reason():
    flagged = comparison(56.6, 56.6)
    comparison(50.0, 60.0)  # "R" and lower where higher is better: agrees
    comparison(56.6, 56.6, result="similar", letter="A")  # "A" never contradicted

    checks = assessment_source_checks(selected(Assessment))

    assert checks == {
        flagged.pk: (
            "Published as “R” (worse than North Region), but Placeton's value "
            "(56.6%) is the same as North Region's (56.6%)."
        )
    }


def test_computed_comparisons_are_not_checked():
    comparison(56.6, 56.6, method=Method.COMPUTED, letter="")

    assert assessment_source_checks(selected(Assessment)) == {}


def test_a_trend_the_values_contradict_is_flagged_and_one_period_is_not():
    flagged = trend(85.4, 85.7)
    trend(85.7, 85.4)  # fell where higher is better: getting worse agrees
    one_period = published_value(
        indicator=IndicatorFactory(polarity=HIGH), period=PeriodFactory(label="2022")
    )
    TrendFactory(
        value=one_period,
        label=Trend.Label.GETTING_WORSE,
        published_text="Significantly worse",
    )

    checks = trend_source_checks(selected(Trend))

    assert checks == {
        flagged.pk: (
            "Published as “Significantly worse” (getting worse; higher is better), "
            "but the value rose from 85.4% in 2021 to 85.7% in 2022."
        )
    }


@pytest.mark.parametrize(
    ("model", "build"),
    [(Assessment, lambda: comparison(56.6, 56.6)), (Trend, lambda: trend(85.4, 85.7))],
)
def test_checks_take_one_query_whatever_the_number_of_rows(model, build):
    def count(size):
        for _ in range(size):
            build()
        rows = list(selected(model))
        with CaptureQueriesContext(connection) as queries:
            checks = (
                assessment_source_checks(rows)
                if model is Assessment
                else (trend_source_checks(rows))
            )
        assert len(checks) == len(rows)
        return len(queries)

    assert count(2) == count(5) == 1


@pytest.fixture
def officer_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def test_the_admin_filters_and_shows_what_to_check(officer_client):
    flagged = comparison(56.6, 56.6)
    agreeing = comparison(50.0, 60.0)
    contradicted = trend(85.4, 85.7)

    page = text(officer_client.get(ASSESSMENTS, {"check_with_source": "yes"}))
    assert "1 result ( 2 total )" in page
    assert "Check with the source" in page
    assert "is the same as North Region's (56.6%)" in page
    page = text(officer_client.get(ASSESSMENTS, {"check_with_source": "no"}))
    assert "1 result ( 2 total )" in page
    assert "is the same as" not in page
    page = text(officer_client.get(f"{ASSESSMENTS}{flagged.pk}/change/"))
    assert "Placeton's value (56.6%) is the same as North Region's (56.6%)" in page
    page = text(officer_client.get(f"{ASSESSMENTS}{agreeing.pk}/change/"))
    assert "No disagreement found" in page

    trend(85.7, 85.4)  # agrees
    page = text(officer_client.get(TRENDS, {"check_with_source": "yes"}))
    assert "1 result ( 2 total )" in page
    assert "the value rose from 85.4% in 2021 to 85.7% in 2022" in page
    page = text(officer_client.get(f"{TRENDS}{contradicted.pk}/change/"))
    assert "the value rose from 85.4% in 2021 to 85.7% in 2022" in page


@pytest.mark.parametrize(
    ("url", "build"),
    [
        (ASSESSMENTS, lambda: comparison(56.6, 56.6)),
        (TRENDS, lambda: trend(85.4, 85.7)),
    ],
)
@pytest.mark.parametrize("query", [{}, {"check_with_source": "yes"}])
def test_admin_lists_take_the_same_queries_at_two_sizes(
    officer_client, url, build, query
):
    def count(size):
        for _ in range(size):
            build()
        officer_client.get(url, query)  # warm per-process caches
        with CaptureQueriesContext(connection) as queries:
            response = officer_client.get(url, query)
        assert response.status_code == 200
        return len(queries)

    assert count(2) == count(4)


def test_the_page_notes_a_contradiction_for_signed_in_users_only(client):
    contradicted = trend(85.4, 85.7)
    code = contradicted.value.indicator.code
    page = f"/indicators/{code}/"
    PlaceFactory(area=contradicted.value.area)

    public = text(client.get(page))
    assert "Trend Getting worse Published as “Significantly worse”." in public
    assert "Check with the source" not in public

    client.force_login(UserFactory())
    signed_in = text(client.get(page))
    assert (
        "Check with the source. Published judgement disagrees with the published "
        "numbers: Published as “Significantly worse” (getting worse; higher is "
        "better), but the value rose from 85.4% in 2021 to 85.7% in 2022. It is "
        "shown as published." in signed_in
    )


def test_a_contradicted_direction_is_not_shown_on_the_page(client):
    contradicted = trend(
        85.4,
        85.7,
        label=Trend.Label.DECREASING_WORSE,
        words="Decreasing and getting worse",
    )
    PlaceFactory(area=contradicted.value.area)

    page = text(client.get(f"/indicators/{contradicted.value.indicator.code}/"))

    assert "Trend Getting worse Published as “Decreasing and getting worse”." in page
