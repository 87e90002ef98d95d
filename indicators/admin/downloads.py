"""Admin downloads of indicator values in Fingertips' columns (CSV or XLSX).

Both go through :mod:`indicators.fingertips.exporter`, which neutralises
spreadsheet formulas; the CSV is streamed.
"""

import io

from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone

from indicators.fingertips.exporter import (
    fingertips_csv_lines,
    fingertips_export_rows,
    fingertips_xlsx_write,
)

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _file_name(extension: str) -> str:
    return f"indicator-values-{timezone.localdate():%Y-%m-%d}.{extension}"


def fingertips_csv_response(queryset) -> StreamingHttpResponse:
    """The values in Fingertips' columns, streamed as CSV (formulas neutralised)."""
    rows = fingertips_export_rows(queryset=queryset.prefetch_related(None))
    response = StreamingHttpResponse(
        fingertips_csv_lines(rows=rows), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{_file_name("csv")}"'
    return response


def fingertips_xlsx_response(queryset) -> HttpResponse:
    """The values in Fingertips' columns as one XLSX sheet."""
    stream = io.BytesIO()
    rows = fingertips_export_rows(queryset=queryset.prefetch_related(None))
    fingertips_xlsx_write(rows=rows, stream=stream)
    response = HttpResponse(stream.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{_file_name("xlsx")}"'
    return response
