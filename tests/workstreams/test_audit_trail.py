"""The audit trail (django-simple-history): which models keep history, that
the admin shows it, and who is recorded for changes made through the site,
the API and management commands."""

from io import StringIO

import pytest
from django.contrib import admin
from django.core.management import call_command
from django.urls import reverse
from rest_framework.test import APIClient
from simple_history.manager import HistoryManager

from indicators.models import Indicator, IndicatorValue
from marmot.admin_helpers import HistoryAdmin
from tests.conftest import api_token_for
from tests.workstreams.factories import WorkstreamFactory
from tests.workstreams.fixtures import action_form_data, build_world
from workstreams import services
from workstreams.models import (
    Action,
    LogicModel,
    LogicModelItem,
    Submission,
    Workplan,
    Workstream,
)

AUDITED = [
    Workstream,
    LogicModel,
    LogicModelItem,
    Workplan,
    Action,
    Submission,
    Indicator,
    IndicatorValue,
]


@pytest.mark.parametrize("model", AUDITED, ids=lambda m: m.__name__)
def test_the_model_keeps_history_and_its_admin_shows_it(model):
    assert isinstance(model.history, HistoryManager)
    # In words, without simple-history's unseen diffs (ADR 37).
    assert isinstance(admin.site._registry[model], HistoryAdmin)


@pytest.fixture
def world(role_users):
    return build_world(role_users)


def latest(action) -> object:
    return Action.history.filter(id=action.pk).order_by("-history_id").first()


@pytest.mark.django_db
def test_an_edit_on_the_site_records_who_made_it(world, client_as):
    chair = world.users["chair"]
    response = client_as(chair).post(
        reverse("action-edit", args=[world.action.pk]),
        action_form_data(world, title="Renamed on the site", row_version="1"),
    )
    assert response.status_code == 302
    # The row and each list of links it set: all recorded as the chair's.
    records = Action.history.filter(id=world.action.pk, title="Renamed on the site")
    assert records.count() > 1
    assert {record.history_user for record in records} == {chair}


@pytest.mark.django_db
def test_an_api_write_records_who_made_it(world):
    """Token authentication happens in the view, after the middleware: DRF
    hands the user to the request the history middleware holds."""
    chair = world.users["chair"]
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_token_for(chair)}")
    url = f"/api/v1/actions/{world.action.pk}/"
    etag = client.get(url)["ETag"]
    response = client.patch(url, {"rag": "red"}, format="json", HTTP_IF_MATCH=etag)
    assert response.status_code == 200, response.content
    record = latest(world.action)
    assert (record.rag, record.history_user) == ("red", chair)


@pytest.mark.django_db
def test_outside_a_request_no_user_is_recorded_and_nothing_fails(world, client_as):
    # A request first: the middleware must not leave its user behind.
    client_as(world.users["chair"]).get(
        reverse("action-detail", args=[world.action.pk])
    )
    services.action_update(action=world.action, rag="amber")
    assert latest(world.action).history_user is None
    workstream = WorkstreamFactory(slug="demo", chair=None)
    call_command("create_demo_accounts", "--force", stdout=StringIO())
    record = workstream.history.order_by("-history_id").first()
    assert record.chair.username == "chair-demo"
    assert record.history_user is None


@pytest.mark.django_db
def test_the_admin_history_page_lists_who_changed_what(world, client_as):
    services.action_update(action=world.action, rag="red")
    officer = world.users["officer"]
    client = client_as(officer)
    response = client.get(
        reverse("admin:workstreams_action_history", args=[world.action.pk])
    )
    assert response.status_code == 200
    assert "RAG changed from “Green — on track” to “Red — off track”." in (
        response.content.decode()
    )
