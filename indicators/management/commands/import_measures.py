"""``manage.py import_measures FILE``: import the outcome-measure table."""

from __future__ import annotations

import json
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from indicators.measures.importing import measures_import


class Command(BaseCommand):
    help = (
        "Import the outcome-measure table: FILE is the table as councils publish "
        "it (.tsv, or the same layout as .csv) or the XLSX template written by "
        "manage.py measures_template. The place, country and region are the set-up "
        "place's. Measures already in the database (matched by published "
        "description or code) get their values, published comparisons and trends "
        "updated; new measures need metadata, from --measures or the template's "
        "metadata columns. Everything is checked first: any problem is listed by "
        "row and column (and sheet) and nothing is imported. Each run is recorded "
        "as an import run."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "file", type=Path, help="The table (.tsv or .csv) or template (.xlsx)."
        )
        parser.add_argument(
            "--measures",
            type=Path,
            metavar="METADATA.json",
            help="Metadata for measures not yet in the database, in the format of "
            "data/places/<place>/measures.json.",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Check and count everything, then roll back: nothing is saved.",
        )
        parser.add_argument(
            "--user",
            metavar="USERNAME",
            help="Record this user as having started the import.",
        )

    def handle(self, *args, file: Path, **options) -> None:
        metadata = None
        if options["measures"] is not None:
            try:
                metadata = json.loads(options["measures"].read_text(encoding="utf-8"))
            except (OSError, ValueError) as error:
                raise CommandError(f"{options['measures']}: {error}") from error
            except RecursionError as error:
                raise CommandError(
                    f"{options['measures']}: not valid JSON (nested too deeply)"
                ) from error
        user = None
        if options["user"]:
            user = get_user_model().objects.filter(username=options["user"]).first()
            if user is None:
                raise CommandError(f"No user called {options['user']!r}.")
        try:
            data = file.read_bytes()
        except OSError as error:
            raise CommandError(f"{file}: {error.strerror or error}") from error
        result = measures_import(
            file=data,
            file_name=file.name,
            user=user,
            metadata=metadata,
            dry_run=options["dry_run"],
            report=self.stdout.write,
        )
        for note in result.notes:
            self.stdout.write(f"Note: {note}")
        if not result.ok:
            problems = "\n".join(f"  - {problem}" for problem in result.error_lines())
            raise CommandError(
                f"{result.summary()}\n{result.error_count:,} problem(s):\n{problems}"
            )
        self.stdout.write(self.style.SUCCESS(result.summary()))
