"""The dashboard's body is cached per set of roles until the data changes
(marmot.site.page_cache, ADR 15): served again without the measures' queries,
changed at once by a write, never handed to other roles, never kept when the
filters are wrong."""

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext

from indicators.models import Indicator
from marmot.site.data_version import data_version
from tests.conftest import clients_signed_in
from tests.indicators.pages.fixtures import build_place, measure, tiles

pytestmark = pytest.mark.django_db


def measure_queries(queries):
    """Queries of the measures' tables (the place, for the header, is not one)."""
    return [
        q
        for q in queries
        if "indicators_" in q["sql"] and "indicators_place" not in q["sql"]
    ]


URL = "/dashboard/"


def test_a_second_visit_reads_no_measures_and_a_write_shows_at_once(client):
    place = build_place()
    measure(place, name="Smoking prevalence")
    assert list(tiles(client.get(URL))) == ["Smoking prevalence"]
    with CaptureQueriesContext(connection) as queries:
        assert list(tiles(client.get(URL))) == ["Smoking prevalence"]
    assert not measure_queries(queries)
    Indicator.objects.update(name="Adults who smoke")  # no signals: still seen
    assert list(tiles(client.get(URL))) == ["Adults who smoke"]


def test_unpublished_measures_never_reach_those_who_may_not_see_them(role_users):
    place = build_place()
    measure(place, name="Published one")
    measure(place, name="Draft one", is_published=False)
    clients = clients_signed_in(role_users())
    version = data_version()
    order = ["officer", "oversight", "partner", "anonymous"]
    seen = {role: sorted(tiles(clients[role].get(URL))) for role in order}
    assert seen["officer"] == seen["oversight"] == ["Draft one", "Published one"]
    assert seen["partner"] == seen["anonymous"] == ["Published one"]
    assert data_version() == version  # every visit above could have hit


def test_wrong_filters_are_never_cached(client):
    build_place()
    for _ in range(2):
        response = client.get(URL + "?comparator=moon")
        assert response.status_code == 400
        assert "<title>Error: Outcome measures dashboard" in response.content.decode()


def test_parameters_the_page_does_not_read_share_one_entry(client):
    measure(build_place(), name="Smoking prevalence")
    assert list(tiles(client.get(URL + "?utm_source=a"))) == ["Smoking prevalence"]
    with CaptureQueriesContext(connection) as queries:
        page = client.get(URL + "?utm_source=b&x=1")
    assert list(tiles(page)) == ["Smoking prevalence"]
    assert not measure_queries(queries)
    # one it reads is its own entry
    assert list(tiles(client.get(URL + "?comparator=region"))) == ["Smoking prevalence"]


def test_the_page_cache_holds_a_bounded_number_of_bodies(client):
    build_place()
    pages = caches["pages"]
    limit = pages._max_entries
    for number in range(limit + 20):  # parameters neither page reads
        assert client.get(f"/?page={number}").status_code == 200
        assert client.get(f"{URL}?n={number}").status_code == 200
    assert len(pages._cache) == 2  # one body each
    for number in range(limit + 20):
        pages.set(f"other-{number}", b"x")
    assert len(pages._cache) <= limit
