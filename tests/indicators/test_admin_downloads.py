"""Downloads from the value list: selected rows, or the whole filtered list."""

import csv
import io

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from openpyxl import load_workbook

from indicators.fingertips import columns
from indicators.models import IndicatorValue
from tests.indicators.factories import IndicatorFactory, IndicatorValueFactory
from tests.indicators.fixtures import DOWNLOAD
from tests.workstreams.factories import UserFactory

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:indicators_indicatorvalue_changelist"
EVIL = "=cmd|' /C calc'!A0"


@pytest.fixture
def officer_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


@pytest.fixture
def values():
    evil = IndicatorFactory(name=EVIL, code="evil", fingertips_id=111)
    plain = IndicatorFactory(name="School readiness", code="ready", fingertips_id=222)
    return {
        "evil": IndicatorValueFactory(
            indicator=evil, value=12.5, lower95=None, upper95=None
        ),
        "plain": IndicatorValueFactory.create_batch(3, indicator=plain),
    }


def csv_rows(response) -> list[dict[str, str]]:
    text = b"".join(response.streaming_content).decode("utf-8")
    return list(csv.DictReader(io.StringIO(text)))


def xlsx_rows(response) -> list[list]:
    sheet = load_workbook(io.BytesIO(response.content)).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def act(client, action: str, pks) -> object:
    return client.post(
        reverse(CHANGELIST),
        {"action": action, "_selected_action": [str(pk) for pk in pks]},
    )


def test_selected_as_csv_streams_just_those_rows_neutralised(officer_client, values):
    response = act(officer_client, "download_fingertips_csv", [values["evil"].pk])
    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"].startswith("text/csv")
    rows = csv_rows(response)
    assert len(rows) == 1
    assert rows[0][columns.INDICATOR_NAME] == "'" + EVIL
    assert rows[0][columns.INDICATOR_ID] == "111"
    assert rows[0][columns.VALUE] == "12.5"


def test_selected_as_xlsx(officer_client, values):
    pks = [v.pk for v in values["plain"][:2]] + [values["evil"].pk]
    response = act(officer_client, "download_fingertips_xlsx", pks)
    assert response.status_code == 200
    rows = xlsx_rows(response)
    header, body = rows[0], rows[1:]
    assert len(body) == 3
    names = {row[header.index(columns.INDICATOR_NAME)] for row in body}
    assert names == {"School readiness", "'" + EVIL}


def test_whole_filtered_list_respects_filters_and_search(officer_client, values):
    plain = values["plain"][0].indicator
    url = reverse(DOWNLOAD, args=["csv"])
    rows = csv_rows(officer_client.get(url, {"indicator__id__exact": plain.pk}))
    assert len(rows) == 3
    assert {r[columns.INDICATOR_ID] for r in rows} == {"222"}
    rows = csv_rows(officer_client.get(url, {"q": "evil"}))
    assert [r[columns.INDICATOR_NAME] for r in rows] == ["'" + EVIL]
    rows = csv_rows(officer_client.get(url))
    assert len(rows) == IndicatorValue.objects.count() == 4


def test_whole_filtered_list_as_xlsx(officer_client, values):
    plain = values["plain"][0].indicator
    response = officer_client.get(
        reverse(DOWNLOAD, args=["xlsx"]), {"indicator__id__exact": plain.pk}
    )
    assert "spreadsheetml" in response["Content-Type"]
    assert len(xlsx_rows(response)) == 1 + 3


def test_changelist_links_carry_the_current_filters(officer_client, values):
    plain = values["plain"][0].indicator
    response = officer_client.get(
        reverse(CHANGELIST), {"indicator__id__exact": plain.pk}
    )
    content = response.content.decode()
    expected = f"{reverse(DOWNLOAD, args=['csv'])}?indicator__id__exact={plain.pk}"
    assert expected in content
    assert "Download selected as Fingertips CSV" in content


def test_download_needs_view_permission(client, values):
    user = UserFactory(is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_indicator"))
    client.force_login(user)
    assert client.get(reverse(DOWNLOAD, args=["csv"])).status_code == 403
