"""``manage.py export_fingertips``: values in Fingertips' data CSV layout."""

from __future__ import annotations

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from indicators.fingertips.exporter import (
    fingertips_csv_write,
    fingertips_export_rows,
    fingertips_xlsx_write,
)
from indicators.models import Area, Indicator, IndicatorValue


class Command(BaseCommand):
    help = (
        "Export values in the columns of a Fingertips data CSV (as read by "
        "import_fingertips), as CSV or XLSX. 'Compared to England value or "
        "percentiles', 'Compared to Region value or percentiles' and 'Recent "
        "Trend' hold each value's effective judgement: set by hand if it was, "
        "else published if there is one, else computed. Text cells that a "
        "spreadsheet would run as a formula are prefixed with an apostrophe."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--indicator",
            action="append",
            default=[],
            metavar="CODE",
            help="Only this indicator (our code, e.g. fingertips-90366, or a "
            "Fingertips id). Repeat for more. Default: every indicator.",
        )
        parser.add_argument(
            "--area",
            action="append",
            default=[],
            metavar="CODE",
            help="Only this area (its code, e.g. an ONS code). Repeat for more. "
            "Default: every area.",
        )
        parser.add_argument(
            "--format",
            choices=["csv", "xlsx"],
            help="Output format. Default: from the -o file's extension, else csv.",
        )
        parser.add_argument(
            "-o",
            "--output",
            type=Path,
            metavar="FILE",
            help="Write to FILE (UTF-8 with a byte-order mark for CSV, so that "
            "Excel reads it right). Default: CSV to standard output.",
        )
        parser.add_argument(
            "--quiet",
            action="store_true",
            help="No progress bar (it is also off when stderr is not a terminal).",
        )

    def _indicators(self, codes: list[str]) -> list[int]:
        found: dict[str, int] = {}
        for indicator in Indicator.objects.all().only("pk", "code", "fingertips_id"):
            found[indicator.code] = indicator.pk
            if indicator.fingertips_id:
                found.setdefault(str(indicator.fingertips_id), indicator.pk)
        missing = [code for code in codes if code not in found]
        if missing:
            raise CommandError("Unknown indicator(s): " + ", ".join(missing))
        return [found[code] for code in codes]

    def _areas(self, codes: list[str]) -> list[int]:
        found = dict(Area.objects.filter(code__in=codes).values_list("code", "pk"))
        missing = [code for code in codes if code not in found]
        if missing:
            raise CommandError("Unknown area(s): " + ", ".join(missing))
        return list(found.values())

    def handle(self, *args, **options):
        output: Path | None = options["output"]
        fmt = options["format"] or (
            "xlsx" if output and output.suffix.lower() == ".xlsx" else "csv"
        )
        if fmt == "xlsx" and output is None:
            raise CommandError("XLSX needs an output file: use -o FILE.xlsx.")
        queryset = IndicatorValue.objects.all()
        if options["indicator"]:
            queryset = queryset.filter(
                indicator_id__in=self._indicators(options["indicator"])
            )
        if options["area"]:
            queryset = queryset.filter(area_id__in=self._areas(options["area"]))
        show = not options["quiet"] and sys.stderr.isatty()
        rows = fingertips_export_rows(queryset=queryset)
        if show:
            rows = tqdm(
                rows,
                total=queryset.count(),
                unit="row",
                desc="Exporting",
                file=sys.stderr,
            )
        if fmt == "xlsx":
            with output.open("wb") as stream:
                written = fingertips_xlsx_write(rows=rows, stream=stream)
        elif output is not None:
            with output.open("w", encoding="utf-8-sig", newline="") as stream:
                written = fingertips_csv_write(rows=rows, stream=stream)
        else:
            written = fingertips_csv_write(rows=rows, stream=self.stdout)
        if output is not None:
            self.stdout.write(
                self.style.SUCCESS(f"{written} rows written to {output}.")
            )
