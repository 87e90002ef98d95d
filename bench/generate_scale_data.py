"""Write a synthetic programme at FACTOR times a typical place, for benchmarks.

Usage (from the project root)::

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/marmot \\
        .venv/bin/python -m bench.generate_scale_data --factor 1 [--seed 0] [--replace]

Per factor: 4 workstreams, ~1,000 actions, ~10,000 progress updates, 50
indicators over 20 of up to 300 areas and 15 periods (ward and
deprivation-decile breakdowns from factor 3); see :mod:`bench.synthetic`. The
same ``--seed`` gives the same rows. Rows are bulk-inserted: no history is
written and no model validation runs (the data is built valid). It refuses if
synthetic data exists unless ``--replace`` is given, which first deletes the
earlier synthetic rows (names starting ``synthetic-``) and nothing else.

It writes to the database named in ``DATABASE_URL`` with the settings in
``DJANGO_SETTINGS_MODULE`` (default ``marmot.settings.test``, as bench/run.py).
``bench/run.py`` calls :func:`scale_data_write` in-process; bench/framework.py
and bench/load_server.py run this module in the database they set up.
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import TextIO

from tqdm import tqdm


class ScaleDataRefused(Exception):
    """Nothing was written: the factor is not above 0, or synthetic data exists."""


def scale_data_write(
    *,
    factor: float,
    seed: int = 0,
    replace: bool = False,
    quiet: bool = False,
    out: TextIO | None = None,
) -> dict[str, int]:
    """Generate the data (Django set up); a progress bar on stderr unless quiet.

    Returns the rows written by kind; prints their summary to ``out`` (stdout)
    unless quiet. Raises :class:`ScaleDataRefused` before writing anything.
    """
    from bench.synthetic import (
        scale_data_delete,
        scale_data_exists,
        scale_data_generate,
    )
    from bench.synthetic_parameters import scale_data_counts

    if factor <= 0:
        raise ScaleDataRefused("--factor must be greater than 0.")
    if scale_data_exists():
        if not replace:
            raise ScaleDataRefused(
                "Synthetic data already exists. Use --replace to delete it "
                "and generate again."
            )
        scale_data_delete()
    total = sum(scale_data_counts(factor=factor).values())
    with tqdm(total=total, unit="rows", disable=quiet) as bar:
        counts = scale_data_generate(
            factor=factor,
            seed=seed,
            progress=lambda name, n: (bar.set_description(name), bar.update(n)),
        )
    if not quiet:
        summary = ", ".join(f"{n:,} {name}" for name, n in counts.items())
        print(f"Generated {summary}.", file=out or sys.stdout)
    return counts


def parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m bench.generate_scale_data",
        description=__doc__.split("\n\n")[0],
    )
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
    parser.add_argument(
        "-q",
        "--quiet",
        action="store_true",
        help="No progress bar and no summary.",
    )
    return parser


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "marmot.settings.test")
    import django

    django.setup()


def main(argv: list[str] | None = None) -> int:
    """Run as a script: 0 once written, 1 (and why, on stderr) if refused."""
    args = parser().parse_args(argv)
    _setup_django()
    try:
        scale_data_write(
            factor=args.factor, seed=args.seed, replace=args.replace, quiet=args.quiet
        )
    except ScaleDataRefused as refused:
        print(f"generate_scale_data: {refused}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
