"""The anonymous progress page is cached: served again without the page's own
queries, changed at once by any change to what it shows, never handed to a
signed-in visitor (whose page depends on role), never leaking drafts."""

import datetime as dt

import pytest
from django.core.cache import cache

from tests.indicators.factories import IndicatorFactory, IndicatorValueFactory
from tests.site.test_progress import URL, actions, housing, text
from tests.workstreams.factories import ProgressUpdateFactory, UserFactory
from workstreams.models import Action, Place, Workplan

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

    deputy = UserFactory(first_name="Zoe", last_name="Quinn")
    workstream.deputies.add(deputy)
    assert "Zoe Quinn" in page(client)
    deputy.first_name = "Zara"
    deputy.save()
    assert "Zara Quinn" in page(client)
    workstream.deputies.remove(deputy)
    assert "Zara Quinn" not in page(client)

    priority = workplan.priorities.get(title="Healthy homes")
    priority.title = "Healthier homes"
    priority.save()
    assert "Healthier homes" in page(client)

    indicator = IndicatorFactory(name="Fuel poverty rate", is_published=True)
    indicator.workstreams.add(workstream)
    assert "Fuel poverty rate" in page(client)
    IndicatorValueFactory(
        indicator=indicator, area=Place.objects.get().area, published_text="12.5%"
    )
    assert "12.5%" in page(client)

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
