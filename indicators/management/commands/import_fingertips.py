"""``manage.py import_fingertips FILE``: load a Fingertips data CSV."""

from __future__ import annotations

import sys
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from tqdm import tqdm

from indicators.fingertips.importer import fingertips_import

STAGE_NAMES = {
    "read": "Reading",
    "check": "Checking rows",
    "copy": "Copying to database",
    "write": "Merging",
}


class _DryRun(Exception):
    """Raised to roll a --dry-run back after the import has run."""


class _Progress:
    """One tqdm bar per stage on stderr; silent when disabled."""

    def __init__(self, *, enabled: bool) -> None:
        self.enabled = enabled
        self.bars: dict[str, tqdm] = {}

    def __call__(self, stage: str, done: int, total: int) -> None:
        if not self.enabled:
            return
        bar = self.bars.get(stage)
        if bar is None:
            for other in self.bars.values():
                other.close()
            unit = "line" if stage == "read" else "step" if stage == "write" else "row"
            bar = tqdm(
                total=total,
                desc=STAGE_NAMES.get(stage, stage),
                unit=unit,
                file=sys.stderr,
                leave=False,
            )
            self.bars[stage] = bar
        bar.total = total
        bar.n = done
        bar.refresh()

    def close(self) -> None:
        for bar in self.bars.values():
            bar.close()


class Command(BaseCommand):
    help = (
        "Import an OHID Fingertips data CSV (the all_data/csv download: Indicator "
        "ID, Indicator Name, … Compared to goal). Creates the indicators, areas and "
        "periods it names that do not exist yet, merges the values with their "
        "confidence limits, counts and denominators, and stores Fingertips' "
        "comparisons with England and the region and its recent trends as "
        "published assessments and trends. Every row is checked first: if any row "
        "has a problem, every problem is listed by line and column and nothing is "
        "imported. Importing the same file again changes nothing. Each run is "
        "recorded as an import run."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "file", type=Path, help="The Fingertips data CSV (UTF-8, BOM optional)."
        )
        parser.add_argument(
            "--user",
            metavar="USERNAME",
            help="Record this user as having started the import.",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Check the file and report what would change, then roll back.",
        )
        parser.add_argument(
            "--quiet",
            action="store_true",
            help="No progress bars (they are also off when stderr is not a terminal).",
        )
        parser.add_argument(
            "--max-errors",
            type=int,
            default=100,
            metavar="N",
            help="List at most N problems of a rejected file (default and most: "
            "100; the rest are counted).",
        )

    def handle(self, *args, **options):
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"{path}: no such file.")
        user = None
        if options["user"]:
            try:
                user = get_user_model().objects.get_by_natural_key(options["user"])
            except get_user_model().DoesNotExist as exc:
                raise CommandError(f"No user called {options['user']!r}.") from exc
        progress = _Progress(
            enabled=not options["quiet"] and sys.stderr.isatty(),
        )
        result = None
        try:
            with transaction.atomic():
                with path.open("rb") as handle:
                    result = fingertips_import(
                        file=handle, file_name=path.name, user=user, progress=progress
                    )
                if options["dry_run"]:
                    raise _DryRun
        except _DryRun:
            pass
        finally:
            progress.close()
        if not result.ok:
            lines = result.error_messages(limit=options["max_errors"])
            raise CommandError(
                "\n".join([result.summary(), *(f"  {line}" for line in lines)])
            )
        prefix = "Dry run (rolled back): " if options["dry_run"] else ""
        self.stdout.write(self.style.SUCCESS(prefix + result.summary()))
        for note in result.notes:
            self.stdout.write(f"Note: {note}")
