"""Sending a create form twice makes one row (issue 14, finding 16; ADR 0028).

Each create form carries a hidden one-time ``form_token``. The second POST
with the same token (a double click, a reload of the POST, a retry) is
redirected to the first one's result with a message, and nothing is made
again; a POST whose form had errors does not use the token up."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from tests.workstreams.fixtures import (
    build_submission_world,
    submission_form_data,
    submission_send,
)
from workstreams.models import Invitation, Submission

pytestmark = pytest.mark.django_db
TOKEN = re.compile(r'<input type="hidden" name="form_token" value="([\w-]+)"')


@pytest.fixture
def world(role_users):
    return build_submission_world(role_users)


def token_from(client, url) -> str:
    return TOKEN.search(client.get(url).content.decode()).group(1)


def messages_on(client, url) -> str:
    return client.get(url).content.decode()


def test_a_submission_sent_twice_is_saved_once(
    world, client_as, django_capture_on_commit_callbacks
):
    client = client_as(world.users["partner"])
    token = token_from(client, "/submit/")
    data = submission_form_data(world, form_token=token)
    # The form goes to "Check your answers"; "Send" there is what saves.
    assert client.post("/submit/", data)["Location"] == "/submit/check/"
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post("/submit/check/", {"form_token": token})
        second = client.post("/submit/check/", {"form_token": token})
    made = Submission.objects.get(title="Winter warmth checks")
    sent = reverse("submission-sent", args=[made.pk])
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"] == sent
    assert "It was saved once" in messages_on(client, sent)
    assert len(mail.outbox) == 1  # the chairs are told once
    # A new visit to the form is a new token: a second, deliberate submission.
    again = submission_form_data(
        world, form_token=token_from(client, "/submit/"), title="Two"
    )
    assert submission_send(client, again).status_code == 302
    assert (
        Submission.objects.filter(title__in=["Winter warmth checks", "Two"]).count()
        == 2
    )


def test_a_form_with_errors_does_not_use_up_its_token(world, client_as):
    client = client_as(world.users["partner"])
    token = token_from(client, "/submit/")
    refused = client.post(
        "/submit/", submission_form_data(world, form_token=token, title="")
    )
    assert refused.status_code == 200
    assert f'value="{token}"' in refused.content.decode()  # the same token again
    fixed = submission_send(client, submission_form_data(world, form_token=token))
    assert fixed.status_code == 302
    assert Submission.objects.filter(title="Winter warmth checks").count() == 1


def test_one_users_token_is_not_anothers(world, client_as):
    """The token is kept per user: another user's POST with it is their own."""
    token = token_from(client_as(world.users["partner"]), "/submit/")
    submission_send(
        client_as(world.users["partner"]),
        submission_form_data(world, form_token=token),
    )
    client = client_as(world.users["officer"])
    response = submission_send(
        client,
        submission_form_data(world, form_token=token, organisation=world.org.pk),
    )
    assert response.status_code == 302
    assert Submission.objects.filter(title="Winter warmth checks").count() == 2


def test_an_invitation_sent_twice_is_sent_once(
    world, client_as, django_capture_on_commit_callbacks
):
    client = client_as(world.users["chair"])
    url = reverse("invitation-create")
    data = {
        "email": "guest@example.org",
        "organisation": world.org.pk,
        "form_token": token_from(client, url),
    }
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(url, data)
        second = client.post(url, data)
    assert first["Location"] == second["Location"] == reverse("invitation-list")
    assert Invitation.objects.filter(email="guest@example.org").count() == 1
    assert [m.to for m in mail.outbox] == [["guest@example.org"]]
    assert "It was saved once" in messages_on(client, reverse("invitation-list"))


def test_create_forms_carry_a_fresh_token_each_time(world, client_as):
    client = client_as(world.users["chair"])
    url = reverse("invitation-create")
    assert token_from(client, url) != token_from(client, url)
    partner = client_as(world.users["partner"])
    assert token_from(partner, "/submit/") != token_from(partner, "/submit/")


def test_a_progress_update_sent_twice_is_posted_once(world, client_as):
    from workstreams.models import ProgressUpdate

    client = client_as(world.users["chair"])
    url = reverse("progress-update-create", args=[world.action.pk])
    data = {
        "status": "on_hold",
        "rag": "red",
        "text": "Funding paused until April.",
        "form_token": token_from(client, url),
    }
    first, second = client.post(url, data), client.post(url, data)
    assert first["Location"] == second["Location"]
    assert ProgressUpdate.objects.filter(action=world.action).count() == 1


def test_an_action_added_twice_is_added_once(world, client_as):
    from workstreams.models import Action

    client = client_as(world.users["chair"])
    url = reverse("action-create", args=[world.own.slug])
    data = {
        "title": "Damp checks in every tower block",
        "status": "planned",
        "form_token": token_from(client, url),
    }
    first, second = client.post(url, data), client.post(url, data)
    assert first.status_code == 302, first.content.decode()
    assert first["Location"] == second["Location"]
    assert Action.objects.filter(title=data["title"]).count() == 1
    assert "It was saved once" in messages_on(client, second["Location"])


def test_a_consultation_comment_sent_twice_is_added_once(world, client_as):
    from workstreams.models import Workplan, WorkplanComment

    workplan = world.workplan
    Workplan.objects.filter(pk=workplan.pk).update(status=Workplan.Status.CONSULTATION)
    client = client_as(world.users["partner"])
    url = reverse("workplan-comments", args=[workplan.pk])
    data = {
        "body": "Please include the estates.",
        "form_token": token_from(client, url),
    }
    first, second = client.post(url, data), client.post(url, data)
    assert first.status_code == second.status_code == 302
    assert WorkplanComment.objects.filter(body=data["body"]).count() == 1
