"""Outgoing mail goes through a queue in the database (django-mailer, ADR 0023):
a change and its emails commit together, the scheduler sends the queue, and a
mail server that is down never fails a request; its failures are kept,
retried and shown to officers in the admin.

The "production" mail settings are those of `marmot.settings.base` (the test
settings swap them for locmem); the mail server is an SMTP address where
nothing listens. Real transactions (``transaction=True``), as in production.
"""

import os
import smtplib
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse
from rest_framework.test import APIClient

from marmot.settings import base as production
from marmot.site.mail import mail_send_on_commit
from tests.workstreams.fixtures import (
    build_submission_world,
    submission_form_data,
    submission_send,
)
from workstreams.models import Submission

pytestmark = pytest.mark.django_db(transaction=True)

QUEUE = "mailer.backend.DbBackend"
SMTP = "django.core.mail.backends.smtp.EmailBackend"
LOCMEM = "django.core.mail.backends.locmem.EmailBackend"
CHAIRS = ["chair@example.org", "deputy@example.org"]


class DisconnectingBackend(BaseEmailBackend):
    """A mail server that hangs up mid-conversation (not a socket error)."""

    def send_messages(self, email_messages):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def mail_server_down(settings):
    """Production's mail settings, with EMAIL_URL an SMTP server that refuses
    connections (the real transport is whichever setting production names)."""
    settings.EMAIL_BACKEND = production.EMAIL_BACKEND
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", closed_port()
    settings.EMAIL_TIMEOUT = 2
    settings.MAILER_EMAIL_BACKEND = SMTP
    if settings.EMAIL_BACKEND != QUEUE:
        settings.EMAIL_BACKEND = SMTP
    return settings


@pytest.fixture
def world(role_users):
    return build_submission_world(role_users)


def queued():
    from mailer.models import Message

    return list(Message.objects.order_by("pk"))


def failures():
    from mailer.models import RESULT_FAILURE, MessageLog

    return list(MessageLog.objects.filter(result=RESULT_FAILURE).order_by("pk"))


def api_as(user):
    client = APIClient(raise_request_exception=False)
    client.force_authenticate(user)
    return client


def api_submission(world):
    return {
        "workstream": world.own.slug,
        "title": "Warm spaces",
        "description": "Open our hall on winter afternoons.",
        "lead_contact": "Sam Jones",
        "start_date": "2025-01-01",
        "end_date": "2025-03-01",
    }


# --- a request never fails because of mail -----------------------------------


