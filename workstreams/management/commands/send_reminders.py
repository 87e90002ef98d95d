"""``manage.py send_reminders``: the daily reminder emails (run it from cron)."""

from __future__ import annotations

import calendar
import datetime as dt
import sys

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from tqdm import tqdm

from marmot.site.mail import mail_queued
from workstreams.due_reminders import day_key, week_key
from workstreams.models import ReminderSent
from workstreams.services.reminders import (
    ReminderPlan,
    reminders_plan,
    reminders_send,
)

LEAD = ReminderSent.Kind.LEAD_STALE
DIGEST = ReminderSent.Kind.CHAIR_DIGEST


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(
            f"--date must be a date as YYYY-MM-DD, for example 2026-11-23 "
            f'(got "{value}").'
        ) from None


class Command(BaseCommand):
    help = (
        "Email reminders. Each action lead (the action's lead user) whose actions "
        "in a signed-off workplan are overdue, or have had no progress update for "
        "REMINDER_STALE_DAYS days, gets one email listing them (again after "
        "REMINDER_LEAD_REPEAT_DAYS days, or sooner if an action joins the list); "
        "the partners who report an output KPI (its chairs, when no partner "
        "does) are reminded the same way of periods that ended more than "
        "KPI_DUE_DAYS days ago with no value; "
        "on REMINDER_DIGEST_WEEKDAY (0 = Monday) each workstream chair and deputy "
        "gets a weekly digest: overdue, at risk, no recent update, new "
        "submissions, overdue KPI values. Safe to run as often as you like: "
        "every email is recorded "
        "and a second run on the same day (or week, for digests) sends nothing, "
        "so run it once a day from cron, e.g. "
        "'0 7 * * * cd /app && python manage.py send_reminders'. In production "
        "the emails are queued with their records and 'manage.py send_mail' "
        "(the scheduler, every minute) delivers them."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--date",
            type=str,
            metavar="YYYY-MM-DD",
            help="Act as if today were this date (for testing or catching up).",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Print who would get what; send nothing and record nothing.",
        )
        parser.add_argument(
            "--digest-now",
            action="store_true",
            help="Send the chairs' weekly digests today, whatever the weekday "
            "(still once a week).",
        )

    def handle(self, *args, **options):
        today = _date(options["date"]) if options["date"] else timezone.localdate()
        verbosity = options["verbosity"]
        plan = reminders_plan(today=today, digest_now=options["digest_now"])
        self._report_plan(plan)
        if options["dry_run"]:
            self._report_dry_run(plan)
            return

        def progress(items, description, total):
            return tqdm(
                items,
                desc=description,
                total=total,
                unit="email",
                file=sys.stderr,
                leave=False,
                disable=verbosity < 1 or not total,
            )

        outcome = reminders_send(plan=plan, progress=progress)
        sent_leads, sent_digests = outcome.sent[LEAD], outcome.sent[DIGEST]
        already = outcome.already[LEAD] + outcome.already[DIGEST]
        failed = outcome.failed[LEAD] + outcome.failed[DIGEST]
        # Queued in production (the scheduler's send_mail delivers them).
        verb = "Queued" if mail_queued() else "Sent"
        summary = (
            f"{verb} {sent_leads} lead reminder{'s' * (sent_leads != 1)} and "
            f"{sent_digests} chair digest{'s' * (sent_digests != 1)} for {today}"
            f" ({already} already sent by another run, {failed} failed)."
        )
        style = self.style.ERROR if failed else self.style.SUCCESS
        self.stdout.write(style(summary))
        if failed:
            raise CommandError(
                f"{failed} email(s) could not be sent; they are not recorded, so "
                "the next run tries again (see the log)."
            )

    def _report_plan(self, plan: ReminderPlan) -> None:
        self.stdout.write(
            f"Lead reminders for {day_key(plan.today)}: {len(plan.leads)} to send, "
            f"{plan.leads_skipped} already sent or sent recently."
        )
        if plan.digest_day:
            self.stdout.write(
                f"Chair digests for {week_key(plan.today)}: {len(plan.digests)} to "
                f"send, {plan.digests_skipped} already sent."
            )
        else:
            weekday = calendar.day_name[settings.REMINDER_DIGEST_WEEKDAY % 7]
            self.stdout.write(
                f"Chair digests: none today (they go on {weekday}s; "
                "--digest-now sends them today)."
            )

    def _report_dry_run(self, plan: ReminderPlan) -> None:
        for reminder in plan.leads:
            user = plan.users[reminder.recipient_id]
            titles = "; ".join(
                [
                    *(plan.actions[a.pk].title for a in reminder.actions),
                    *(
                        f"{plan.kpis[k.kpi_id].indicator.name} {k.period}"
                        for k in reminder.kpis
                    ),
                ]
            )
            self.stdout.write(f"  lead reminder to {user.email}: {titles}")
        for digest in plan.digests:
            user = plan.users[digest.recipient_id]
            names = ", ".join(
                plan.workstreams[s.workstream_id].name for s in digest.workstreams
            )
            self.stdout.write(f"  chair digest to {user.email}: {names}")
        self.stdout.write(
            self.style.WARNING(
                f"Dry run: would send {len(plan.leads)} lead reminder(s) and "
                f"{len(plan.digests)} chair digest(s); nothing sent or recorded."
            )
        )
