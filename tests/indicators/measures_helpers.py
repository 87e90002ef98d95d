"""Helpers for the outcome-measure import tests: the place's files, counts."""

import io
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from openpyxl import load_workbook

from indicators.measures.template import measures_template_write
from indicators.models import ImportRun

PLACES = Path(settings.BASE_DIR) / "data" / "places"
PLACE_DIR = sorted(p for p in PLACES.iterdir() if p.is_dir())[0]
TABLE = PLACE_DIR / "outcome-measures.tsv"
NEW_ROW_DESCRIPTION = "Adults walking to work (%)"


def counts() -> dict[str, int]:
    return {
        model._meta.label: model.objects.count()
        for label in ("workstreams", "indicators")
        for model in apps.get_app_config(label).get_models()
        if model is not ImportRun
    }


def run(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def table_lines() -> list[str]:
    return TABLE.read_text(encoding="utf-8").splitlines()


def xlsx_bytes() -> bytes:
    stream = io.BytesIO()
    measures_template_write(stream=stream)
    return stream.getvalue()


def edit_xlsx(data: bytes, edit) -> bytes:
    workbook = load_workbook(io.BytesIO(data))
    edit(workbook["Measures"])
    stream = io.BytesIO()
    workbook.save(stream)
    return stream.getvalue()
