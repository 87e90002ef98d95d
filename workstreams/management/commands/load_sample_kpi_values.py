"""manage.py load_sample_kpi_values: sample KPI values for the trial site."""

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from workstreams.sample_kpi_values import (
    SAMPLE_NOTE,
    NoOneToRecord,
    sample_kpi_values_load,
)


class Command(BaseCommand):
    help = (
        "Add clearly labelled sample values to the output KPIs, for trying the "
        "product: for every quarterly KPI, the last two quarters that have ended "
        "and the annual target of their financial year, recorded through the KPI "
        f'services as its chair would. Each value\'s note says "{SAMPLE_NOTE}". '
        "A quarter or year that already has a value or target is left alone, so "
        "running it again writes nothing. Run it after create_demo_accounts (the "
        "chairs record). Refuses to run with DEBUG off unless --force: sample "
        "values do not belong on a live site, and loading a place never adds them."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Add sample values even though DEBUG is off.",
        )
        parser.add_argument(
            "--today",
            type=dt.date.fromisoformat,
            help="The date to count the ended quarters from (YYYY-MM-DD; "
            "default: today).",
        )

    def handle(self, *args, force: bool = False, today=None, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "DEBUG is off: sample KPI values do not belong on a live site. "
                "Use --force if you really mean it."
            )
        today = today or timezone.localdate()
        self.stdout.write(
            f"Adding sample KPI values (as of {today:%-d %B %Y}), each noted "
            f'"{SAMPLE_NOTE}":'
        )
        try:
            results = sample_kpi_values_load(today=today, report=self.stdout.write)
        except (NoOneToRecord, ValidationError) as error:
            message = "; ".join(getattr(error, "messages", [str(error)]))
            raise CommandError(f"{message}\nNothing was added.") from error
        values = sum(len(r.values) for r in results)
        targets = sum(len(r.targets) for r in results)
        if not results:
            self.stdout.write("  No quarterly output KPIs: load the place first.")
        self.stdout.write(
            self.style.SUCCESS(
                f"Added {values} sample values and {targets} sample targets to "
                f"{len(results)} KPIs."
            )
        )
