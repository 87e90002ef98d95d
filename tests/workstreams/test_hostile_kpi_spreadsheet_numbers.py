"""A KPI spreadsheet whose Value cell holds a number no one could mean
(``inf``, ``nan``, 401 or 5,001 digits) is the page again with a 400 naming
the row, the column and the problem, and nothing is recorded (it was a 500)."""

import html as htmllib
import io
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tests.workstreams.kpi_fixtures import build_kpi_world
from tests.xlsx_raw_cells import PLACEHOLDER, with_raw_number
from workstreams.kpi_spreadsheet import SHEET_NAME
from workstreams.models import KpiEntry

pytestmark = pytest.mark.django_db
PERIOD = "2026/27 Q2"


@pytest.fixture
def world(role_users):
    return build_kpi_world(role_users)


def _upload(client, world, data: bytes):
    file = io.BytesIO(data)
    file.name = "kpis.xlsx"
    return client.post(
        reverse("kpi-spreadsheet", args=[world.own.slug]), {"file": file}
    )


def _template_with_value(client, world, raw: str) -> bytes:
    url = reverse("kpi-spreadsheet", args=[world.own.slug])
    response = client.get(url, {"period": PERIOD})
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    workbook[SHEET_NAME]["E2"] = PLACEHOLDER
    stream = io.BytesIO()
    workbook.save(stream)
    return with_raw_number(stream.getvalue(), raw)


def _text(response) -> str:
    html = response.content.decode()
    return htmllib.unescape(" ".join(re.sub(r"<[^>]+>", " ", html).split()))


@pytest.mark.parametrize(
    "raw",
    ["inf", "nan", "-Infinity", "1e400", "1" + "0" * 400, "1" + "0" * 5001, "12x"],
)
def test_a_value_no_one_could_mean_is_named_by_row_and_column(world, client_as, raw):
    client = client_as(world.users["chair"])
    response = _upload(client, world, _template_with_value(client, world, raw))
    assert response.status_code == 400
    text = _text(response)
    assert "There is a problem: nothing was recorded" in text
    assert re.search(
        r"Row 2 E \(Value\) (Enter a number: .* (is not a number|too many to be a "
        r"number)|Enter a finite number|Enter a number between)",
        text,
    ), text[:3000]
    assert KpiEntry.objects.count() == 0


def test_a_value_beyond_any_kpi_is_refused(world, client_as):
    client = client_as(world.users["chair"])
    data = _template_with_value(client, world, "1" + "0" * 300)
    response = _upload(client, world, data)
    assert response.status_code == 400
    assert "Row 2 E (Value)" in _text(response)
    assert KpiEntry.objects.count() == 0
