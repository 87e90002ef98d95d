"""POST /api/v1/values/calculate/: officers send raw figures, the tracker
calculates the value and its limits by the indicator's value type (issue 19).

Each value type is checked against figures worked out independently: Wilson's
closed form by hand, and PHEindicatormethods' published worked examples
(phe_rate, phe_dsr, phe_mean, testLifeExpectancy.R's df1/answer1), copied here
as the statistics tests quote them.
"""

import math

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from indicators.models import IndicatorValue
from tests.indicators.api.conftest import client_for
from tests.indicators.factories import IndicatorFactory, PeriodFactory
from tests.indicators.fixtures import put
from tests.indicators.statistics.reference_figures import (
    DSR_COUNTS,
    DSR_POPS,
    ESP,
    LE_AGES,
    LE_DEATHS,
    LE_POPS,
)

pytestmark = pytest.mark.django_db

URL = "/api/v1/values/calculate/"
Z95 = 1.959963984540054  # qnorm(0.975)
SIG6 = 1e-6


def approx6(x):
    return pytest.approx(x, rel=SIG6, abs=1e-12)


def wilson(numerator, denominator, z=Z95):
    """Wilson's score interval, written out (Newcombe 1998, method 3)."""
    n, p = denominator, numerator / denominator
    centre = 2 * n * p + z * z
    half = z * math.sqrt(z * z + 4 * n * p * (1 - p))
    return (centre - half) / (2 * (n + z * z)), (centre + half) / (2 * (n + z * z))


@pytest.fixture
def officer():
    return client_for("officer")


@pytest.fixture
def measures(place):
    """One indicator per calculable value type (and an index), a 2023 period,
    and England's 2023 value of the proportion to compare with."""
    made = {
        "proportion": IndicatorFactory(code="readiness", multiplier=100),
        "crude_rate": IndicatorFactory(
            code="admissions", value_type="crude_rate", multiplier=100_000
        ),
        "count": IndicatorFactory(code="evictions", value_type="count", multiplier=1),
        "dsr": IndicatorFactory(code="deaths", value_type="dsr", multiplier=100_000),
        "ratio": IndicatorFactory(code="smr", value_type="ratio", multiplier=100),
        "mean": IndicatorFactory(code="wellbeing", value_type="mean", multiplier=1),
        "life_expectancy": IndicatorFactory(
            code="life", value_type="life_expectancy", multiplier=1
        ),
        "index": IndicatorFactory(code="deprivation", value_type="index"),
    }
    put(made["proportion"], place.country, 2023, 50.0)
    PeriodFactory(label="2023")
    return made


def body(code, **figures):
    return {"indicator": code, "area": "E06000001", "period": "2023", **figures}


def bands(**columns):
    names = list(columns)
    return [
        dict(zip(names, row, strict=True))
        for row in zip(*columns.values(), strict=True)
    ]


def stored(code="readiness"):
    return IndicatorValue.objects.filter(indicator__code=code, area__code="E06000001")


# --- each value type -----------------------------------------------------------


def test_a_proportion_by_wilson_with_its_assessment(officer, measures):
    response = officer.post(
        URL, body("readiness", numerator=40, denominator=100, source="Early years")
    )

    assert response.status_code == 201, response.content
    value = stored().get()
    assert response["Location"].endswith(f"/api/v1/values/{value.pk}/")
    assert response["ETag"]
    answer = response.json()
    lower, upper = wilson(40, 100)
    assert answer["value"] == pytest.approx(40.0)
    assert (answer["lower95"], answer["upper95"]) == (
        approx6(lower * 100),
        approx6(upper * 100),
    )
    assert (
        answer["lower998"] < answer["lower95"] < answer["upper95"] < answer["upper998"]
    )
    assert (answer["count"], answer["denominator"]) == (40, 100)
    assert (answer["method"], answer["method_display"]) == (
        "wilson",
        "Wilson score limits, from the numerator and denominator",
    )
    assert answer["source"] == "Early years"
    assert value.method == IndicatorValue.Method.WILSON
    # Judged in the same transaction: 40% (30.0 to 50.0) against England's 50%
    # (49 to 51), lower is better.
    computed = [a for a in answer["assessments"] if a["method"] == "computed"]
    assert [(a["benchmark"], a["result"]) for a in computed] == [("national", "better")]


