"""URL names are unique: a duplicated name makes `reverse` pick whichever
pattern comes last, so a page link could silently point into the API."""

from collections import defaultdict

from django.urls import URLPattern, URLResolver, get_resolver, reverse


def names(patterns, namespace=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            if entry.namespace == "admin":
                continue  # Django's own
            yield from names(entry.url_patterns, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            view = getattr(entry.callback, "cls", entry.callback)
            yield f"{namespace}{entry.name}", view


def test_no_two_routes_share_a_name():
    views = defaultdict(set)  # a route and its ".json" twin share one view
    for name, view in names(get_resolver().url_patterns):
        views[name].add(view)
    # DRF's routers each add a root view; both sit on the same path.
    views.pop("api:api-root", None)
    assert [name for name, found in views.items() if len(found) > 1] == []


def test_api_routes_are_namespaced_apart_from_pages():
    assert reverse("dashboard") == "/dashboard/"
    assert reverse("api:dashboard") == "/api/v1/dashboard/"
    assert reverse("action-detail", args=[3]) == "/actions/3/"
    assert reverse("api:action-detail", args=[3]) == "/api/v1/actions/3/"
