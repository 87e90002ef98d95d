"""The progress page's body is cached per set of roles: served again without
the page's own queries, changed at once by any change to what it shows, shared
by visitors whose roles are the same and never by any others, so drafts and
edit links never leak."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from indicators.models import Place
from marmot import roles
from marmot.site.data_version import data_version
from tests.conftest import clients_signed_in, user_with_role
from tests.indicators.factories import IndicatorFactory, IndicatorValueFactory
from tests.workstreams.factories import ProgressUpdateFactory, UserFactory
from tests.workstreams.pages.fixtures import URL, actions, housing, text
from workstreams.models import Action, Workplan

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


def page(client, query: str = "") -> str:
    response = client.get(URL + query)
    assert response.status_code == 200
    return text(response.content.decode())


def main(page_text: str) -> str:
    """The page's words between the breadcrumbs and the footer."""
    return page_text.split("Overview", 1)[1].split("Signed in as")[0]


def test_a_second_anonymous_visit_reads_only_the_version(
    client, django_assert_num_queries
):
    _workstream, workplan = housing()
    actions(workplan)
    first = client.get(URL).content
    with django_assert_num_queries(2):  # the version, the layout's place
        second = client.get(URL).content
    assert second == first


def test_every_kind_of_change_shows_at_once(client):
    workstream, workplan = housing()
    made = actions(workplan)
    assert "Insulate council homes" in page(client)

    made["red"].title = "Retitled action"
    made["red"].save()
    assert "Retitled action" in page(client)

    made["red"].delete()
    assert "Retitled action" not in page(client)

    ProgressUpdateFactory(
        action=made["amber"], text="A brand new update.", reported_on=dt.date.today()
    )
    assert "A brand new update." in page(client)

    # Deputies are named to signed-in readers only (ADR 26).
    client.force_login(user_with_role(roles.OVERSIGHT_MEMBER, username="reader"))
    deputy = UserFactory(first_name="Zoe", last_name="Quinn")
    workstream.deputies.add(deputy)
    assert "Zoe Quinn" in page(client)
    deputy.first_name = "Zara"
    deputy.save()
    assert "Zara Quinn" in page(client)
    workstream.deputies.remove(deputy)
    assert "Zara Quinn" not in page(client)
    client.logout()

    priority = workplan.priorities.get(title="Healthy homes")
    priority.title = "Healthier homes"
    priority.save()
    assert "Healthier homes" in page(client)

    indicator = IndicatorFactory(name="Fuel poverty rate", is_published=True)
    indicator.workstreams.add(workstream)
    assert "Fuel poverty rate" in page(client)
    IndicatorValueFactory(
        indicator=indicator,
        area=Place.objects.get().area,
        value=12.375,
        lower95=None,
        upper95=None,
    )
    assert "12.4" in page(client)

    Workplan.objects.filter(pk=workplan.pk).update(status=Workplan.Status.DRAFT)
    workplan.refresh_from_db()
    workplan.save()  # as the services do: a save stamps updated_at
    assert "no published workplan yet" in page(client)


def test_filters_and_days_have_their_own_entries(client):
    _workstream, workplan = housing()
    actions(workplan)
    assert "Showing" not in page(client)
    assert "Showing 2 of" in page(client, "?status=planned")
    assert "Showing" not in page(client)


def test_signed_in_visitors_never_get_the_anonymous_body(role_users, client_as):
    workstream, workplan = housing(status=Workplan.Status.DRAFT)
    actions(workplan)
    users = role_users(chair_of=workstream)
    anonymous = page(client_as(users["anonymous"]))
    assert "no published workplan yet" in anonymous
    chair = page(client_as(users["chair"]))
    assert "Insulate council homes" in chair and "Add an action" in chair
    # and the chair's page is not cached for the anonymous visitor either
    assert page(client_as(users["anonymous"])) == anonymous
    assert Action.objects.filter(workplan=workplan).exists()


def test_visitors_with_the_same_roles_share_one_body(
    role_users, client_as, django_assert_max_num_queries
):
    workstream, workplan = housing(status=Workplan.Status.DRAFT)
    actions(workplan)
    users = role_users(chair_of=workstream)
    again = client_as(user_with_role(roles.OVERSIGHT_MEMBER, username="colleague"))
    first = page(client_as(users["oversight"]))
    assert "Insulate council homes" in first  # the oversight group reads drafts
    with CaptureQueriesContext(connection) as queries:
        second = page(again)
    assert main(second) == main(first)  # the layout names who is signed in
    assert not [q for q in queries if "workstreams_action" in q["sql"]]


def test_a_body_is_never_served_to_other_roles(role_users):
    workstream, workplan = housing(status=Workplan.Status.DRAFT)
    actions(workplan)
    users = role_users(chair_of=workstream)
    clients = clients_signed_in(users)
    version = data_version()  # no write from here on: every visit can hit
    order = ["chair", "officer", "oversight", "other_chair", "partner", "anonymous"]
    seen = {role: page(clients[role]) for role in order}
    for role in ["chair", "officer"]:
        assert "Add an action" in seen[role]
    for role in ["oversight", "other_chair", "partner", "anonymous"]:
        assert "Add an action" not in seen[role]
    for role in ["other_chair", "partner", "anonymous"]:
        assert "Insulate council homes" not in seen[role]
        assert "no published workplan yet" in seen[role]
    # the same visits in the opposite order give the same pages
    cache.clear()
    for role in reversed(order):
        assert page(clients[role]) == seen[role]
    assert data_version() == version
