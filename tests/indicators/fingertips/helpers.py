"""Building Fingertips files for the tests from the sample file."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from indicators.fingertips.importer import ImportResult, fingertips_import
from indicators.models import Area, Assessment, Indicator, IndicatorValue, Period, Trend

SAMPLE = Path(__file__).parent / "data" / "fingertips_sample.csv"
REGION_COLUMN = "Compared to Region value or percentiles"
DATA_MODELS = (Indicator, Area, Period, IndicatorValue, Assessment, Trend)


def sample_header() -> list[str]:
    with SAMPLE.open(encoding="utf-8-sig", newline="") as handle:
        return next(csv.reader(handle))


def sample_rows() -> list[dict[str, str]]:
    """The sample file's rows; row i is on line i + 2 of the file."""
    with SAMPLE.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def csv_bytes(
    rows: list[dict[str, str]],
    header: list[str] | None = None,
    *,
    columns: list[str] | None = None,
    encoding: str = "utf-8",
) -> bytes:
    """A file with ``header`` (the sample's by default) and ``rows``.

    Rows are dicts keyed by the sample's column names; ``columns`` names the
    sample column each header position takes its values from (by default the
    sample's own columns, so a renamed header keeps the values in place).
    """
    original = sample_header()
    header = header or original
    columns = columns or (original if len(header) == len(original) else header)
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([row.get(name, "") for name in columns])
    return out.getvalue().encode(encoding)


def run_import(data: bytes, name: str = "fingertips.csv", **kwargs) -> ImportResult:
    return fingertips_import(file=data, file_name=name, **kwargs)


def data_row_counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in DATA_MODELS}


def find(rows: list[dict[str, str]], **match: str) -> dict[str, str]:
    """The one row whose columns have these values (keys use _ for spaces)."""
    wanted = {key.replace("_", " "): value for key, value in match.items()}
    found = [r for r in rows if all(r[k] == v for k, v in wanted.items())]
    assert len(found) == 1, (match, len(found))
    return found[0]
