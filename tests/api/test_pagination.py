"""Lists ordered by another table's columns are paged in two steps (the page's
ids, then its rows: marmot.api.pagination). The pages hold the same rows in the
same order as one query would give, and ``?ordering=`` still applies."""

import datetime as dt

import pytest
from rest_framework.test import APIClient

from marmot import roles
from marmot.api import pagination
from tests.conftest import user_with_role
from tests.workstreams.factories import (
    ActionFactory,
    WorkplanFactory,
    WorkplanPriorityFactory,
    WorkstreamFactory,
)

pytestmark = pytest.mark.django_db
URL = "/api/v1/actions/"


@pytest.fixture
def officer_client():
    client = APIClient()
    client.force_authenticate(user_with_role(roles.OFFICER))
    return client


@pytest.fixture
def actions():
    """Eleven actions whose list order (workstream, newest workplan, priority,
    due date) is not the order they were created in."""
    day = dt.date(2026, 1, 1)
    for display_order in (2, 1):
        workstream = WorkstreamFactory(display_order=display_order)
        for starts_on in (dt.date(2024, 4, 1), dt.date(2025, 4, 1)):
            workplan = WorkplanFactory(
                workstream=workstream,
                starts_on=starts_on,
                ends_on=starts_on + dt.timedelta(days=364),
                year_label=f"{starts_on.year}/{starts_on.year % 100 + 1}",
            )
            for position in (2, 1):
                priority = WorkplanPriorityFactory(workplan=workplan, position=position)
                for days in (30, 10):
                    ActionFactory(
                        workplan=workplan,
                        priority=priority,
                        due_date=day + dt.timedelta(days=days * position),
                    )


def every_page(client, query: str) -> list[int]:
    ids, url = [], f"{URL}?page_size=3{query}"
    while url:
        body = client.get(url).json()
        ids += [row["id"] for row in body["results"]]
        assert body["count"] == 16
        url = body["next"]
    return ids


@pytest.mark.parametrize("query", ["", "&ordering=-start_date", "&ordering=due_date"])
def test_pages_match_one_step_paging(actions, officer_client, monkeypatch, query):
    two_steps = every_page(officer_client, query)
    monkeypatch.setattr(pagination, "_sorts_across_tables", lambda queryset: False)
    one_step = every_page(officer_client, query)
    assert two_steps == one_step
    assert len(set(two_steps)) == 16
    if not query:
        assert two_steps != sorted(two_steps)  # the order is the list's own


def test_only_lists_ordered_across_tables_take_two_steps(actions):
    from workstreams.models import Action, Workstream

    assert pagination._sorts_across_tables(
        Action.objects.order_by("workplan__starts_on", "id")
    )
    assert not pagination._sorts_across_tables(Action.objects.order_by("-due_date"))
    assert not pagination._sorts_across_tables(Workstream.objects.all())
    assert not pagination._sorts_across_tables(
        Action.objects.order_by("workplan__starts_on").values("id")
    )


def test_ordering_by_a_field_with_ties_ends_with_the_primary_key(
    actions, officer_client, monkeypatch
):
    from workstreams.api.views import actions as action_views

    seen = []
    real = action_views.ActionViewSet.paginate_queryset

    def spy(self, queryset):
        seen.append(list(queryset.query.order_by))
        return real(self, queryset)

    monkeypatch.setattr(action_views.ActionViewSet, "paginate_queryset", spy)
    officer_client.get(f"{URL}?ordering=due_date")
    officer_client.get(f"{URL}?ordering=-updated_at,status")
    assert seen == [["due_date", "pk"], ["-updated_at", "status", "pk"]]
