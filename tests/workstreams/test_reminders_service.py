"""Reminder services (`workstreams.services.reminders`): who gets what, the
emails' contents, sending once per day or week, and never recording a
reminder that was not sent."""

import datetime as dt

import pytest
from django.core import mail

from tests.workstreams.reminder_fixtures import (
    REFUSING_BACKEND,
    TODAY,
    TUESDAY,
    build_world,
)
from workstreams.models import ReminderSent
from workstreams.services import reminders as service

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SITE_URL = "https://marmot.example.org"


@pytest.fixture
def world():
    return build_world()


def send(today=TODAY, digest_now=False, capture=None):
    plan = service.reminders_plan(today=today, digest_now=digest_now)
    with capture(execute=True):
        return service.reminders_send(plan=plan)


def by_recipient():
    return {message.to[0]: message for message in mail.outbox}


def test_the_plan_names_who_gets_what(world):
    plan = service.reminders_plan(today=TODAY)
    leads = {plan.users[x.recipient_id].username: x.action_ids for x in plan.leads}
    assert leads == {
        "lead": [world.overdue.pk, world.quiet.pk],
        "other_lead": [world.other_overdue.pk],
    }
    assert plan.digest_day
    digests = {
        plan.users[d.recipient_id].username: [s.workstream_id for s in d.workstreams]
        for d in plan.digests
    }
    assert digests == {
        "chair": [world.housing.pk],
        "deputy": [world.housing.pk],
        "other_chair": [world.work.pk],
    }
    housing = plan.digests[0].workstreams[0]
    assert [a.pk for a in housing.overdue] == [
        world.overdue.pk,
        world.nobody.pk,
        world.unreachable.pk,
    ]
    assert [a.pk for a in housing.at_risk] == [world.red.pk]
    assert [a.pk for a in housing.stale] == [world.quiet.pk]
    assert [a.pk for a in housing.no_named_lead] == [
        world.nobody.pk,
        world.unreachable.pk,
    ]
    assert [s.pk for s in housing.submissions] == [world.submission.pk]


def test_a_lead_gets_one_email_listing_their_actions_with_links(
    world, django_capture_on_commit_callbacks
):
    outcome = send(capture=django_capture_on_commit_callbacks)
    assert outcome.sent == {"lead_stale": 2, "chair_digest": 3}
    message = by_recipient()["lead@example.org"]
    assert message.subject == "2 actions need an update"
    body = message.body
    assert body.startswith("Dear Lee Lead,")
    assert "1. Damp taskforce\n   Workstream: Housing\n" in body
    assert "Overdue: it was due on 13 November 2026." in body
    assert "2. Landlord forum" in body
    assert "No progress update for 40 days." in body
    assert f"https://marmot.example.org/actions/{world.overdue.pk}/" in body
    assert f"https://marmot.example.org/actions/{world.quiet.pk}/updates/new/" in body
    assert "Warm homes grants" not in body  # an update three days ago
    assert "Survey done" not in body and "Drafted" not in body
    assert "&amp;" not in body and "&#" not in body
    assert by_recipient()["other@example.org"].subject == "1 action needs an update"
    row = ReminderSent.objects.get(kind="lead_stale", recipient=world.lead)
    assert (row.period_key, row.action_ids) == (
        "2026-11-23",
        [world.overdue.pk, world.quiet.pk],
    )


def test_the_chairs_digest(world, django_capture_on_commit_callbacks):
    send(capture=django_capture_on_commit_callbacks)
    message = by_recipient()["chair@example.org"]
    assert message.subject == "Weekly digest for Housing (2026-W48)"
    body = message.body
    assert body.startswith("Dear Cat Chair,")
    for expected in (
        "== Housing ==\nhttps://marmot.example.org/workstreams/housing/\n",
        "Overdue (3):\n- Damp taskforce: due 13 November 2026\n",
        "- Tenancy advice: due 22 November 2026 (no named lead)\n",
        "- Energy advice: due 22 November 2026 (no named lead)\n",
        "At risk (1):\n- Retrofit: Red — off track\n",
        "No progress update for 30 days or more (1):\n- Landlord forum: 40 days\n",
        "(nobody was reminded about them): 2\n",
        "New submissions waiting for a decision (1):\n- Community larder, from ",
    ):
        assert expected in body, expected
    assert "Decided" not in body and "Bootcamp" not in body
    assert by_recipient()["deputy@example.org"].body == body.replace(
        "Dear Cat Chair,", f"Dear {world.deputy.get_full_name()},"
    )
    assert "Bootcamp" in by_recipient()["other_chair@example.org"].body
    row = ReminderSent.objects.get(kind="chair_digest", recipient=world.chair)
    assert row.period_key == "2026-W48"


