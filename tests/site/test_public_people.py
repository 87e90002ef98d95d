"""What the public may know about people (ADR 26): nothing that identifies a
user. Every public page, export and API list (and each item of it), read as an
anonymous visitor in a world where named users did everything that leaves a
trace, holds no user's name, username, address or id. Signed-in users still
see names.

The pages are `people_world.PUBLIC_PAGES` (checked against the URL × role
matrix there); the API endpoints are every list the API routes, found from its
URLs, so a new endpoint is walked without a change here.
"""

import csv
import io

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from rest_framework.test import APIClient

from tests.site.people_world import (
    CHAIR_ROLE,
    PUBLIC_PAGES,
    build_people_world,
    public_urls,
    traces,
)
from workstreams import rules

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_people_world()


def api_routes(patterns=None, namespace=None):
    """(name, lookup) of every API route in the ``api`` namespace: lists have
    no lookup; details name theirs (pk, slug, code)."""
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(entry, URLResolver):
            yield from api_routes(entry.url_patterns, entry.namespace or namespace)
        elif (
            isinstance(entry, URLPattern)
            and namespace == "api"
            and entry.name
            and "format" not in entry.pattern.regex.groupindex
        ):
            groups = list(entry.pattern.regex.groupindex)
            yield entry.name, groups[0] if groups else None


def api_lists() -> list[str]:
    return sorted({name for name, lookup in api_routes() if lookup is None})


def api_details() -> dict[str, str]:
    return {
        name.removesuffix("-detail"): lookup
        for name, lookup in api_routes()
        if name.endswith("-detail")
    }


def assert_names_nobody(world, url: str, text: str) -> None:
    for user in world.users.values():
        for trace in traces(user):
            assert trace.lower() not in text.lower(), (
                f"{url} shows {trace!r} ({user.get_username()})"
            )


@pytest.mark.parametrize(
    "name, kind",
    [(name, kind) for name, kinds in PUBLIC_PAGES.items() for kind in kinds],
)
def test_public_pages_name_nobody(client, world, name, kind):
    for url in public_urls(world, name, kind):
        response = client.get(url)
        assert response.status_code == 200, url
        assert_names_nobody(world, url, response.content.decode())


def _items(data) -> list:
    if isinstance(data, dict) and isinstance(data.get("results"), list):
        return data["results"]
    return data if isinstance(data, list) else []


@pytest.mark.parametrize("name", api_lists())
def test_public_api_names_nobody(world, name):
    """Each API list the public may read, and each item of it by itself."""
    client = APIClient()
    url = reverse(f"api:{name}")
    response = client.get(url)
    assert response.status_code in (200, 401, 403, 405), url
    if response.status_code != 200:
        return
    # The CSV addresses (values.csv, ...) stream their rows.
    body = (
        b"".join(response.streaming_content) if response.streaming else response.content
    )
    assert_names_nobody(world, url, body.decode())
    lookup = api_details().get(name.removesuffix("-list"))
    if lookup is None:
        return
    for item in _items(response.json()):
        key = item["id"] if lookup == "pk" else item[lookup]
        detail = reverse(f"api:{name.removesuffix('-list')}-detail", args=[key])
        response = client.get(detail)
        assert response.status_code == 200, detail
        assert_names_nobody(world, detail, response.content.decode())


def test_the_api_walk_reaches_the_people_endpoints():
    """The walk finds the lists that carry people (so it walks what it must)."""
    assert {"workstream-list", "progress-update-list", "action-list"} <= set(
        api_lists()
    )


# --- what each reader reads ------------------------------------------------------


def test_the_public_reads_a_chairs_published_role(client, world):
    html = client.get(reverse("workstream-detail", args=["housing"])).content.decode()
    assert CHAIR_ROLE in html
    assert "Deput" not in html  # deputies have no published role
    other = client.get(reverse("workstream-detail", args=["work"])).content.decode()
    assert "Not published" in other


def test_the_public_changes_csv_says_a_programme_user(client, world):
    url = f"{reverse('changes')}?since=2000-01-01&format=csv"
    rows = list(csv.reader(io.StringIO(client.get(url).content.decode())))
    who = {row[6] for row in rows[1:] if row[0] in ("Actions", "Progress updates")}
    assert who == {rules.PUBLIC_PERSON}


def test_the_public_api_answers_null_for_people(world):
    client = APIClient()
    workstream = client.get(reverse("api:workstream-detail", args=["housing"])).json()
    assert workstream["chair"] is None
    assert workstream["chair_role"] == CHAIR_ROLE
    updates = _items(client.get(reverse("api:progress-update-list")).json())
    assert updates and all(update["author"] is None for update in updates)


@pytest.mark.parametrize("role", ["partner", "oversight", "officer"])
def test_signed_in_users_still_see_names(client_as, world, role):
    chair, partner = world.users["chair"], world.users["partner"]
    client = client_as(world.users[role])
    changes = client.get(f"{reverse('changes')}?since=2000-01-01").content.decode()
    assert chair.get_full_name() in changes and partner.get_full_name() in changes
    page = client.get(reverse("workstream-detail", args=["housing"])).content.decode()
    assert f"{chair.get_full_name()}, {CHAIR_ROLE}" in page
    assert world.users["deputy"].get_full_name() in page

    api = APIClient()
    api.force_authenticate(world.users[role])
    workstream = api.get(reverse("api:workstream-detail", args=["housing"])).json()
    assert workstream["chair"] == {"id": chair.pk, "name": chair.get_full_name()}
    updates = _items(api.get(reverse("api:progress-update-list")).json())
    assert {update["author"] for update in updates} >= {chair.pk, partner.pk}
