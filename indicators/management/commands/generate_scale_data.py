"""manage.py generate_scale_data: a synthetic programme at N × a typical place."""

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from indicators.synthetic import (
    scale_data_counts,
    scale_data_delete,
    scale_data_exists,
    scale_data_generate,
)


class Command(BaseCommand):
    help = (
        "Write a synthetic programme at FACTOR times a typical place, for "
        "benchmarks: per factor 4 workstreams, ~1,000 actions, ~10,000 progress "
        "updates, 50 indicators over 20 of up to 300 areas and 15 periods (ward "
        "and deprivation-decile breakdowns from factor 3). The same --seed gives "
        "the same rows. Rows are bulk-inserted: no history is written, and no "
        "model validation runs (the data is built valid). Refuses if synthetic "
        "data exists unless --replace is given, which first deletes the earlier "
        "synthetic rows (names starting 'synthetic-') and nothing else."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--factor",
            type=float,
            required=True,
            help="Size relative to one place, e.g. 1, 10 or 0.01.",
        )
        parser.add_argument("--seed", type=int, default=0, help="Default 0.")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Delete earlier synthetic data first instead of refusing.",
        )

    def handle(self, *args, factor, seed, replace, **options) -> None:
        if factor <= 0:
            raise CommandError("--factor must be greater than 0.")
        if scale_data_exists():
            if not replace:
                raise CommandError(
                    "Synthetic data already exists. Use --replace to delete it "
                    "and generate again."
                )
            scale_data_delete()
        expected = scale_data_counts(factor=factor)
        total = sum(expected.values())
        quiet = options["verbosity"] == 0
        with tqdm(total=total, unit="rows", disable=quiet) as bar:
            counts = scale_data_generate(
                factor=factor,
                seed=seed,
                progress=lambda name, n: (bar.set_description(name), bar.update(n)),
            )
        if not quiet:
            summary = ", ".join(f"{n:,} {name}" for name, n in counts.items())
            self.stdout.write(self.style.SUCCESS(f"Generated {summary}."))