def test_a_crude_rate_as_phe_rate_publishes(officer, measures):
    # phe_rate(100, 10000, 100000) -> 1000, 813.6210549052789, 1216.279375792065
    response = officer.post(URL, body("admissions", numerator=100, denominator=10_000))

    assert response.status_code == 201, response.content
    answer = response.json()
    assert answer["value"] == approx6(1000)
    assert answer["lower95"] == approx6(813.6210549052789)
    assert answer["upper95"] == approx6(1216.279375792065)
    assert answer["method"] == "byar"


def test_a_count_is_its_own_value_with_byar_limits(officer, measures):
    # byars_lower(100) = 81.36210549052788, upper 121.6279375792065 (R).
    response = officer.post(URL, body("evictions", numerator=100))

    assert response.status_code == 201, response.content
    answer = response.json()
    assert (answer["value"], answer["denominator"]) == (100, None)
    assert answer["lower95"] == approx6(81.36210549052788)
    assert answer["upper95"] == approx6(121.6279375792065)


def test_a_dsr_as_phe_dsr_publishes(officer, measures):
    figures = bands(count=DSR_COUNTS, population=DSR_POPS, standard_population=ESP)

    response = officer.post(URL, body("deaths", age_bands=figures), format="json")

    assert response.status_code == 201, response.content
    answer = response.json()
    assert answer["value"] == approx6(9832.763039564017)
    assert answer["lower95"] == approx6(9232.668299548477)
    assert answer["upper95"] == approx6(10461.620634)
    assert (answer["count"], answer["denominator"]) == (
        sum(DSR_COUNTS),
        sum(DSR_POPS),
    )
    assert answer["method"] == "dobson"


def test_a_ratio_from_observed_and_expected_events(officer, measures):
    response = officer.post(URL, body("smr", numerator=127, denominator=100))

    assert response.status_code == 201, response.content
    answer = response.json()
    # Byar's limits on 127 events, over 100 expected, times 100 (written out).
    lower = 127 * (1 - 1 / (9 * 127) - Z95 / 3 / math.sqrt(127)) ** 3
    upper = 128 * (1 - 1 / (9 * 128) + Z95 / 3 / math.sqrt(128)) ** 3
    assert answer["value"] == pytest.approx(127.0)
    assert (answer["lower95"], answer["upper95"]) == (approx6(lower), approx6(upper))
    assert answer["method"] == "indirect"


def test_a_ratio_from_age_bands_is_observed_over_expected(officer, measures):
    counts, pops = [3, 8, 21, 40, 55], [5_000, 6_500, 4_800, 3_100, 1_200]
    ref_counts = [1_100, 2_300, 6_900, 15_200, 30_100]
    ref_pops = [2_000_000, 2_600_000, 1_900_000, 1_200_000, 600_000]
    figures = bands(
        count=counts,
        population=pops,
        reference_count=ref_counts,
        reference_population=ref_pops,
    )

    response = officer.post(URL, body("smr", age_bands=figures), format="json")

    assert response.status_code == 201, response.content
    expected = sum(
        rc / rp * p for rc, rp, p in zip(ref_counts, ref_pops, pops, strict=True)
    )
    assert response.json()["value"] == pytest.approx(127 / expected * 100)


def test_a_mean_as_phe_mean_publishes(officer, measures):
    # phe_mean(c(30, 40, 50, 60)): 45 -/+ qt(0.975, 3) sd / sqrt(4), where
    # qt(0.975, 3) = 3.182446305284263 (R).
    sd = math.sqrt(sum((v - 45) ** 2 for v in (30, 40, 50, 60)) / 3)

    response = officer.post(
        URL, body("wellbeing", mean=45, standard_deviation=sd, sample_size=4)
    )

    assert response.status_code == 201, response.content
    answer = response.json()
    assert answer["lower95"] == pytest.approx(45 - 3.182446305284263 * sd / 2)
    assert answer["upper95"] == pytest.approx(45 + 3.182446305284263 * sd / 2)
    assert answer["method"] == "student_t"