def test_a_second_run_the_same_day_sends_nothing(
    world, django_capture_on_commit_callbacks
):
    send(capture=django_capture_on_commit_callbacks)
    sent = len(mail.outbox)
    plan = service.reminders_plan(today=TODAY)
    assert (plan.leads, plan.digests) == ([], [])
    assert (plan.leads_skipped, plan.digests_skipped) == (2, 3)
    send(capture=django_capture_on_commit_callbacks)
    assert len(mail.outbox) == sent
    assert ReminderSent.objects.count() == 5


def test_digests_go_once_a_week_on_the_digest_day(
    world, django_capture_on_commit_callbacks
):
    assert service.reminders_plan(today=TUESDAY).digest_day is False
    send(today=TUESDAY, capture=django_capture_on_commit_callbacks)
    assert ReminderSent.objects.filter(kind="chair_digest").count() == 0
    outcome = send(
        today=TUESDAY, digest_now=True, capture=django_capture_on_commit_callbacks
    )
    assert outcome.sent["chair_digest"] == 3
    # Later the same ISO week, forced again: already sent.
    wednesday = TUESDAY + dt.timedelta(days=1)
    plan = service.reminders_plan(today=wednesday, digest_now=True)
    assert (plan.digests, plan.digests_skipped) == ([], 3)


def test_a_lead_is_reminded_again_after_a_week_or_when_an_action_joins(
    world, django_capture_on_commit_callbacks, settings
):
    settings.REMINDER_LEAD_REPEAT_DAYS = 7
    send(capture=django_capture_on_commit_callbacks)
    assert service.reminders_plan(today=TUESDAY).leads == []
    week_on = TODAY + dt.timedelta(days=7)
    assert [x.recipient_id for x in service.reminders_plan(today=week_on).leads] == [
        world.lead.pk,
        world.other_lead.pk,
    ]
    # On Tuesday the warm homes grants' due date passes: a new action for the lead.
    world.recent.due_date = TODAY
    world.recent.save()
    plan = service.reminders_plan(today=TUESDAY)
    assert [(x.recipient_id, len(x.actions)) for x in plan.leads] == [
        (world.lead.pk, 3)
    ]


def test_a_refused_email_is_not_recorded_and_is_retried(
    world, django_capture_on_commit_callbacks, settings
):
    settings.EMAIL_BACKEND = REFUSING_BACKEND
    outcome = send(capture=django_capture_on_commit_callbacks)
    assert outcome.failed == {"lead_stale": 2, "chair_digest": 3}
    assert sum(outcome.sent.values()) == 0
    assert ReminderSent.objects.count() == 0
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    outcome = send(capture=django_capture_on_commit_callbacks)
    assert outcome.sent == {"lead_stale": 2, "chair_digest": 3}


def test_a_failure_before_the_commit_records_and_sends_nothing(
    world, django_capture_on_commit_callbacks, monkeypatch
):
    def broken_template(**kwargs):
        raise RuntimeError("template error")

    monkeypatch.setattr(service, "mail_render", broken_template)
    plan = service.reminders_plan(today=TODAY)
    with (
        pytest.raises(RuntimeError),
        django_capture_on_commit_callbacks(execute=True),
    ):
        service.reminders_send(plan=plan)
    assert ReminderSent.objects.count() == 0
    assert mail.outbox == []


def test_a_reminder_another_run_recorded_meanwhile_is_not_sent_twice(
    world, django_capture_on_commit_callbacks
):
    plan = service.reminders_plan(today=TODAY)
    ReminderSent.objects.create(
        kind="lead_stale", recipient=world.lead, period_key="2026-11-23"
    )
    with django_capture_on_commit_callbacks(execute=True):
        outcome = service.reminders_send(plan=plan)
    assert outcome.already == {"lead_stale": 1}
    assert "lead@example.org" not in by_recipient()
    assert outcome.sent["lead_stale"] == 1


@pytest.mark.parametrize("extra", [0, 30])
def test_the_plan_is_a_fixed_number_of_queries(django_assert_max_num_queries, extra):
    build_world(extra_quiet_actions=extra)
    # Five for the actions, chairs, submissions and earlier reminders; one for
    # the output KPIs (none here: tests/workstreams/test_kpi_reminders.py).
    with django_assert_max_num_queries(6):
        plan = service.reminders_plan(today=TODAY)
    assert len(plan.actions) == 7 + extra


@pytest.mark.parametrize("extra", [0, 30])
def test_sending_is_a_fixed_number_of_queries_per_email(
    django_assert_max_num_queries, django_capture_on_commit_callbacks, extra
):
    build_world(extra_quiet_actions=extra)
    plan = service.reminders_plan(today=TODAY)
    emails = len(plan.leads) + len(plan.digests)
    assert emails == 5
    # Per email: a savepoint, the recipient and uniqueness checks, the insert,
    # the release and the place's name.
    with (
        django_assert_max_num_queries(6 * emails),
        django_capture_on_commit_callbacks(execute=True),
    ):
        service.reminders_send(plan=plan)
    assert len(mail.outbox) == emails