def mail_settings(**env) -> str:
    """EMAIL_BACKEND and MAILER_EMAIL_BACKEND as a fresh process sees them."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    clean.update(
        {
            "DJANGO_SETTINGS_MODULE": "marmot.settings.base",
            "SECRET_KEY": "x" * 50,
            "EMAIL_URL": "smtp://mail.example.org:587",
            **env,
        }
    )
    code = (
        "from django.conf import settings as s; "
        "print(s.EMAIL_BACKEND, s.MAILER_EMAIL_BACKEND, s.EMAIL_TIMEOUT)"
    )
    result = subprocess.run(  # noqa: S603 - this interpreter, our own code
        [sys.executable, "-c", code],
        env=clean,
        cwd=Path(__file__).resolve().parents[2],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


@pytest.mark.django_db(transaction=False)
def test_production_queues_and_a_trial_prints_at_once():
    assert mail_settings(DEBUG="0") == [QUEUE, SMTP, "30"]
    assert mail_settings(DEBUG="1", EMAIL_URL="consolemail://")[0] == (
        "django.core.mail.backends.console.EmailBackend"
    )
    assert mail_settings(DEBUG="1", EMAIL_QUEUE="1")[0] == QUEUE


def test_a_partner_submits_on_the_site_while_the_mail_server_is_down(
    world, client_as, mail_server_down
):
    client = client_as(world.users["partner"])
    client.raise_request_exception = False
    response = submission_send(client, submission_form_data(world))
    assert response.status_code == 302, response.content[:500]
    [made] = Submission.objects.filter(title="Winter warmth checks")
    assert response["Location"] == reverse("submission-sent", args=[made.pk])
    [message] = queued()
    assert sorted(message.to_addresses) == CHAIRS
    assert message.subject.startswith("New submission")
    assert mail.outbox == []


def test_a_partner_submits_through_the_api_while_the_mail_server_is_down(
    world, mail_server_down
):
    client = api_as(world.users["partner"])
    response = client.post("/api/v1/submissions/", api_submission(world), format="json")
    assert response.status_code == 201, response.content[:500]
    assert Submission.objects.filter(title="Warm spaces").count() == 1
    [message] = queued()
    assert sorted(message.to_addresses) == CHAIRS


def test_the_email_commits_with_the_change_or_not_at_all(world, mail_server_down):
    with pytest.raises(RuntimeError), transaction.atomic():
        mail_send_on_commit(
            to=["a@example.org"],
            template="submission_new",
            context={"submission": world.submission},
        )
        raise RuntimeError("the change failed")
    assert queued() == []


def test_without_the_queue_a_failed_email_is_logged_not_raised(
    world, client_as, settings, caplog
):
    """DEBUG trials send straight to EMAIL_URL (the console by default): even
    there a mail failure never turns a saved change into an error."""
    settings.EMAIL_BACKEND = SMTP
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", closed_port()
    client = client_as(world.users["partner"])
    client.raise_request_exception = False
    response = submission_send(client, submission_form_data(world))
    assert response.status_code == 302
    assert Submission.objects.filter(title="Winter warmth checks").count() == 1
    assert "not sent" in caplog.text


# --- the scheduler sends, defers and retries ---------------------------------


def test_send_mail_defers_while_down_and_delivers_once_when_back(
    world, mail_server_down
):
    api_as(world.users["partner"]).post(
        "/api/v1/submissions/", api_submission(world), format="json"
    )
    call_command("send_mail")
    [message] = queued()
    assert message.priority == 4  # deferred
    [failure] = failures()
    assert "refused" in failure.log_message.lower()
    assert sorted(failure.to_addresses) == CHAIRS
    assert mail.outbox == []

    mail_server_down.MAILER_EMAIL_BACKEND = LOCMEM  # the server is back
    call_command("send_mail")
    assert mail.outbox == []  # deferred mail waits for retry_deferred
    call_command("retry_deferred")
    call_command("send_mail")
    call_command("send_mail")
    [sent] = mail.outbox
    assert sorted(sent.to) == CHAIRS and sent.subject.startswith("New submission")
    assert queued() == []


def test_any_smtp_error_defers_the_message_and_the_run_goes_on(world, mail_server_down):
    mail_server_down.MAILER_EMAIL_BACKEND = f"{__name__}.DisconnectingBackend"
    client = api_as(world.users["partner"])
    for title in ("Warm spaces", "Cool spaces"):
        client.post(
            "/api/v1/submissions/",
            {**api_submission(world), "title": title},
            format="json",
        )
    call_command("send_mail")
    assert [m.priority for m in queued()] == [4, 4]
    assert [f.log_message for f in failures()] == [
        "SMTPServerDisconnected: Connection unexpectedly closed"
    ] * 2


def test_reminders_are_queued_and_recorded_once(mail_server_down):
    from io import StringIO

    from tests.workstreams.reminder_fixtures import build_world
    from workstreams.models import ReminderSent

    build_world()
    out = StringIO()
    call_command("send_reminders", "--date", "2026-11-23", stdout=out, stderr=out)
    assert "Queued 2 lead reminders and 3 chair digests" in out.getvalue()
    assert ReminderSent.objects.count() == 5
    assert len(queued()) == 5
    call_command("send_mail")
    assert len(failures()) == 5
    call_command("send_reminders", "--date", "2026-11-23", stdout=out, stderr=out)
    assert len(queued()) == 5  # not queued twice


# --- officers see the queue and its failures ----------------------------------


def test_an_officer_sees_a_deferred_message_and_its_error(
    world, client_as, mail_server_down
):
    api_as(world.users["partner"]).post(
        "/api/v1/submissions/", api_submission(world), format="json"
    )
    call_command("send_mail")
    [message] = queued()
    client = client_as(world.users["officer"])
    index = client.get("/admin/").content.decode()
    assert "Outgoing mail" in index and "Mail log" in index

    listing = client.get("/admin/outbox/outgoingmail/")
    assert listing.status_code == 200
    page = listing.content.decode()
    assert "New submission" in page and "chair@example.org" in page
    assert "Deferred" in page and "Connection refused" in page

    detail = client.get(f"/admin/outbox/outgoingmail/{message.pk}/change/")
    assert detail.status_code == 200
    page = detail.content.decode()
    assert "Connection refused" in page
    assert "Open our hall" not in page  # never the body (links may carry tokens)
    assert message.message_data[:40] not in page

    log = client.get("/admin/outbox/maillog/").content.decode()
    assert "Connection refused" in log and "chair@example.org" in log

    # Read-only for officers: no editing, no deleting.
    assert client.get("/admin/outbox/outgoingmail/add/").status_code == 403
    delete = client.post(f"/admin/outbox/outgoingmail/{message.pk}/delete/")
    assert delete.status_code == 403
    assert len(queued()) == 1


def test_an_officer_can_queue_a_deferred_message_again(
    world, client_as, mail_server_down
):
    api_as(world.users["partner"]).post(
        "/api/v1/submissions/", api_submission(world), format="json"
    )
    call_command("send_mail")
    [message] = queued()
    client = client_as(world.users["officer"])
    response = client.post(
        "/admin/outbox/outgoingmail/",
        {"action": "queue_again", "_selected_action": [message.pk]},
    )
    assert response.status_code == 302
    [message] = queued()
    assert message.priority == 2  # back in the queue for the next send_mail
    mail_server_down.MAILER_EMAIL_BACKEND = LOCMEM
    call_command("send_mail")
    assert len(mail.outbox) == 1


def test_other_roles_cannot_see_the_mail_admin(world, client_as):
    for role in ("partner", "chair", "oversight"):
        response = client_as(world.users[role]).get("/admin/outbox/outgoingmail/")
        assert response.status_code == 302  # to the admin's sign-in


def test_a_superuser_reads_the_body(world, client_as, mail_server_down):
    from tests.workstreams.factories import UserFactory

    api_as(world.users["partner"]).post(
        "/api/v1/submissions/", api_submission(world), format="json"
    )
    [message] = queued()
    admin = UserFactory(username="root", is_staff=True, is_superuser=True)
    page = client_as(admin).get(f"/admin/outbox/outgoingmail/{message.pk}/change/")
    assert "Open our hall on winter afternoons." in page.content.decode()


# --- the compose scheduler drives the queue ------------------------------------

STUB_SLEEP = """#!/bin/sh
n=$(cat "$STUB_DIR/minutes" 2>/dev/null || echo 0); n=$((n + 1))
echo "$n" > "$STUB_DIR/minutes"
[ "$n" -ge 31 ] && kill "$PPID"
exit 0
"""


def test_the_scheduler_sends_every_minute_and_retries_every_quarter_hour(tmp_path):
    """The compose scheduler's script, run by sh for 31 minutes with `python`
    and `sleep` stubbed (reminder hour 0: they are due at once)."""
    import yaml

    compose = yaml.safe_load(
        (Path(__file__).resolve().parents[2] / "docker-compose.yml").read_text()
    )
    script = compose["services"]["scheduler"]["command"][-1].replace("$$", "$")
    (tmp_path / "python").write_text('#!/bin/sh\necho "$*" >> "$STUB_DIR/calls"\n')
    (tmp_path / "sleep").write_text(STUB_SLEEP)
    for stub in ("python", "sleep"):
        (tmp_path / stub).chmod(0o755)
    env = {
        "PATH": f"{tmp_path}:{os.environ['PATH']}",
        "STUB_DIR": str(tmp_path),
        "REMINDER_HOUR_UTC": "0",
        "MAIL_RETRY_MINUTES": "15",
        "MAIL_LOG_KEEP_DAYS": "30",
    }
    subprocess.run(["sh", "-c", script], env=env, timeout=60)  # noqa: S603,S607
    calls = (tmp_path / "calls").read_text().splitlines()
    commands = [c.split()[1] for c in calls if c.startswith("manage.py")]
    assert commands.count("send_mail") == 31
    assert commands.count("retry_deferred") == 3  # minutes 0, 15 and 30
    assert commands.count("send_reminders") == 1
    assert "manage.py purge_mail_log 30 --result all" in calls