def test_a_life_expectancy_as_the_reference_answers(officer, measures):
    figures = bands(start_age=LE_AGES, count=LE_DEATHS, population=LE_POPS)

    response = officer.post(URL, body("life", age_bands=figures), format="json")

    assert response.status_code == 201, response.content
    answer = response.json()
    assert answer["value"] == pytest.approx(80.16960813, abs=5e-9)
    # The reference's limits used z = 1.96 (OHID's Excel calculator).
    assert answer["lower95"] == pytest.approx(79.88268548, abs=1e-4)
    assert answer["upper95"] == pytest.approx(80.45653078, abs=1e-4)
    assert answer["method"] == "chiang_ii"


# --- an existing value: replaced only with its ETag --------------------------


def test_an_existing_value_needs_its_etag_and_is_then_replaced(officer, measures):
    first = officer.post(URL, body("readiness", numerator=40, denominator=100))
    value = stored().get()

    missing = officer.post(URL, body("readiness", numerator=45, denominator=100))
    stale = officer.post(
        URL,
        body("readiness", numerator=45, denominator=100),
        HTTP_IF_MATCH='"99-abc"',
    )

    assert (missing.status_code, stale.status_code) == (428, 412)
    value.refresh_from_db()
    assert (value.value, value.row_version) == (pytest.approx(40.0), 1)

    replaced = officer.post(
        URL,
        body("readiness", numerator=45, denominator=100),
        HTTP_IF_MATCH=first["ETag"],
    )

    assert replaced.status_code == 200, replaced.content
    assert "Location" not in replaced
    value.refresh_from_db()
    assert (value.value, value.count, value.row_version) == (
        pytest.approx(45.0),
        45,
        2,
    )
    assert replaced.json()["value"] == pytest.approx(45.0)
    assert stored().count() == 1


def test_an_if_match_for_a_value_that_does_not_exist_writes_nothing(officer, measures):
    response = officer.post(
        URL, body("readiness", numerator=40, denominator=100), HTTP_IF_MATCH='"1-ab"'
    )

    assert response.status_code == 412
    assert "send no If-Match" in response.json()["error"]["message"]
    assert not stored().exists()


def test_a_patch_keeps_the_method_unless_the_figures_change(officer, measures):
    officer.post(URL, body("readiness", numerator=40, denominator=100))
    value = stored().get()
    detail = f"/api/v1/values/{value.pk}/"

    noted = officer.patch(detail, {"value_note": "Checked"}, format="json")
    assert noted.json()["method"] == "wilson"

    typed = officer.patch(detail, {"value": 41.0}, format="json")
    assert typed.status_code == 200, typed.content
    assert typed.json()["method"] == "published"
    value.refresh_from_db()
    assert value.method == IndicatorValue.Method.PUBLISHED


# --- bad input: a 400 naming the field, nothing written ----------------------


