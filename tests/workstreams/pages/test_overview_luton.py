"""Overview, progress and recommendations pages on Luton's real data (slow: one
test loads it once)."""

import re

import pytest

from workstreams.models import Workstream

pytestmark = pytest.mark.django_db


def text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_luton_pages_as_the_public_and_as_oversight(luton, role_users, client_as):
    users = role_users()
    slugs = list(Workstream.objects.values_list("slug", flat=True))
    public = client_as(None)
    home = text(public.get("/").content.decode())
    assert home.count("Workplan No published workplan yet") == len(slugs) == 4
    # The table's 27, the 2 outcomes awaiting a measure and the council page's
    # context measure (children in low income households), not the output KPIs.
    assert "Of 30 outcome measures" in home
    assert "All measures 30" in home
    assert "The programme as a whole : its timeline" in home  # the link, then ":"
    for slug in slugs:
        page = text(public.get(f"/workstreams/{slug}/").content.decode())
        assert "This workstream has no published workplan yet" in page
    recommendations = text(public.get("/recommendations/").content.decode())
    assert "of 10 recommendations" in recommendations
    assert "Marmot report recommendations" in recommendations
    assert "Evaluation recommendations" in recommendations

    oversight = client_as(users["oversight"])
    home = text(oversight.get("/").content.decode())
    assert "No published workplan yet" not in home
    assert "In consultation with partners" in home and "Draft" in home
    housing = text(oversight.get("/workstreams/housing/").content.decode())
    assert "Next steps Sign-off workplan in October meeting Planned" in housing
    assert "Households in fuel poverty" in housing
