"""indicators/, areas/, periods/: lookups, filters, visibility, writes, queries."""

import datetime as dt

import pytest

from indicators.models import Area, Indicator, Period
from tests.indicators.api.conftest import client_for
from tests.indicators.factories import (
    AreaFactory,
    IndicatorFactory,
    IndicatorValueFactory,
    PeriodFactory,
)
from tests.workstreams.factories import MarmotPrincipleFactory, WorkstreamFactory

pytestmark = pytest.mark.django_db
URL = "/api/v1/indicators/"


def codes(response, key="code"):
    assert response.status_code == 200, response.content
    return [row[key] for row in response.json()["results"]]


# --- areas and periods --------------------------------------------------------------


def test_areas_by_code_and_filters(anon):
    region = AreaFactory(code="E12000009", name="South West", area_type="region")
    AreaFactory(
        code="E06000022", name="Bath", area_type="local_authority", parent=region
    )
    AreaFactory(code="E06000023", name="Bristol", area_type="local_authority")

    assert anon.get("/api/v1/areas/E06000022/").json() == {
        "code": "E06000022",
        "name": "Bath",
        "area_type": "local_authority",
        "parent": "E12000009",
    }
    assert codes(anon.get("/api/v1/areas/?type=region")) == ["E12000009"]
    assert codes(anon.get("/api/v1/areas/?parent=E12000009")) == ["E06000022"]
    assert anon.get("/api/v1/areas/?type=planet").status_code == 400


def test_periods_in_sort_key_order_and_by_kind(anon):
    PeriodFactory(label="2021")
    Period.objects.create(
        label="2019/20",
        kind="financial_year",
        starts_on=dt.date(2019, 4, 1),
        ends_on=dt.date(2020, 3, 31),
        sort_key=202003987,
    )
    PeriodFactory(label="2018")

    assert codes(anon.get("/api/v1/periods/"), "label") == ["2018", "2019/20", "2021"]
    assert codes(anon.get("/api/v1/periods/?kind=financial_year"), "label") == [
        "2019/20"
    ]
    detail = anon.get(f"/api/v1/periods/{Period.objects.get(label='2021').pk}/")
    assert detail.json()["kind"] == "calendar_year"


@pytest.mark.parametrize("url", ["/api/v1/areas/", "/api/v1/periods/"])
def test_reference_lists_query_count_is_fixed(anon, django_assert_max_num_queries, url):
    def build(count):
        for _ in range(count):
            AreaFactory(parent=AreaFactory(area_type=Area.Type.REGION))
            PeriodFactory()

    build(3)
    with django_assert_max_num_queries(2):
        assert len(anon.get(url).json()["results"]) >= 3
    build(27)
    with django_assert_max_num_queries(2):
        assert len(anon.get(url).json()["results"]) >= 30


# --- indicators ----------------------------------------------------------------


@pytest.fixture
def catalogue():
    one = MarmotPrincipleFactory(number=1, title="Best start")
    two = MarmotPrincipleFactory(number=2, title="Education")
    early = WorkstreamFactory(slug="early-years")
    other = WorkstreamFactory(slug="other")
    made = {
        "ready": IndicatorFactory(code="ready", principle=one, display_order=1),
        "gcse": IndicatorFactory(code="gcse", principle=two, kind="local_output"),
        "life": IndicatorFactory(code="life", principle=None),
        "draft": IndicatorFactory(code="draft", principle=one, is_published=False),
    }
    made["ready"].workstreams.set([early, other])
    made["life"].workstreams.set([early])
    return made


