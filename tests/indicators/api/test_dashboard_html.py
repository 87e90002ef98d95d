"""GET /api/v1/dashboard/ as HTML: the dashboard page's own results region
(same selector, same template), chosen by content negotiation on the same URL;
JSON stays the default (ADR 20)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.conftest import clients_signed_in
from tests.indicators.pages.fixtures import build_place, measure, status, tiles
from tests.workstreams.factories import MarmotPrincipleFactory

pytestmark = pytest.mark.django_db
API = "/api/v1/dashboard/"
HTML = {"HTTP_ACCEPT": "text/html"}


def world():
    place = build_place()
    one = MarmotPrincipleFactory(number=1, title="Best start in life")
    measure(place, code="smoking", name="Smoking <b>prevalence</b>", principle=one)
    measure(
        place,
        code="poverty",
        name="Child poverty",
        principle=None,
        results={"national": "better"},
        trend="Getting better",
    )
    measure(place, code="draft", name="Draft measure", is_published=False)


def results_region(html: str) -> str:
    """The page's ``<div id="dashboard">`` element, as text."""
    start = html.index('<div class="marmot-dashboard" id="dashboard"')
    depth, at = 0, start
    while True:
        opening, closing = html.find("<div", at), html.find("</div>", at)
        if opening != -1 and opening < closing:
            depth, at = depth + 1, opening + 4
        else:
            depth, at = depth - 1, closing + 6
            if depth == 0:
                return html[start:at]


@pytest.mark.parametrize(
    "query",
    [
        "",
        "?principle=1",
        "?comparator=national&assessment_result=better",
        "?trend=better",
        "?trend=worse&comparator=region",
        "?assessment_result=lower",  # none match
    ],
)
def test_the_html_is_the_pages_results_region(client, query):
    world()
    page = client.get(f"/dashboard/{query}").content.decode()

    response = client.get(f"{API}{query}", **HTML)

    assert response.status_code == 200
    assert response["Content-Type"] == "text/html; charset=utf-8"
    fragment = response.content.decode()
    assert results_region(fragment) == results_region(page)
    assert fragment.strip() == results_region(page)  # nothing else, no summary
    assert "<script" not in fragment and "<b>" not in fragment  # names escaped


def test_json_stays_the_default_and_html_is_negotiated(client):
    world()
    for accept in (None, "*/*", "application/json", "application/json, text/html"):
        headers = {"HTTP_ACCEPT": accept} if accept else {}
        response = client.get(API, **headers)
        assert response["Content-Type"] == "application/json", accept
        assert len(response.json()["indicators"]) == 2
    for query, headers in (("", HTML), ("?format=html", {})):
        response = client.get(f"{API}{query}", **headers)
        assert response["Content-Type"] == "text/html; charset=utf-8"
        assert list(tiles(response)) == ["Child poverty", "Smoking <b>prevalence</b>"]
        assert status(response) == "2 measures shown"
        assert "Accept" in response["Vary"]
    assert client.get(f"{API}?format=api")["Content-Type"].startswith("text/html")


def test_a_wrong_filter_is_400_with_the_pages_error_summary(client):
    world()
    response = client.get(f"{API}?trend=sideways&comparator=moon", **HTML)

    assert response.status_code == 400
    html = response.content.decode()
    assert 'class="govuk-error-summary"' in html
    assert (
        '<a href="#id_trend">Select a trend from the list (better, worse, '
        "no_change or not_calculated)</a>"
    ) in html
    assert '<a href="#id_comparator">Select a comparator from the list</a>' in html
    assert "marmot-dashboard-tile" not in html
    assert 'id="dashboard"' in html  # the results region, without tiles
    # never kept: the same again is still a 400
    assert client.get(f"{API}?trend=sideways", **HTML).status_code == 400
    json_error = client.get(f"{API}?trend=sideways").json()["error"]
    assert list(json_error["fields"]) == ["trend"]


def test_unpublished_measures_only_for_those_who_may_read_drafts(role_users):
    world()
    clients = clients_signed_in(role_users())
    for role in ["officer", "anonymous", "oversight", "partner"]:
        names = list(tiles(clients[role].get(API, **HTML)))
        sees_draft = role in ("officer", "oversight")
        assert ("Draft measure" in names) is sees_draft, role


def test_queries_are_fixed_and_a_second_ask_is_served_from_the_cache(client):
    place = build_place()
    for _ in range(2):
        measure(place)
    # data version, place, principles, workstreams, visible ids, the six of
    # indicator_latest_values, and the place of the templates' context
    with CaptureQueriesContext(connection) as small:
        assert len(tiles(client.get(f"{API}?comparator=national", **HTML))) == 2
    for _ in range(18):
        measure(place, principle=MarmotPrincipleFactory())
    with CaptureQueriesContext(connection) as large:
        assert len(tiles(client.get(f"{API}?comparator=national", **HTML))) == 20
    assert len(large) == len(small) <= 12
    with CaptureQueriesContext(connection) as again:
        assert len(tiles(client.get(f"{API}?comparator=national", **HTML))) == 20
    assert not [q for q in again if "indicators_" in q["sql"]]


def test_other_errors_as_html_are_short_and_never_500(client):
    world()
    response = client.get(API, HTTP_ACCEPT="text/html", HTTP_AUTHORIZATION="Token x")
    assert response.status_code == 401
    assert response["Content-Type"].startswith("text/html")
    assert client.head(API, **HTML).status_code == 200
