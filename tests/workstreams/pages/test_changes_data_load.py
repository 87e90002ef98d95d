"""Loading a place's data is set-up, not activity: /changes/ leaves it out,
while what people do afterwards still shows (issue 13)."""

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from indicators.models import Assessment
from marmot import roles
from marmot.history import DATA_LOAD
from tests.conftest import user_with_role
from workstreams.models import Action
from workstreams.services import action_update

pytestmark = pytest.mark.django_db

SUMMARY = (
    "New actions",
    "Actions completed",
    "Other status changes",
    "RAG rating changes",
    "Progress updates",
    "New values of outcome measures",
    "Changed assessments",
)


def changes(client, fmt=""):
    since = timezone.localdate() - dt.timedelta(days=1)
    query = f"since={since}" + (f"&format={fmt}" if fmt else "")
    response = client.get(f"{reverse('changes')}?{query}")
    assert response.status_code == 200
    return response.content.decode("utf-8").lstrip("\ufeff")


@pytest.fixture
def officer_client(client):
    client.force_login(user_with_role(roles.OFFICER))
    return client


def test_the_load_marks_its_history(luton_shared):
    assert Action.history.exists()
    assert not Action.history.exclude(history_change_reason=DATA_LOAD).exists()
    assert not Assessment.history.exclude(history_change_reason=DATA_LOAD).exists()


def test_after_the_load_nothing_is_new_activity(officer_client, luton_shared):
    html = changes(officer_client)
    for words in SUMMARY:
        assert (
            f'<dt class="govuk-summary-list__key">{words}</dt>\n'
            '    <dd class="govuk-summary-list__value">None</dd>'
        ) in html, words
    assert "Not recorded" not in html
    rows = list(csv.reader(io.StringIO(changes(officer_client, "csv"))))
    assert len(rows) == 1  # the header only


def test_a_chairs_later_edit_shows(officer_client, luton_shared):
    action = Action.objects.exclude(rag="red").order_by("pk").first()
    chair = user_with_role(
        roles.WORKSTREAM_CHAIR, username="chair", first_name="Cara", last_name="Chair"
    )
    action_update(action=action, rag="red")
    action.history.filter(history_change_reason=None).update(history_user=chair)

    rows = list(csv.DictReader(io.StringIO(changes(officer_client, "csv"))))

    assert [(r["Item"], r["Change"], r["To"], r["Who"]) for r in rows] == [
        (action.title, "RAG rating changed", "Red – off track", "Cara Chair")
    ]
    html = changes(officer_client)
    assert "Not recorded" not in html