def test_indicator_detail_by_code(anon, place, catalogue):
    ready = catalogue["ready"]
    ready.definition = "Children at a good level of development."
    ready.source = "DfE"
    ready.update_frequency = "irregular"
    ready.save()
    IndicatorValueFactory(
        indicator=ready, area=place.area, period=PeriodFactory(label="2023")
    )

    body = anon.get(f"{URL}ready/").json()

    assert body == {
        "code": "ready",
        "name": ready.name,
        "published_name": "",
        "definition": "Children at a good level of development.",
        "numerator_definition": "",
        "denominator_definition": "",
        "value_type": "proportion",
        "unit": "%",
        "multiplier": 100,
        "polarity": "low_is_good",
        "principle": 1,
        "principle_title": "Best start",
        "is_overarching": False,
        "workstreams": ["early-years", "other"],
        "kind": "outcome",
        "source": "DfE",
        "fingertips_id": None,
        "display_decimals": 1,
        "display_order": 1,
        "update_frequency": "irregular",
        "expected_next_release": None,
        "is_published": True,
        "freshness": {
            "status": "fresh",
            "reason": "The latest period, 2023, ended on 31 December 2023. The "
            "indicator is updated irregularly, so no update is overdue without an "
            "expected release date.",
            "next_update_by": None,
        },
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ["life", "ready", "gcse"]),
        ("?principle=1", ["ready"]),
        ("?principle=overarching", ["life"]),
        ("?principle=8", []),
        ("?workstream=early-years", ["life", "ready"]),
        ("?kind=local_output", ["gcse"]),
        ("?principle=1&workstream=other", ["ready"]),
    ],
)
def test_indicator_filters(anon, catalogue, query, expected):
    assert codes(anon.get(f"{URL}{query}")) == expected


def test_unpublished_indicator_hidden_from_anonymous_and_partner(anon, catalogue):
    assert anon.get(f"{URL}draft/").status_code == 404
    assert anon.get(f"{URL}draft/").json()["error"]["code"] == "not_found"
    assert client_for("partner").get(f"{URL}draft/").status_code == 404
    for role in ("chair", "oversight", "officer"):
        assert "draft" in codes(client_for(role).get(URL)), role


@pytest.mark.parametrize("role", ["anonymous", "officer"])
def test_indicator_list_query_count_is_fixed(django_assert_max_num_queries, role):
    client = client_for(role)
    workstream = WorkstreamFactory()

    def build(count):
        for _ in range(count):
            IndicatorFactory().workstreams.set([workstream])

    # count, page ids, page (ordered by principle: two steps), workstreams (+ roles)
    limit = 4 if role == "anonymous" else 7
    build(3)
    with django_assert_max_num_queries(limit):
        assert len(client.get(URL).json()["results"]) == 3
    build(27)
    with django_assert_max_num_queries(limit):
        assert len(client.get(URL).json()["results"]) == 30


def test_officer_creates_and_updates_indicator(officer_client, place, catalogue):
    response = officer_client.post(
        URL,
        {
            "code": "smoking",
            "name": "Smoking prevalence",
            "value_type": "proportion",
            "polarity": "low_is_good",
            "unit": "%",
            "multiplier": 100,
            "principle": 2,
            "workstreams": ["early-years"],
        },
        format="json",
    )

    assert response.status_code == 201, response.content
    assert response.json()["principle_title"] == "Education"
    assert response.json()["freshness"]["status"] == "stale"
    smoking = Indicator.objects.get(code="smoking")
    assert [w.slug for w in smoking.workstreams.all()] == ["early-years"]

    response = officer_client.patch(
        f"{URL}smoking/", {"principle": None, "unit": "per cent"}, format="json"
    )

    assert response.status_code == 200, response.content
    smoking.refresh_from_db()
    assert (smoking.principle, smoking.unit, smoking.name) == (
        None,
        "per cent",
        "Smoking prevalence",
    )
    assert [w.slug for w in smoking.workstreams.all()] == ["early-years"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"code": "ready"}, "code"),
        ({"polarity": "sideways"}, "polarity"),
        ({"principle": 9}, "principle"),
        ({"workstreams": ["nope"]}, "workstreams"),
        ({"code": "not a slug"}, "code"),
        # SQLite enforces no integer range, so the model must: a million
        # decimal places once reached the database and made every page that
        # shows the value a 500 (decimal.InvalidOperation).
        ({"display_decimals": 10_000_000}, "display_decimals"),
        ({"display_decimals": 7}, "display_decimals"),
        ({"display_decimals": -1}, "display_decimals"),
    ],
)
def test_indicator_bad_input_is_400(officer_client, catalogue, body, field):
    data = {
        "code": "new",
        "name": "New",
        "value_type": "count",
        "polarity": "no_judgement",
    }
    response = officer_client.post(URL, {**data, **body}, format="json")

    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == [field]


def test_indicator_code_cannot_change(officer_client, catalogue):
    response = officer_client.patch(f"{URL}ready/", {"code": "steady"}, format="json")

    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {
        "code": ["The code of an indicator is fixed."]
    }
