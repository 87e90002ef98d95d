"""The KPI dashboard page, server-rendered: tiles, filters, visibility, queries."""

import pytest

from tests.indicators.factories import IndicatorFactory
from tests.indicators.pages.fixtures import (
    build_place,
    group_titles,
    measure,
    status,
    tiles,
)
from tests.workstreams.factories import MarmotPrincipleFactory, WorkstreamFactory

pytestmark = pytest.mark.django_db


def test_tile_shows_value_benchmarks_assessments_trend_and_sparkline(client):
    place = build_place()
    measure(
        place,
        code="smoking",
        name="Smoking prevalence",
        neighbours=38.0,
        results={"national": "worse", "region": "better", "nearest_neighbours": ""},
    )

    response = client.get("/dashboard/")

    tile = tiles(response)["Smoking prevalence"]
    assert tile["href"] == "/indicators/smoking/"
    assert tile["value"] == "39.4% in 2022/23"
    assert tile["benchmarks"] == [
        "England 30.0% Worse than England",
        "Test Region 41.5% Better than Test Region",
        "Nearest neighbours 38.0% Not compared with nearest neighbours",
    ]
    assert tile["trend"] == "Trend: Increasing and getting worse"
    assert tile["sparkline"]["role"] == "img"
    assert tile["sparkline"]["aria-label"] == (
        "Rising from 36.1% in 2015/16 to 39.4% in 2022/23"
    )
    assert tile["figures"] == ["2015/16 36.1%", "2016/17 37.0%", "2022/23 39.4%"]
    html = response.content.decode()
    assert 'class="marmot-rag marmot-rag--red"' in html  # a shape with the words
    assert status(response) == "1 measure shown"
    assert 'href="/dashboard/data.csv"' in html
    assert "Download these measures (CSV)" in html
    assert '<script type="module" src="/static/js/dashboard.js">' in html
    assert "style=" not in html


def test_missing_values_and_target_assessment(client):
    place = build_place()
    indicator = measure(
        place,
        name="Obesity",
        values=(20.0, None, 22.5),
        england=None,
        results={"national": "similar", "target": "worse"},
        trend=None,
        unit="per 1,000",
        display_decimals=2,
    )
    IndicatorFactory(name="Nothing yet", principle=indicator.principle)

    found = tiles(client.get("/dashboard/"))

    obesity = found["Obesity"]
    assert obesity["value"] == "22.50 per 1,000 in 2022/23"
    assert obesity["benchmarks"] == [
        # A published judgement without the value (issue 13): say so.
        "England Not published Similar to England (as published)",
        "Test Region 41.50 per 1,000 Not compared with Test Region",
        "Nearest neighbours No value Not compared with nearest neighbours",
        "Target Worse than target",
    ]
    assert obesity["trend"] == "Trend: Not assessed"
    assert obesity["sparkline"]["aria-label"] == (
        "Rising from 20.00 per 1,000 in 2015/16 to 22.50 per 1,000 in 2022/23; "
        "no value for 2016/17"
    )
    assert obesity["figures"][1] == "2016/17 No value"
    empty = found["Nothing yet"]
    assert empty["value"] == "No value yet"
    assert empty["sparkline"]["aria-label"] == "No values to show"
    assert empty["figures"] == []


def test_tiles_are_grouped_by_principle_overarching_first(client):
    place = build_place()
    two = MarmotPrincipleFactory(number=2, title="Maximise capabilities")
    one = MarmotPrincipleFactory(number=1, title="Best start in life")
    measure(place, name="B two", principle=two)
    measure(place, name="A one", principle=one)
    measure(place, name="Life expectancy", principle=None)
    measure(place, name="C one", principle=one)

    response = client.get("/dashboard/")

    assert group_titles(response) == [
        "Overarching measures",
        "1. Best start in life",
        "2. Maximise capabilities",
    ]
    assert list(tiles(response)) == ["Life expectancy", "A one", "C one", "B two"]


def test_filters_narrow_the_tiles_on_the_server(client):
    place = build_place()
    one = MarmotPrincipleFactory(number=1)
    workstream = WorkstreamFactory(slug="early-years", name="Early years")
    first = measure(place, name="First", principle=one, results={"region": "worse"})
    measure(place, name="Second", principle=None, results={"national": "better"})
    measure(place, name="Third", principle=one, results={"national": "similar"})
    first.workstreams.set([workstream])

    def shown(query):
        return sorted(tiles(client.get(f"/dashboard/?{query}")))

    assert shown("") == ["First", "Second", "Third"]
    assert shown("principle=1") == ["First", "Third"]
    assert shown("principle=overarching") == ["Second"]
    assert shown("workstream=early-years") == ["First"]
    assert shown("assessment_result=worse") == ["First"]
    assert shown("assessment_result=better") == ["Second"]
    assert shown("assessment_result=worse&comparator=national") == []
    assert shown("principle=1&assessment_result=similar") == ["Third"]
    response = client.get("/dashboard/?comparator=region&principle=1")
    assert tiles(response)["First"]["benchmarks"] == [
        "Test Region 41.5% Worse than Test Region"
    ]
    html = response.content.decode()
    assert 'href="/dashboard/data.csv?principle=1&amp;comparator=region"' in html
    assert '<option value="region" selected>Region (Test Region)</option>' in html
    assert status(response) == "2 measures shown"


