"""Who sees the indicator page and its downloads, and how many queries they cost."""

import pytest
from django.urls import reverse

from tests.indicators.pages.fixtures import measure_build, page_text
from tests.workstreams.factories import WorkstreamFactory

WARNING = "Not published. The public cannot see this measure"
#: Queries whatever the data size. Page: indicator, workstreams, the layout's
#: place, the place with its benchmark areas, values, targets, breakdowns,
#: assessments, trends. Downloads: indicator, place, values, assessments, trends.
#: Signed in adds five: session, user, and the user's roles (three).
# officer: + their roles (three queries), for the navigation's "Your workstreams"
PAGE_QUERIES = {"anonymous": 10, "officer": 15}
DOWNLOAD_QUERIES = {"anonymous": 5, "officer": 10}


@pytest.fixture
def users(role_users):
    return role_users(chair_of=WorkstreamFactory(), other=WorkstreamFactory())


def urls(indicator):
    return [
        reverse("indicator-detail", args=[indicator.code]),
        reverse("indicator-download", args=[indicator.code, "csv"]),
        reverse("indicator-download", args=[indicator.code, "xlsx"]),
    ]


@pytest.mark.parametrize("role", ["anonymous", "partner"])
def test_unpublished_measure_is_not_found_for_the_public_and_partners(
    client_as, users, role
):
    indicator, _ = measure_build(published=False, wards=0, quintiles=0)
    client = client_as(users[role])
    for url in urls(indicator):
        assert client.get(url).status_code == 404, url


@pytest.mark.parametrize("role", ["oversight", "officer", "chair", "other_chair"])
def test_unpublished_measure_is_shown_with_a_warning_to_those_who_may_see_it(
    client_as, users, role
):
    indicator, _ = measure_build(published=False, wards=0, quintiles=0)
    client = client_as(users[role])
    page, csv_file, xlsx_file = (client.get(url) for url in urls(indicator))
    assert page.status_code == 200
    assert WARNING in page_text(page)
    assert csv_file.status_code == 200
    assert xlsx_file.status_code == 200


@pytest.mark.parametrize("role", ["anonymous", "partner", "oversight", "officer"])
def test_published_measure_is_shown_to_everyone_without_the_warning(
    client_as, users, role
):
    indicator, _ = measure_build(wards=0, quintiles=0)
    response = client_as(users[role]).get(urls(indicator)[0])
    assert response.status_code == 200
    assert WARNING not in page_text(response)


def test_unknown_code_and_format_are_not_found(client_as, users):
    indicator, _ = measure_build(wards=0, quintiles=0)
    client = client_as(users["officer"])
    assert client.get("/indicators/no-such-measure/").status_code == 404
    assert client.get("/indicators/no-such-measure/download.csv").status_code == 404
    for fmt in ("pdf", "json", "CSV", "xls"):
        url = f"/indicators/{indicator.code}/download.{fmt}"
        assert client.get(url).status_code == 404, fmt


SIZES = [
    {"periods": 2, "wards": 1, "quintiles": 5},
    {"periods": 9, "wards": 6, "quintiles": 5},
]


@pytest.mark.parametrize("size", SIZES, ids=["small", "large"])
@pytest.mark.parametrize("role", ["anonymous", "officer"])
def test_page_makes_a_fixed_number_of_queries(
    client_as, users, django_assert_max_num_queries, size, role
):
    indicator, _ = measure_build(**size)
    client = client_as(users[role])
    with django_assert_max_num_queries(PAGE_QUERIES[role]):
        response = client.get(urls(indicator)[0])
    assert response.status_code == 200
    assert f"{2014 + size['periods']}" in page_text(response)


@pytest.mark.parametrize("size", SIZES, ids=["small", "large"])
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_downloads_make_a_fixed_number_of_queries(
    client_as, users, django_assert_max_num_queries, size, fmt
):
    indicator, _ = measure_build(**size)
    client = client_as(users["officer"])
    url = reverse("indicator-download", args=[indicator.code, fmt])
    with django_assert_max_num_queries(DOWNLOAD_QUERIES["officer"]):
        assert client.get(url).status_code == 200
    client = client_as(None)
    with django_assert_max_num_queries(DOWNLOAD_QUERIES["anonymous"]):
        assert client.get(url).status_code == 200
