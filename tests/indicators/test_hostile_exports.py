"""Exports defuse text starting with a tab or carriage return too.

The other formula starts (=, +, -, @) are covered by each export's own tests
(tests/indicators/pages/test_indicator_page_downloads.py, test_dashboard_csv.py,
tests/workstreams/pages/test_changes.py, tests/indicators/test_admin_downloads.py
and fingertips/test_export.py); these add the whitespace starts a spreadsheet also
reads as a formula, and check negative numbers stay numbers.
"""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tests.indicators.factories import AreaFactory, IndicatorValueFactory
from tests.indicators.fixtures import DOWNLOAD
from tests.indicators.pages.fixtures import build_place, measure, measure_build
from tests.workstreams.factories import ActionFactory, UserFactory
from tests.workstreams.pages.fixtures import SINCE, build_changes, changes_url
from workstreams.models import Action

pytestmark = pytest.mark.django_db

TAB = "\t=1+1"
CR = "\r=1+1"


def _cells(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text.lstrip("\ufeff"), newline="")))


@pytest.fixture
def whitespace_measure():
    indicator, place = measure_build(periods=1, wards=0, quintiles=0)
    IndicatorValueFactory(
        indicator=indicator,
        area=AreaFactory(code="E99", name=TAB),
        period=place.area.values.first().period,
        value_note=CR,
        value=-3.5,
        lower95=-4.0,
        upper95=-3.0,
    )
    return indicator


def test_indicator_csv_defuses_tab_and_carriage_return(client, whitespace_measure):
    url = reverse("indicator-download", args=[whitespace_measure.code, "csv"])
    rows = _cells(client.get(url).content.decode())
    row = next(r for r in rows if "'" + TAB in r)
    assert "'" + CR in row
    assert "-3.5" in row


def test_indicator_xlsx_defuses_tab_and_carriage_return(client, whitespace_measure):
    url = reverse("indicator-download", args=[whitespace_measure.code, "xlsx"])
    sheet = load_workbook(io.BytesIO(client.get(url).content)).active
    row = next(r for r in sheet.iter_rows(min_row=2) if r[3].value == "'" + TAB)
    values = [c.value for c in row]
    # XML reads a bare carriage return back as a newline; the quote is what counts.
    assert "'\n=1+1" in values or "'" + CR in values, values
    assert all(c.data_type != "f" for c in row)
    assert -3.5 in values


def test_dashboard_csv_defuses_tab_and_carriage_return(client):
    place = build_place()
    measure(place, code="tab", name=TAB, unit=CR, values=(-5.0, -2.5, -1.0))
    rows = _cells(client.get("/dashboard/data.csv").content.decode())
    row = next(r for r in rows if "tab" in r)
    assert "'" + TAB in row and "'" + CR in row
    assert "-1.0" in row


def test_changes_csv_defuses_tab_and_carriage_return(client, role_users):
    build_changes(role_users)
    plan = Action.objects.get(title="Retrofit homes").workplan
    ActionFactory(workplan=plan, title=TAB)
    ActionFactory(workplan=plan, title=CR)
    response = client.get(changes_url(f"since={SINCE}&format=csv"))
    titles = [r[2] for r in _cells(response.content.decode())]
    assert "'" + TAB in titles and "'" + CR in titles


def test_admin_value_download_defuses_tab_and_carriage_return(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    value = IndicatorValueFactory(
        area=AreaFactory(name=TAB),
        value_note=CR,
        value=-2.0,
        lower95=None,
        upper95=None,
    )
    response = client.get(reverse(DOWNLOAD, args=["csv"]))
    text = b"".join(response.streaming_content).decode("utf-8")
    row = next(r for r in _cells(text) if "'" + TAB in r)
    assert "'" + CR in row
    assert "-2" in row or "-2.0" in row
    assert value.pk