def test_trend_filter_on_the_page(client):
    place = build_place()
    measure(place, name="Worsening", trend="Getting worse")
    measure(place, name="Improving", trend="Decreasing and getting better")
    measure(place, name="Steady", trend="No significant change")
    measure(place, name="Not assessed", trend=None)
    measure(place, name="Cannot say", trend="Cannot be calculated")

    def shown(query):
        return sorted(tiles(client.get(f"/dashboard/?{query}")))

    assert shown("trend=worse") == ["Worsening"]
    assert shown("trend=better") == ["Improving"]
    assert shown("trend=no_change") == ["Steady"]
    assert shown("trend=not_calculated") == ["Cannot say", "Not assessed"]
    assert shown("trend=worse&assessment_result=worse&comparator=national") == [
        "Worsening"
    ]
    response = client.get("/dashboard/?trend=better")
    html = response.content.decode()
    assert '<option value="better" selected>Getting better</option>' in html
    assert '<option value="not_calculated">Not calculated</option>' in html
    assert 'href="/dashboard/data.csv?trend=better"' in html
    assert status(response) == "1 measure shown"


def test_an_unknown_trend_is_an_error_naming_the_values(client):
    build_place()
    response = client.get("/dashboard/?trend=sideways")
    assert response.status_code == 400
    html = response.content.decode()
    assert (
        '<a href="#id_trend">Select a trend from the list (better, worse, '
        "no_change or not_calculated)</a>"
    ) in html
    assert "marmot-dashboard-tile" not in html


def test_no_match_says_so(client):
    place = build_place()
    measure(place, results={"national": "better"})
    response = client.get("/dashboard/?assessment_result=worse")
    assert status(response) == "0 measures shown"
    assert "No measures match these filters" in response.content.decode()


def test_an_unknown_filter_value_is_an_error_linked_to_its_field(client):
    build_place()
    response = client.get("/dashboard/?comparator=moon&principle=9")
    assert response.status_code == 400
    html = response.content.decode()
    assert "<title>Error: Outcome measures dashboard" in html
    assert '<a href="#id_comparator">Select a comparator from the list</a>' in html
    assert '<a href="#id_principle">Select a Marmot principle from the list</a>' in html
    assert 'aria-describedby="id_comparator-error"' in html
    assert "marmot-dashboard-tile" not in html


def test_works_without_a_place(client):
    IndicatorFactory(name="Lonely")
    response = client.get("/dashboard/")
    assert tiles(response)["Lonely"]["value"] == "No value yet"


@pytest.mark.parametrize(
    ("role", "sees_draft"),
    [
        ("anonymous", False),
        ("partner", False),
        ("other_chair", True),
        ("oversight", True),
        ("officer", True),
    ],
)
def test_unpublished_measures_only_for_those_who_may_read_drafts(
    client_as, role_users, role, sees_draft
):
    place = build_place()
    users = role_users(other=WorkstreamFactory())
    measure(place, name="Published")
    measure(place, name="Draft measure", is_published=False)

    response = client_as(users[role]).get("/dashboard/")

    expected = ["Draft measure", "Published"] if sees_draft else ["Published"]
    assert sorted(tiles(response)) == expected
    assert ("Draft measure" in response.content.decode()) is sees_draft


@pytest.mark.parametrize("role", ["anonymous", "officer"])
def test_query_count_is_fixed(
    client_as, role_users, django_assert_max_num_queries, role
):
    place = build_place()
    client = client_as(role_users()[role])
    for _ in range(2):
        measure(place)
    # anonymous: place (layout), place, principles, workstreams, visible ids, and
    # the six of indicator_latest_values; signed in: session, user, and the
    # user's roles (groups, chaired workstreams, membership) on top; and the
    # data version, as the body is cached (a second visit is checked below).
    limit = 12 if role == "anonymous" else 17
    with django_assert_max_num_queries(limit):
        assert len(tiles(client.get("/dashboard/?comparator=national"))) == 2
    for _ in range(18):
        measure(place, principle=MarmotPrincipleFactory())
    with django_assert_max_num_queries(limit):
        assert len(tiles(client.get("/dashboard/?comparator=national"))) == 20
    with django_assert_max_num_queries(limit - 9):  # the same again: cached
        assert len(tiles(client.get("/dashboard/?comparator=national"))) == 20
