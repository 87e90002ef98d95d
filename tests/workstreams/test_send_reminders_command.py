"""``manage.py send_reminders``: options, output, idempotency from cron.

Run with real transactions (``transaction=True``): the emails go when each
reminder's transaction commits, as in production."""

from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from tests.workstreams.reminder_fixtures import REFUSING_BACKEND, build_world
from workstreams.models import ReminderSent

pytestmark = pytest.mark.django_db(transaction=True)

MONDAY, TUESDAY = "2026-11-23", "2026-11-24"


def run(*args) -> str:
    out = StringIO()
    call_command("send_reminders", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


@pytest.fixture
def world():
    return build_world()


def test_a_daily_run_sends_the_reminders_and_the_digests_on_monday(world):
    output = run("--date", MONDAY)
    assert "Lead reminders for 2026-11-23: 2 to send, 0 already sent" in output
    assert "Chair digests for 2026-W48: 3 to send, 0 already sent." in output
    assert output.rstrip().endswith(
        "Sent 2 lead reminders and 3 chair digests for 2026-11-23 "
        "(0 already sent by another run, 0 failed)."
    )
    assert sorted(m.to[0] for m in mail.outbox) == [
        "chair@example.org",
        "deputy@example.org",
        "lead@example.org",
        "other@example.org",
        "other_chair@example.org",
    ]
    assert ReminderSent.objects.count() == 5


def test_running_twice_sends_nothing_more(world):
    run("--date", MONDAY)
    output = run("--date", MONDAY)
    assert "2 to send" not in output
    assert "Lead reminders for 2026-11-23: 0 to send, 2 already sent" in output
    assert "Chair digests for 2026-W48: 0 to send, 3 already sent." in output
    assert "Sent 0 lead reminders and 0 chair digests" in output
    assert len(mail.outbox) == 5
    assert ReminderSent.objects.count() == 5


def test_digests_wait_for_their_weekday_unless_forced(world, settings):
    settings.REMINDER_DIGEST_WEEKDAY = 0
    output = run("--date", TUESDAY)
    assert "Chair digests: none today (they go on Mondays;" in output
    assert ReminderSent.objects.filter(kind="chair_digest").count() == 0
    output = run("--date", TUESDAY, "--digest-now")
    assert "Sent 0 lead reminders and 3 chair digests" in output


def test_a_dry_run_says_who_would_get_what_and_sends_nothing(world):
    output = run("--date", MONDAY, "--dry-run")
    assert (
        "  lead reminder to lead@example.org: Damp taskforce; Landlord forum" in output
    )
    assert "  chair digest to chair@example.org: Housing" in output
    assert "Dry run: would send 2 lead reminder(s) and 3 chair digest(s)" in output
    assert mail.outbox == []
    assert ReminderSent.objects.count() == 0


@pytest.mark.parametrize("value", ["23/11/2026", "2026-02-30", "tomorrow"])
def test_a_bad_date_is_a_clear_error(world, value):
    with pytest.raises(CommandError, match="--date must be a date as YYYY-MM-DD"):
        run("--date", value)
    assert ReminderSent.objects.count() == 0


def test_a_mail_server_failure_is_reported_and_retried_next_run(world, settings):
    settings.EMAIL_BACKEND = REFUSING_BACKEND
    with pytest.raises(CommandError, match="5 email\\(s\\) could not be sent"):
        run("--date", MONDAY)
    assert ReminderSent.objects.count() == 0
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert "Sent 2 lead reminders and 3 chair digests" in run("--date", MONDAY)


def test_help_explains_cron_use(capsys):
    with pytest.raises(SystemExit):
        call_command("send_reminders", "--help")
    text = " ".join(capsys.readouterr().out.split())
    assert "from cron" in text and "python manage.py send_reminders" in text
    for option in ("--date", "--dry-run", "--digest-now"):
        assert option in text


def test_without_a_date_it_runs_for_today(world):
    output = run("--dry-run")
    assert "Dry run: would send" in output
