"""Control characters in a URL's path parameters give a 4xx, never a 5xx.

PostgreSQL refuses a NUL character in text, so a lookup such as
``/api/v1/workstreams/%00/`` or ``/indicators/a%00b/`` that reaches the
database unchecked fails with a server error (SQLite just finds nothing, so
only CI on PostgreSQL sees it). Every route with a path parameter, API and
site pages alike, is found by walking the URL resolver, so a new route is
covered without listing it here; each gets NUL and other control characters
in each parameter, as anonymous and as an officer, for every method.
``marmot.site.path_guard`` answers 404 for them before any view runs.

Ids that are not numbers, or too big for the database, in the API's id routes
are checked the same way: each view must answer 404, not fail converting them.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from marmot import roles
from tests.conftest import user_with_role

pytestmark = pytest.mark.django_db

# Percent-encoded as a client would send them; the placeholder marks the
# parameter in a reversed URL.
CONTROLS = {
    "nul": "%00",
    "nul_inside": "a%00b",
    "controls": "a%01%1F%7Fb",
    "nul_newline": "%00%0A",
}
PLACEHOLDER = {"int": 987654321, "default": "zzplaceholderzz"}
ODD_IDS = {
    "letters": "abc",
    "negative": "-1",
    "exponent": "1e3",
    "too_big": "99999999999999999999",
}
# Views that look an id up with Django's get_object_or_404, which lets the
# ValueError of a non-numeric id through as a 500 (fix in indicators: use
# self.get_object() or rest_framework.generics.get_object_or_404).
OTHER_VALUE = "csv"  # the other parameters of a route (e.g. a download format)
METHODS = ("get", "post", "put", "patch", "delete")
SKIPPED_PREFIXES = ("admin/",)  # Django's admin is Django's, not ours


def _routes(patterns=None, prefix="", namespace=""):
    """(route text, reversible name, parameter names) for each named URL
    pattern with a path parameter (a format suffix is not one)."""
    if patterns is None:
        patterns = get_resolver().url_patterns
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}{pattern.namespace}:"
            yield from _routes(pattern.url_patterns, route, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            regex = pattern.pattern.regex
            params = [name for name in regex.groupindex if name != "format"]
            if params and not route.startswith(SKIPPED_PREFIXES):
                yield route, namespace + pattern.name, params, pattern.pattern


def _cases():
    seen = set()
    for _route, name, params, pattern in _routes():
        converters = getattr(pattern, "converters", {})
        for param in params:
            if (name, param) in seen:  # the format-suffix twin of a route
                continue
            seen.add((name, param))
            kind = (
                "int" if type(converters.get(param)).__name__ == "IntConverter" else ""
            )
            yield pytest.param(name, param, params, kind, id=f"{name}[{param}]")


def _url_with(name, param, params, kind, control):
    placeholder = PLACEHOLDER.get(kind, PLACEHOLDER["default"])
    kwargs = dict.fromkeys(params, OTHER_VALUE)
    kwargs[param] = placeholder
    return reverse(name, kwargs=kwargs).replace(str(placeholder), control, 1)


@pytest.fixture
def officer():
    roles.roles_ensure_groups()
    return user_with_role(roles.OFFICER, username="officer", is_staff=True)


def _failures(client, users, url_for, values):
    """Each value in the route, as each user, by each method: whatever is not
    a 4xx (or an anonymous visitor's redirect to sign in) is a failure."""
    failures = []
    for user in users:
        client.logout()
        if user is not None:
            client.force_login(user)
        who = "officer" if user else "anonymous"
        for label, value in values.items():
            url = url_for(value)
            for method in METHODS:
                try:
                    status = getattr(client, method)(url).status_code
                except Exception as exc:  # noqa: BLE001 - report every failure
                    failures.append(f"{who} {method.upper()} {url} ({label}): {exc!r}")
                    continue
                redirected = user is None and status in (301, 302)
                if not (400 <= status < 500 or redirected):
                    failures.append(f"{who} {method.upper()} {url} ({label}): {status}")
    return failures


@pytest.mark.parametrize(("name", "param", "params", "kind"), list(_cases()))
def test_control_characters_in_path_give_4xx(
    client, officer, name, param, params, kind
):
    failures = _failures(
        client,
        (None, officer),
        lambda value: _url_with(name, param, params, kind, value),
        CONTROLS,
    )
    assert not failures, "\n".join(failures)


def _id_cases():
    for case in _cases():
        name, param = case.values[0], case.values[1]
        if name.startswith("api:") and param == "pk":
            yield case


@pytest.mark.parametrize(("name", "param", "params", "kind"), list(_id_cases()))
def test_odd_ids_give_4xx(client, officer, name, param, params, kind):
    failures = _failures(
        client,
        (officer,),
        lambda value: _url_with(name, param, params, kind, value),
        ODD_IDS,
    )
    assert not failures, "\n".join(failures)


def test_the_walk_finds_api_and_site_lookups():
    """Guard the walk itself: it must reach the slug and code lookups."""
    names = {case.values[0] for case in _cases()}
    assert {
        "api:workstream-detail",
        "api:indicator-detail",
        "api:area-detail",
        "workstream-detail",
        "indicator-detail",
    } <= names
