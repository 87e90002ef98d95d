"""Check your answers before a submission is sent (issue 17): the form at
/submit/ goes to /submit/check/ (a GOV.UK summary list with "Change" links
back to the form, the answers kept in the session); nothing is made until
"Send". (Sending twice: tests/site/test_double_submit.py.)"""

import re

import pytest
from django.core import mail
from django.urls import reverse

from tests.conftest import make_role_users, rolled_back_after
from tests.workstreams.fixtures import (
    build_submission_world,
    submission_form_data,
    summary_links,
)
from workstreams.models import Submission

pytestmark = pytest.mark.django_db
FORM, CHECK = "/submit/", "/submit/check/"


@pytest.fixture(scope="module")
def world_once(django_db_setup, django_db_blocker):
    with rolled_back_after(django_db_blocker):
        yield build_submission_world(make_role_users)


@pytest.fixture
def world(world_once, db):
    return world_once


def summary(html: str) -> dict[str, str]:
    """The check page's rows: key → value text."""
    rows = re.findall(
        r'<dt class="govuk-summary-list__key">([^<]+)</dt>\s*'
        r'<dd class="govuk-summary-list__value[^"]*">(.*?)</dd>',
        html,
        flags=re.S,
    )
    return {
        key: " ".join(re.sub(r"<[^>]+>", " ", value).split()) for key, value in rows
    }


def test_the_answers_are_checked_then_sent(
    world, client_as, django_capture_on_commit_callbacks
):
    assert reverse("submission-check") == CHECK
    client = client_as(world.users["partner"])
    before = Submission.objects.count()
    answered = client.post(FORM, submission_form_data(world))
    assert answered["Location"] == CHECK
    assert Submission.objects.count() == before  # nothing made yet
    html = client.get(CHECK).content.decode()
    assert '<h1 class="govuk-heading-l">Check your answers before sending' in html
    rows = summary(html)
    assert rows["Workstream"] == "Housing and communities"
    assert rows["Title"] == "Winter warmth checks"
    assert rows["Start date"] == "1 October 2024"
    assert rows["Logic model activity it supports"] == "Advice on damp"
    assert rows["Link to evidence"] == "https://example.org/evidence"
    assert rows["Marmot principles it serves"].startswith("1. ")
    assert "Organisation" not in rows  # a partner submits for their own
    change = '">Change<span class="govuk-visually-hidden"> title</span>'
    assert f'href="{FORM}?change=title#id_title{change}' in html
    assert f'href="{FORM}?change=start_date#id_start_date_day"' in html
    # "Change": the form again, with the answers kept
    changing = client.get(f"{FORM}?change=title").content.decode()
    assert 'value="Winter warmth checks"' in changing
    assert f'<option value="{world.activities[1].pk}" selected>' in changing
    client.post(FORM, submission_form_data(world, title="Winter warmth visits"))
    assert (
        summary(client.get(CHECK).content.decode())["Title"] == "Winter warmth visits"
    )
    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(CHECK, {"form_token": ""})
    made = Submission.objects.get(title="Winter warmth visits")
    assert sent["Location"] == reverse("submission-sent", args=[made.pk])
    assert len(mail.outbox) == 1
    # the draft is gone: the check page sends back to the form
    again = client.get(CHECK)
    assert again["Location"] == FORM
    assert Submission.objects.count() == before + 1


def test_an_officer_checks_the_organisation_too(world, client_as):
    client = client_as(world.users["officer"])
    client.post(FORM, submission_form_data(world, organisation=world.other_org.pk))
    rows = summary(client.get(CHECK).content.decode())
    assert rows["Organisation"] == "Testshire College"


def test_a_fresh_visit_to_the_form_forgets_the_draft(world, client_as):
    client = client_as(world.users["partner"])
    client.post(FORM, submission_form_data(world))
    fresh = client.get(FORM).content.decode()
    assert 'value="Winter warmth checks"' not in fresh
    assert client.get(CHECK)["Location"] == FORM


@pytest.mark.parametrize(
    "overrides, anchor, message",
    [
        (
            {"supports_activity": "OTHER"},
            "id_supports_activity",
            "Choose an activity of the Housing and communities workstream, or none.",
        ),
        (
            {"end_date_year": "2023"},
            "id_end_date_day",
            "The end date must be the same as or after the start date.",
        ),
    ],
)
def test_what_send_would_refuse_stops_at_the_form(
    world, client_as, overrides, anchor, message
):
    if overrides.get("supports_activity") == "OTHER":
        overrides = {"supports_activity": world.other_activity.pk}
    client = client_as(world.users["partner"])
    response = client.post(FORM, submission_form_data(world, **overrides))
    assert response.status_code == 200
    assert summary_links(response) == [(anchor, message)]
    assert client.get(CHECK)["Location"] == FORM  # no draft kept


def test_the_form_says_continue_not_send(world, client_as):
    html = client_as(world.users["partner"]).get(FORM).content.decode()
    assert ">Continue</button>" in html
    assert "You can check your answers before you send it." in html
