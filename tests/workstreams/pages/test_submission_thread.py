"""The conversation on a submission's page (issue 17): the chair asks for more
information, the partner replies (a message, or with an edit that resubmits),
both read the thread oldest first with names, the chair sees what changed,
and accepting dates outside the workplan asks for confirmation. Also the
partner's "Your organisation's actions" links and the autocomplete markup of
the long selects."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from tests.conftest import make_role_users, rolled_back_after
from tests.workstreams.fixtures import (
    build_submission_world,
    summary_links,
)
from workstreams import services
from workstreams.models import Submission, SubmissionMessage

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def world_once(django_db_setup, django_db_blocker):
    with rolled_back_after(django_db_blocker):
        world = build_submission_world(make_role_users)
        chair = world.users["chair"]
        chair.first_name, chair.last_name = "Chris", "Chair"
        chair.save()
        yield world


@pytest.fixture
def world(world_once, db):
    return world_once


def detail(submission):
    return reverse("submission-detail", args=[submission.pk])


def thread_of(html: str) -> list[str]:
    """The conversation's headings, in page order."""
    section = html.split('id="conversation"', 1)[1]
    return re.findall(r'<h3 class="govuk-heading-s[^"]*">([^<]+)</h3>', section)


def test_asking_replying_and_resubmitting_on_the_site(world, client_as):
    submission = world.submission
    chair = client_as(world.users["chair"])
    asked = chair.post(
        detail(submission), {"decision": "more_info", "reason": "Which libraries?"}
    )
    assert asked["Location"] == detail(submission)
    partner = client_as(world.users["partner"])
    page = partner.get(detail(submission)).content.decode()
    assert thread_of(page) == ["Request for information from Chris Chair"]
    assert "Which libraries?" in page
    reply = partner.post(
        reverse("submission-message-create", args=[submission.pk]),
        {"body": "The three in the north."},
    )
    assert reply["Location"] == detail(submission) + "#conversation"
    # the edit form asks for a reply first, and saving resubmits
    edit_url = reverse("submission-edit", args=[submission.pk])
    form = partner.get(edit_url).content.decode()
    assert form.index('name="reply"') < form.index('name="title"')
    data = {
        "workstream": world.own.pk,
        "title": submission.title,
        "description": submission.description,
        "lead_contact": submission.lead_contact,
        "start_date_day": "1",
        "start_date_month": "10",
        "start_date_year": "2024",
        "supports_activity": world.activities[0].pk,
        "row_version": Submission.objects.get(pk=submission.pk).row_version,
        "reply": "Added the start date and the activity.",
    }
    assert partner.post(edit_url, data)["Location"] == detail(submission)
    saved = Submission.objects.get(pk=submission.pk)
    assert saved.status == Submission.Status.SUBMITTED
    assert saved.description == submission.description
    page = client_as(world.users["chair"]).get(detail(submission)).content.decode()
    assert thread_of(page) == [
        "Request for information from Chris Chair",
        f"Reply from {world.users['partner'].get_full_name()}",
        f"Reply from {world.users['partner'].get_full_name()}",
    ]
    changes = page.split('id="changes"', 1)[1].split('id="conversation"', 1)[0]
    assert '<dt class="govuk-summary-list__key">Start date</dt>' in changes
    assert "<strong>Was:</strong> None given" in changes
    assert "<strong>Now:</strong> 1 October 2024" in changes
    assert "<strong>Now:</strong> Retrofit council homes" in changes
    assert "Description" not in changes  # unchanged fields are not listed


@pytest.mark.parametrize(
    "role, form_shown",
    [("partner", True), ("chair", True), ("oversight", False)],
)
def test_who_sees_the_message_form(world, client_as, role, form_shown):
    html = client_as(world.users[role]).get(detail(world.submission)).content.decode()
    assert ('name="body"' in html) is form_shown
    assert "No messages yet." in html


def test_an_empty_message_is_a_field_error(world, client_as):
    response = client_as(world.users["partner"]).post(
        reverse("submission-message-create", args=[world.submission.pk]),
        {"body": " "},
    )
    assert response.status_code == 200
    assert summary_links(response) == [("id_body", "Enter your message")]
    assert "<title>Error: " in response.content.decode()
    assert not SubmissionMessage.objects.exists()


def test_a_decided_submissions_conversation_is_closed(world, client_as):
    services.submission_reject(
        submission=world.submission, user=world.users["chair"], reason="No."
    )
    client = client_as(world.users["partner"])
    assert 'name="body"' not in client.get(detail(world.submission)).content.decode()
    refused = client.post(
        reverse("submission-message-create", args=[world.submission.pk]),
        {"body": "Why?"},
    )
    assert refused.status_code == 403


def test_accepting_outside_the_workplan_asks_for_confirmation(world, client_as):
    Submission.objects.filter(pk=world.submission.pk).update(
        start_date=dt.date(2025, 1, 1), end_date=dt.date(2026, 6, 30)
    )
    client = client_as(world.users["chair"])
    page = client.get(detail(world.submission)).content.decode()
    assert 'name="confirm_outside_plan"' in page
    assert "fall outside the 2024/25 workplan" in page
    data = {"decision": "accept", "workplan": world.workplan.pk}
    refused = client.post(detail(world.submission), data)
    assert refused.status_code == 200
    [(anchor, message)] = summary_links(refused)
    assert anchor == "id_confirm_outside_plan"
    assert message.startswith("The submission's dates (1 January 2025 to 30 June 2026)")
    assert Submission.objects.get(pk=world.submission.pk).status == "submitted"
    accepted = client.post(
        detail(world.submission), {**data, "confirm_outside_plan": "on"}
    )
    assert accepted["Location"] == detail(world.submission)
    assert Submission.objects.get(pk=world.submission.pk).status == "accepted"


def test_dates_inside_the_workplan_need_no_confirmation(world, client_as):
    Submission.objects.filter(pk=world.submission.pk).update(
        start_date=dt.date(2024, 6, 1), end_date=dt.date(2025, 3, 31)
    )
    page = client_as(world.users["chair"]).get(detail(world.submission))
    assert 'name="confirm_outside_plan"' not in page.content.decode()


def test_your_organisations_actions_link_to_each_action(world, client_as):
    html = client_as(world.users["partner"]).get(reverse("submission-list"))
    html = html.content.decode().split("Your organisation's actions</h2>", 1)[1]
    for action in (world.action, world.other_action):  # draft and signed off
        assert (
            f'href="{reverse("action-detail", args=[action.pk])}">{action.title}'
            in html
        )
    page = client_as(world.users["partner"]).get(
        reverse("action-detail", args=[world.action.pk])
    )
    assert page.status_code == 200


@pytest.mark.parametrize(
    "url, selects",
    [
        ("/submit/", ["supports_activity", "supports_recommendation"]),
        ("action-create", ["lead_organisation"]),
    ],
)
def test_long_selects_are_marked_for_the_autocomplete(world, client_as, url, selects):
    user = world.users["partner" if url == "/submit/" else "chair"]
    if url == "action-create":
        url = reverse(url, args=[world.own.slug])
    html = client_as(user).get(url).content.decode()
    marked = re.findall(r'<select name="(\w+)"[^>]*data-marmot-autocomplete', html)
    assert marked == selects
    assert 'src="/static/js/autocomplete.js"' in html
    assert "build/accessible-autocomplete.min.js" in html
    if url == "/submit/":
        assert 'data-marmot-narrow-by="id_workstream"' in html
