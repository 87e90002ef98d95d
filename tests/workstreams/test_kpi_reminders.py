"""Overdue output-KPI values in the reminders (ADR 32): a KPI period that
ended more than KPI_DUE_DAYS ago with no approved value goes into its
reporter's reminder (the reporting organisation's partners, or the chairs when
none) and into the chairs' weekly digest, under the reminders' repeat rules."""

import datetime as dt
import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.workstreams.kpi_fixtures import TODAY, build_kpi_world
from workstreams.models import ReminderSent
from workstreams.services import reminders as service
from workstreams.services.kpis import kpi_create, kpi_entry_record, kpi_retire

pytestmark = pytest.mark.django_db

#: A Monday (digest day) 46 days after 2026/27 Q3 ended: Q3 is now due.
LATER = dt.date(2027, 2, 15)
EARLIER_QUARTERS = [f"2025/26 Q{q}" for q in range(1, 5)] + ["2026/27 Q1", "2026/27 Q2"]


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SITE_URL = "https://marmot.example.org"
    settings.KPI_DUE_DAYS = 30


def record_all_but_q3(world, kpi):
    for period in EARLIER_QUARTERS:
        kpi_entry_record(
            kpi=kpi, user=world.users["chair"], period=period, value=5, today=TODAY
        )


@pytest.fixture
def world(role_users):
    world = build_kpi_world(role_users)
    for kpi in (world.reported, world.chairs_own):
        record_all_but_q3(world, kpi)
    return world


def plan(today=LATER):
    return service.reminders_plan(today=today, digest_now=True)


def kpi_items(plan_, username):
    """What ``username``'s lead reminder lists of KPIs: (name, period)."""
    for reminder in plan_.leads:
        if plan_.users[reminder.recipient_id].username == username:
            return [
                (plan_.kpis[k.kpi_id].indicator.name, k.period) for k in reminder.kpis
            ]
    return []


def digest_items(plan_, username):
    for digest in plan_.digests:
        if plan_.users[digest.recipient_id].username == username:
            return [
                (plan_.kpis[k.kpi_id].indicator.name, k.period, k.waiting)
                for section in digest.workstreams
                for k in section.kpis
            ]
    return []


def send(capture, today=LATER):
    with capture(execute=True):
        return service.reminders_send(plan=plan(today))


def by_recipient():
    return {message.to[0]: message for message in mail.outbox}


REPORTED = "Homes retrofitted through the scheme"
CHAIRS_OWN = "Households given damp advice"


def test_a_missing_third_quarter_goes_to_its_reporter_and_the_chairs_digest(world):
    found = plan()
    assert kpi_items(found, "partner") == [(REPORTED, "2026/27 Q3")]
    # The chair records the KPI no organisation reports.
    assert kpi_items(found, "chair") == [(CHAIRS_OWN, "2026/27 Q3")]
    assert digest_items(found, "chair") == [
        (REPORTED, "2026/27 Q3", False),
        (CHAIRS_OWN, "2026/27 Q3", False),
    ]
    assert kpi_items(found, "other_chair") == []
    assert digest_items(found, "other_chair") == []


def test_not_yet_due_before_kpi_due_days_have_passed(world):
    # On 3 December 2026, Q3 has not ended: nothing is overdue.
    found = plan(TODAY)
    assert kpi_items(found, "partner") == []
    assert digest_items(found, "chair") == []


def test_the_emails_name_the_kpi_period_and_link_to_the_grid(
    world, django_capture_on_commit_callbacks
):
    outcome = send(django_capture_on_commit_callbacks)
    assert outcome.sent["lead_stale"] == 2  # the partner and the chair
    partner = by_recipient()[world.users["partner"].email]
    assert partner.subject == "1 KPI value overdue"
    assert f"- {REPORTED}, 2026/27 Q3 (Housing and communities)" in partner.body
    assert (
        "https://marmot.example.org/workstreams/housing/kpis/record/"
        "?period=2026%2F27+Q3"
    ) in partner.body
    assert "named lead" not in partner.body
    (digest,) = [
        m
        for m in mail.outbox
        if m.subject.startswith("Weekly digest")
        and m.to == [world.users["chair"].email]
    ]
    body = digest.body
    assert "KPI values overdue (2):" in body
    assert f"- {REPORTED}, 2026/27 Q3: reported by Testshire Housing Trust" in body
    row = ReminderSent.objects.get(kind="lead_stale", recipient=world.users["partner"])
    assert row.action_ids == [f"kpi:{world.reported.pk}:2026/27 Q3"]