@pytest.mark.parametrize(
    ("code", "figures", "field", "words"),
    [
        ("readiness", {"denominator": 100}, "numerator", "Needed for a proportion"),
        (
            "readiness",
            {"numerator": 140, "denominator": 100},
            "numerator",
            "must not be more than denominator",
        ),
        ("readiness", {"numerator": 4, "denominator": 0}, "denominator", "greater"),
        ("readiness", {"numerator": -1, "denominator": 10}, "numerator", "greater"),
        ("readiness", {"numerator": "NaN", "denominator": 10}, "numerator", "valid"),
        ("readiness", {"numerator": "inf", "denominator": 10}, "numerator", "valid"),
        ("readiness", {"numerator": 4, "denominator": "lots"}, "denominator", "valid"),
        ("readiness", {"numerator": True, "denominator": 10}, "numerator", "not true"),
        ("readiness", {"numerator": [4], "denominator": 10}, "numerator", "valid"),
        ("readiness", {"numerator": 1e300, "denominator": 1e300}, "numerator", "less"),
        (
            "readiness",
            {"numerator": 4, "denominator": 10, "mean": 3},
            "mean",
            "Not used for a proportion: send numerator and denominator",
        ),
        ("deprivation", {"numerator": 4}, "indicator", "POST the published value"),
        ("deaths", {}, "age_bands", "Needed for a directly standardised rate"),
        (
            "deaths",
            {"age_bands": [{"count": 1, "population": 10}]},
            "age_bands",
            "Age band 1: standard_population is needed.",
        ),
        (
            "deaths",
            {
                "age_bands": [{"count": 1, "population": 10, "standard_population": 10}]
                * 41
            },
            "age_bands",
            "no more than 40",
        ),
        ("deaths", {"age_bands": "many"}, "age_bands", "list"),
        ("deaths", {"age_bands": [{"count": "x"}]}, "age_bands", "valid number"),
        (
            "wellbeing",
            {"mean": 4, "standard_deviation": 1, "sample_size": 2.5},
            "sample_size",
            "whole number",
        ),
        (
            "life",
            {
                "age_bands": [
                    {"start_age": a, "count": 0, "population": p}
                    for a, p in zip(LE_AGES, LE_POPS, strict=True)
                ][:19]
            },
            "age_bands",
            "life expectancy cannot be calculated",
        ),
        ("nope", {"numerator": 1}, "indicator", "does not exist"),
        (
            "readiness",
            {"numerator": 1, "denominator": 2, "period": "2099"},
            "period",
            "",
        ),
        (
            "readiness",
            {"numerator": 1, "denominator": 2, "category": "Ward A"},
            "category",
            "needs a category_type",
        ),
    ],
)
def test_bad_figures_are_a_400_naming_the_field(
    officer, measures, code, figures, field, words
):
    before = IndicatorValue.objects.count()

    response = officer.post(URL, body(code, **figures), format="json")

    assert response.status_code == 400, response.content
    error = response.json()["error"]
    assert (error["status"], error["code"]) == (400, "invalid")
    assert field in error["fields"], error
    assert words in " ".join(error["fields"][field])
    assert IndicatorValue.objects.count() == before


def test_a_body_that_is_not_an_object_is_a_400(officer, measures):
    response = officer.post(URL, [1, 2], format="json")

    assert response.status_code == 400
    assert IndicatorValue.objects.count() == 1


# --- who may -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "status"),
    [("anonymous", 401), ("partner", 403), ("chair", 403), ("oversight", 403)],
)
def test_only_officers_calculate(measures, role, status):
    response = client_for(role).post(
        URL, body("readiness", numerator=40, denominator=100), format="json"
    )

    assert response.status_code == status
    error = response.json()["error"]
    assert error["status"] == status
    if status == 403:
        assert error["message"] == "Only officers may calculate values."
    assert not stored().exists()


# --- queries -----------------------------------------------------------------


def _queries(client, code, figures) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.post(URL, body(code, **figures), format="json")
    assert response.status_code == 201, response.content
    return len(captured)


def _warm(client):
    """A first request reads the officer's roles, then keeps them."""
    _queries(client, "evictions", {"numerator": 5})


def test_the_queries_do_not_grow_with_the_age_bands(officer, measures):
    few = bands(count=[10, 20], population=[100, 200], standard_population=[1, 2])
    many = bands(count=DSR_COUNTS, population=DSR_POPS, standard_population=ESP)
    _warm(officer)
    few_queries = _queries(officer, "deaths", {"age_bands": few})
    IndicatorValue.objects.filter(indicator__code="deaths").delete()

    assert _queries(officer, "deaths", {"age_bands": many}) == few_queries


def test_the_queries_do_not_grow_with_the_series(officer, measures, place):
    for code, years in (("short", 3), ("long", 12)):
        indicator = IndicatorFactory(code=code, multiplier=100)
        for year in range(2023 - years, 2023):
            put(indicator, place.area, year, 40.0)
            put(indicator, place.country, year, 50.0)
        put(indicator, place.country, 2023, 50.0)
    figures = {"numerator": 40, "denominator": 100}
    _warm(officer)

    assert _queries(officer, "long", figures) == _queries(officer, "short", figures)
