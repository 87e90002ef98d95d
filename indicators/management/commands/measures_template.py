"""``manage.py measures_template [-o FILE]``: write the XLSX template."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from indicators.measures.template import measures_template_write

DEFAULT_FILE = Path("outcome-measures-template.xlsx")


class Command(BaseCommand):
    help = (
        "Write the XLSX template officers fill in to update the outcome-measure "
        "table: a Measures sheet with the published table's columns (two "
        "snapshots) and the metadata columns new measures need, with notes and "
        "drop-down lists, and an Instructions sheet. It is pre-filled with the "
        "place's measures and their latest two periods. Import it with "
        "manage.py import_measures."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "-o",
            "--output",
            type=Path,
            default=DEFAULT_FILE,
            metavar="FILE",
            help=f"Where to write the .xlsx file (default: {DEFAULT_FILE}).",
        )

    def handle(self, *args, output: Path, **options) -> None:
        self.stdout.write(f"Writing the template to {output}")
        try:
            with output.open("wb") as stream:
                count = measures_template_write(stream=stream)
        except (OSError, ValueError) as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(f"Wrote {output} with {count} measures pre-filled.")
        )