def test_an_approved_value_is_not_overdue(world):
    kpi_entry_record(
        kpi=world.reported,
        user=world.users["chair"],
        period="2026/27 Q3",
        value=3,
        today=LATER,
    )
    found = plan()
    assert kpi_items(found, "partner") == []
    assert digest_items(found, "chair") == [(CHAIRS_OWN, "2026/27 Q3", False)]


def test_a_value_waiting_for_approval_is_the_chairs_not_the_partners(
    world, django_capture_on_commit_callbacks
):
    kpi_entry_record(
        kpi=world.reported,
        user=world.users["partner"],
        period="2026/27 Q3",
        value=3,
        today=LATER,
    )
    found = plan()
    assert kpi_items(found, "partner") == []
    assert (REPORTED, "2026/27 Q3", True) in digest_items(found, "chair")
    mail.outbox.clear()
    send(django_capture_on_commit_callbacks)
    body = "\n".join(
        m.body for m in mail.outbox if m.subject.startswith("Weekly digest")
    )
    assert f"- {REPORTED}, 2026/27 Q3: waiting for your approval" in body
    assert "/workstreams/housing/kpis/approvals/" in body


def test_a_retired_kpi_nags_nobody(world):
    kpi_retire(
        kpi=world.reported,
        user=world.users["chair"],
        retired_on=dt.date(2027, 1, 1),
        reason="The scheme closed.",
    )
    found = plan()
    assert kpi_items(found, "partner") == []
    assert [name for name, *_ in digest_items(found, "chair")] == [CHAIRS_OWN]


def test_a_kpi_not_yet_expected_nags_nobody(world):
    kpi_create(
        workstream=world.own,
        user=world.users["officer"],
        name="Landlords trained",
        reporting_organisation=world.org,
    )
    assert kpi_items(plan(), "partner") == [(REPORTED, "2026/27 Q3")]


def test_the_reminder_is_not_resent_within_the_repeat_days_unless_a_period_joins(
    world, django_capture_on_commit_callbacks
):
    partner = world.users["partner"].email
    send(django_capture_on_commit_callbacks)
    assert partner in by_recipient()
    for days, sent in [(1, False), (3, False), (7, True)]:
        mail.outbox.clear()
        send(django_capture_on_commit_callbacks, LATER + dt.timedelta(days=days))
        assert (partner in by_recipient()) is sent, days
    # A new period falling due joins the list: reminded again at once.
    mail.outbox.clear()
    send(django_capture_on_commit_callbacks, dt.date(2027, 5, 3))
    assert partner in by_recipient()
    assert "2026/27 Q4" in by_recipient()[partner].body


def test_a_reminder_lists_actions_and_kpis_together(
    world, django_capture_on_commit_callbacks
):
    """The chair is no action's lead here; a lead with both gets one email."""
    found = plan()
    chair = next(
        r for r in found.leads if found.users[r.recipient_id].username == "chair"
    )
    assert chair.actions == ()
    assert chair.item_keys == [f"kpi:{world.chairs_own.pk}:2026/27 Q3"]


def add_kpis(world, count):
    for n in range(count):
        kpi = kpi_create(
            workstream=world.other if n % 2 else world.own,
            user=world.users["officer"],
            name=f"Extra KPI {n}",
            reporting_organisation=world.org if n % 3 else None,
            values_expected_from=dt.date(2025, 4, 1),
        )
        if n % 2 == 0:
            record_all_but_q3(world, kpi)


@pytest.mark.parametrize("extra", [0, 12])
def test_the_plan_is_a_fixed_number_of_queries(world, extra):
    add_kpis(world, extra)
    with CaptureQueriesContext(connection) as queries:
        found = plan()
    # The actions' six (one of them the active KPIs), then the KPIs' values
    # and targets, the entries waiting for approval and the partners.
    assert len(queries) == 10
    assert len(found.kpis) == 2 + extra


@pytest.mark.parametrize("extra", [0, 12])
def test_sending_is_a_fixed_number_of_queries_per_email(
    world, extra, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    add_kpis(world, extra)
    found = plan()
    emails = len(found.leads) + len(found.digests)
    with (
        django_assert_max_num_queries(6 * emails),
        django_capture_on_commit_callbacks(execute=True),
    ):
        service.reminders_send(plan=found)
    assert len(mail.outbox) == emails


def test_the_commands_dry_run_lists_the_kpi_periods(world):
    out = io.StringIO()
    call_command("send_reminders", "--date", LATER.isoformat(), "--dry-run", stdout=out)
    printed = out.getvalue()
    assert (
        f"lead reminder to {world.users['partner'].email}: {REPORTED} 2026/27 Q3"
        in printed
    )
    assert ReminderSent.objects.count() == 0
