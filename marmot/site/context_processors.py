"""Template context every page gets: the place's name and the navigation."""

from django.urls import NoReverseMatch, reverse

from marmot.principals import principal_for
from marmot.site.place import place_current, service_name


def place(request):
    """The deployment's place (one query, cached on the request)."""
    cached = getattr(request, "_marmot_place", False)
    if cached is False:
        cached = place_current()
        request._marmot_place = cached
    return {"place": cached, "service_name": service_name(cached)}


def _reverse_or_none(name: str) -> str | None:
    try:
        return reverse(name)
    except NoReverseMatch:  # a section not wired in this deployment
        return None


NAVIGATION = (
    ("Overview", "home"),
    ("Programme", "programme"),
    ("Dashboard", "dashboard"),
    ("Measures table", "measures-table"),
    ("Recommendations", "recommendations"),
    ("Changes", "changes"),
)


def navigation(request):
    """The service navigation, with the current section marked."""
    path = request.path
    items = []
    for label, name in NAVIGATION:
        try:
            href = reverse(name)
        except NoReverseMatch:  # a section not wired in this deployment
            continue
        current = path == href if href == "/" else path.startswith(href)
        items.append({"label": label, "href": href, "current": current})
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        # Those `workstreams.rules.can_view_chair_home` lets in (the principal
        # is cached on the user: the page has usually asked already).
        principal = principal_for(user)
        if principal.officer or principal.chaired_workstream_ids:
            href = _reverse_or_none("chair-home")
            if href is not None:
                current = path.startswith(href)
                items.append(
                    {"label": "Your workstreams", "href": href, "current": current}
                )
        # Signed-in people: partners, chairs, officers, oversight (no query:
        # the page already loads the user; the list refuses anyone else).
        href = reverse("submission-list")
        current = path.startswith(href) or path == reverse("submission-create")
        items.append({"label": "Submissions", "href": href, "current": current})
    return {"navigation": items}
