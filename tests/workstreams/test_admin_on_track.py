"""The workstream admin's "Is it on track?" section (ADR 19): it shows the
rule's judgement and sets or clears the override through the services."""

import datetime as dt

import pytest
from django.urls import reverse

from marmot import roles
from tests.conftest import user_with_role
from tests.workstreams.factories import (
    ActionFactory,
    PlaceFactory,
    WorkplanFactory,
    WorkstreamFactory,
)
from workstreams.models import Action, Workplan

pytestmark = pytest.mark.django_db

LATER = dt.date.today() + dt.timedelta(days=60)


@pytest.fixture
def officer_client(client):
    officer = user_with_role(roles.OFFICER, username="officer", is_staff=True)
    client.force_login(officer)
    client.officer = officer
    return client


@pytest.fixture
def workstream():
    PlaceFactory()
    workstream = WorkstreamFactory(name="Housing", slug="housing")
    workplan = WorkplanFactory(
        workstream=workstream,
        status=Workplan.Status.SIGNED_OFF,
        signed_off_on=dt.date(2026, 5, 1),
    )
    ActionFactory(workplan=workplan, rag=Action.Rag.RED, due_date=LATER)
    ActionFactory.create_batch(3, workplan=workplan, due_date=LATER)
    return workstream


def change_url(workstream) -> str:
    return reverse("admin:workstreams_workstream_change", args=[workstream.pk])


def form_data(client, workstream, **changes) -> dict:
    """The change form's current values, with ``changes``."""
    form = client.get(change_url(workstream)).context["adminform"].form
    data = {}
    for name, field in form.fields.items():
        if field.disabled:
            continue
        value = form[name].value()
        if isinstance(value, list | tuple):
            data[name] = [str(v) for v in value]
        elif value is not None:
            data[name] = str(value)
    return {**data, **changes}


def test_the_change_page_says_what_the_rule_judges(officer_client, workstream):
    response = officer_client.get(change_url(workstream))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Is it on track?" in html
    assert (
        "The rule judges the 2024/25 workplan “Some concerns”: "
        "1 of 4 open actions red." in html
    )


def test_an_officer_overrides_and_clears_through_the_services(
    officer_client, workstream
):
    data = form_data(
        officer_client,
        workstream,
        override_judgement="on_track",
        override_reason="Funding confirmed at the board.",
    )
    response = officer_client.post(change_url(workstream), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    workstream.refresh_from_db()
    assert workstream.on_track_override == "on_track"
    assert workstream.on_track_rule_said == "some_concerns"
    assert workstream.on_track_set_by == officer_client.officer
    assert workstream.history.first().history_user == officer_client.officer
    data = form_data(officer_client, workstream, override_judgement="")
    response = officer_client.post(change_url(workstream), data)
    assert response.status_code == 302
    workstream.refresh_from_db()
    assert workstream.on_track_override == ""
    assert workstream.on_track_reason == ""


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"override_judgement": "on_track"}, "override_reason", "Give the reason"),
        (
            {"override_judgement": "some_concerns", "override_reason": "x"},
            "override_judgement",
            "The rule already judges this workstream",
        ),
    ],
)
def test_bad_overrides_are_refused_on_their_field(
    officer_client, workstream, changes, field, message
):
    data = form_data(officer_client, workstream, **changes)
    response = officer_client.post(change_url(workstream), data)
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert message in " ".join(errors[field])
    workstream.refresh_from_db()
    assert workstream.on_track_override == ""
