"""Shared data for the reminder tests (no tests here): a workstream with a
signed-off workplan whose actions are overdue, quiet, at risk or fine, a
draft workplan (which never nags anyone), another workstream, and a
submission waiting for a decision; and a mail backend that always fails."""

import datetime as dt
from types import SimpleNamespace

from django.core.mail.backends.base import BaseEmailBackend
from django.utils import timezone

from tests.workstreams.factories import (
    ActionFactory,
    PlaceFactory,
    ProgressUpdateFactory,
    SubmissionFactory,
    UserFactory,
    WorkplanFactory,
    WorkstreamFactory,
)
from workstreams.models import Action, ProgressUpdate, Workplan

TODAY = dt.date(2026, 11, 23)  # a Monday, ISO week 48
TUESDAY = TODAY + dt.timedelta(days=1)
#: the dotted path of RefusingBackend, for settings.EMAIL_BACKEND
REFUSING_BACKEND = f"{__name__}.RefusingBackend"


class RefusingBackend(BaseEmailBackend):
    """A mail backend whose server is always down."""

    def send_messages(self, messages):
        raise ConnectionRefusedError("the mail server is down")


def days_ago(days: int) -> dt.date:
    return TODAY - dt.timedelta(days=days)


def make_action(workplan, *, created: dt.date, **kwargs) -> Action:
    """An action whose row says it was created on ``created``."""
    action = ActionFactory(workplan=workplan, **kwargs)
    moment = timezone.make_aware(dt.datetime.combine(created, dt.time(9)))
    Action.objects.filter(pk=action.pk).update(created_at=moment)
    action.refresh_from_db()
    return action


def make_update(action, *, on: dt.date) -> ProgressUpdate:
    update = ProgressUpdateFactory(action=action, reported_on=on)
    moment = timezone.make_aware(dt.datetime.combine(on, dt.time(10)))
    ProgressUpdate.objects.filter(pk=update.pk).update(created_at=moment)
    return update


def build_world(*, extra_quiet_actions: int = 0):
    PlaceFactory(service_name="Testshire Health Equity")
    lead = UserFactory(
        username="lead", first_name="Lee", last_name="Lead", email="lead@example.org"
    )
    other_lead = UserFactory(username="other_lead", email="other@example.org")
    no_email = UserFactory(username="no_email", email="")
    chair = UserFactory(username="chair", first_name="Cat", last_name="Chair")
    deputy = UserFactory(username="deputy", email="deputy@example.org")
    other_chair = UserFactory(username="other_chair")
    housing = WorkstreamFactory(name="Housing", slug="housing", chair=chair)
    housing.deputies.add(deputy)
    work = WorkstreamFactory(name="Work", slug="work", chair=other_chair)
    signed = {
        "status": Workplan.Status.SIGNED_OFF,
        "signed_off_on": dt.date(2026, 4, 20),
        "year_label": "2026/27",
        "starts_on": dt.date(2026, 4, 1),
        "ends_on": dt.date(2027, 3, 31),
    }
    workplan = WorkplanFactory(workstream=housing, **signed)
    draft = WorkplanFactory(
        workstream=housing,
        year_label="2027/28",
        starts_on=dt.date(2027, 4, 1),
        ends_on=dt.date(2028, 3, 31),
    )
    work_plan = WorkplanFactory(workstream=work, **signed)
    fresh = {"created": days_ago(5), "rag": "green", "due_date": dt.date(2027, 3, 1)}
    overdue = make_action(
        workplan,
        title="Damp taskforce",
        lead_user=lead,
        **{**fresh, "due_date": days_ago(10)},
    )
    quiet = make_action(
        workplan,
        title="Landlord forum",
        lead_user=lead,
        **{**fresh, "created": days_ago(90)},
    )
    make_update(quiet, on=days_ago(40))
    recent = make_action(
        workplan,
        title="Warm homes grants",
        lead_user=lead,
        **{**fresh, "created": days_ago(90)},
    )
    make_update(recent, on=days_ago(3))
    red = make_action(workplan, title="Retrofit", lead_user=other_lead, **fresh)
    Action.objects.filter(pk=red.pk).update(rag="red")
    nobody = make_action(
        workplan,
        title="Tenancy advice",
        lead_user=None,
        **{**fresh, "due_date": days_ago(1)},
    )
    unreachable = make_action(
        workplan,
        title="Energy advice",
        lead_user=no_email,
        **{**fresh, "due_date": days_ago(1)},
    )
    done = make_action(
        workplan,
        title="Survey done",
        lead_user=lead,
        status="completed",
        completed_on=days_ago(20),
        **{**fresh, "due_date": days_ago(30)},
    )
    drafted = make_action(
        draft, title="Drafted", lead_user=lead, **{**fresh, "due_date": days_ago(9)}
    )
    for n in range(extra_quiet_actions):
        make_action(
            workplan,
            title=f"Quiet {n}",
            lead_user=lead if n % 2 else other_lead,
            **{**fresh, "created": days_ago(60)},
        )
    other_overdue = make_action(
        work_plan, title="Bootcamp", lead_user=other_lead, **fresh
    )
    Action.objects.filter(pk=other_overdue.pk).update(due_date=days_ago(2))
    submission = SubmissionFactory(workstream=housing, title="Community larder")
    decided = SubmissionFactory(
        workstream=housing,
        title="Decided",
        status="rejected",
        decision_reason="Out of scope.",
    )
    return SimpleNamespace(**locals())
