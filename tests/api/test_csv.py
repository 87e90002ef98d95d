"""CSV from the API (issue 18): ``Accept: text/csv`` or ``?format=csv`` on
``values/``, ``actions/`` and ``dashboard/`` give the whole filtered list, with
the site's own download columns, the same permissions as the JSON, cells that
never run as formulas, and errors still in the JSON envelope."""

import csv
import io

import pytest
from rest_framework.test import APIClient

from indicators.models import Area
from indicators.page_selectors.indicator_download import HEADER, download_csv
from marmot import roles
from tests.conftest import user_with_role
from tests.indicators.factories import (
    AreaFactory,
    AssessmentFactory,
    IndicatorFactory,
    IndicatorValueFactory,
    PeriodFactory,
    TrendFactory,
)
from tests.shared_data import rolled_back_after
from tests.workstreams.factories import (
    ActionFactory,
    PlaceFactory,
    WorkplanFactory,
    WorkstreamFactory,
)
from workstreams.api.actions_csv import HEADER as ACTION_HEADER
from workstreams.models import Action, Workplan

FORMULA = '=HYPERLINK("http://evil")'


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """Two indicators (one unpublished) with values, judgements and a trend,
    and a signed-off and a draft workplan with actions; built once."""
    with rolled_back_after(django_db_blocker):
        place = PlaceFactory(
            area=AreaFactory(code="E06000099", name="Testtown"),
            country=AreaFactory(
                code="E92000001", name="England", area_type=Area.Type.COUNTRY
            ),
            region=AreaFactory(code="E12000009", area_type=Area.Type.REGION),
        )
        shown = IndicatorFactory(code="SHOWN", is_published=True)
        hidden = IndicatorFactory(code="HIDDEN", is_published=False)
        for indicator in (shown, hidden):
            for year in (2021, 2022, 2023):
                period = PeriodFactory(label=str(year))
                latest = IndicatorValueFactory(
                    indicator=indicator,
                    area=place.area,
                    period=period,
                    value=40.0 + year - 2021,
                    value_note=FORMULA,
                )
                IndicatorValueFactory(
                    indicator=indicator, area=place.country, period=period
                )
            AssessmentFactory(value=latest, result="worse")
            TrendFactory(value=latest, label="Increasing and getting worse")
        published = WorkplanFactory(
            status=Workplan.Status.SIGNED_OFF,
            signed_off_on="2024-03-01",
            workstream=WorkstreamFactory(slug="housing"),
        )
        ActionFactory(workplan=published, title=FORMULA, status="in_progress")
        ActionFactory(
            workplan=published,
            title="Done",
            status="completed",
            completed_on="2025-01-31",
        )
        ActionFactory(workplan=WorkplanFactory(year_label="2025/26"), title="Draft")
        officer = user_with_role(roles.OFFICER, username="csv-officer")
        yield {"shown": shown, "hidden": hidden, "officer": officer}


@pytest.fixture
def officer(world, db):
    client = APIClient()
    client.force_authenticate(world["officer"])
    return client


@pytest.fixture
def anon(world, db):
    return APIClient()


def _csv(response) -> list[list[str]]:
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.streaming
    assert response["Content-Disposition"].startswith('attachment; filename="')
    text = b"".join(response.streaming_content).decode()
    return list(csv.reader(io.StringIO(text)))


def test_every_value_of_one_indicator_as_the_site_downloads_it(anon, world):
    """?indicator=CODE&format=csv: the indicator page's download, row for row
    (in the list's order), with every comparison and the trend."""
    response = anon.get("/api/v1/values/?indicator=SHOWN&format=csv&page_size=1")
    rows = _csv(response)
    assert 'filename="SHOWN-' in response["Content-Disposition"]
    site = list(csv.reader(io.StringIO(download_csv(world["shown"]))))
    assert rows[0] == HEADER == site[0]
    assert sorted(rows[1:]) == sorted(site[1:])
    assert len(rows) == 1 + 6  # every value, not one page
    latest = next(row for row in rows if row[5] == "2023" and row[2] == "E06000099")
    assert latest[HEADER.index("Trend")] == "Increasing and getting worse"
    assert latest[HEADER.index("Compared with national")].startswith("Worse")


def test_accept_text_csv_is_the_same_as_format_csv(anon, world):
    by_format = _csv(anon.get("/api/v1/values/?indicator=SHOWN&format=csv"))
    by_accept = _csv(
        anon.get("/api/v1/values/?indicator=SHOWN", HTTP_ACCEPT="text/csv")
    )
    assert by_format == by_accept


def test_the_csv_sees_what_the_json_sees(anon, officer, world):
    public = {row[0] for row in _csv(anon.get("/api/v1/values/?format=csv"))[1:]}
    everything = {row[0] for row in _csv(officer.get("/api/v1/values/?format=csv"))[1:]}
    assert public == {"SHOWN"}
    assert everything == {"SHOWN", "HIDDEN"}


def test_filters_apply_to_the_csv(anon, world):
    rows = _csv(anon.get("/api/v1/values/?format=csv&period_from=2023&area=E06000099"))
    assert [(row[0], row[5]) for row in rows[1:]] == [("SHOWN", "2023")]


def test_a_formula_never_reaches_a_spreadsheet(anon, officer, world):
    values = _csv(anon.get("/api/v1/values/?format=csv&area=E06000099"))
    assert {row[HEADER.index("Value note")] for row in values[1:]} == {f"'{FORMULA}"}
    actions = _csv(officer.get("/api/v1/actions/?format=csv"))
    assert f"'{FORMULA}" in {row[ACTION_HEADER.index("Title")] for row in actions}


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/values/?format=csv&period_from=nonsense",
        "/api/v1/actions/?format=csv&overdue=maybe",
        "/api/v1/dashboard/?format=csv&kind=nonsense",
    ],
)
def test_a_wrong_filter_is_the_json_envelope(anon, path):
    response = anon.get(path)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert response.json()["error"]["status"] == 400
    with_accept = anon.get(path.replace("format=csv&", ""), HTTP_ACCEPT="text/csv")
    assert with_accept.status_code == 400
    assert with_accept.json()["error"]["status"] == 400


def test_actions_csv_has_the_visible_filtered_actions(anon, officer, world):
    rows = _csv(anon.get("/api/v1/actions/?format=csv"))
    assert rows[0] == ACTION_HEADER
    titles = {row[ACTION_HEADER.index("Title")] for row in rows[1:]}
    assert titles == {f"'{FORMULA}", "Done"}  # not the draft workplan's
    everything = _csv(officer.get("/api/v1/actions/?format=csv"))
    assert len(everything) == 1 + Action.objects.count()
    done = _csv(anon.get("/api/v1/actions/?format=csv&status=completed"))
    assert [row[ACTION_HEADER.index("Status (code)")] for row in done[1:]] == [
        "completed"
    ]


def test_dashboard_csv_is_the_dashboard_download(anon, world):
    rows = _csv(anon.get("/api/v1/dashboard/?format=csv"))
    site = anon.get("/dashboard/data.csv")
    text = site.content.decode().lstrip("\ufeff")
    assert rows == list(csv.reader(io.StringIO(text)))
    assert [row[1] for row in rows[1:]] == ["SHOWN"]


def test_a_detail_address_offers_no_csv(officer, world):
    value = world["shown"].values.first()
    response = officer.get(f"/api/v1/values/{value.pk}/?format=csv")
    assert response.status_code == 404
    assert response.json()["error"]["status"] == 404


def test_the_schema_declares_the_csv(anon):
    schema = anon.get("/api/schema/?format=json").json()
    for path in ("/api/v1/values/", "/api/v1/actions/", "/api/v1/dashboard/"):
        content = schema["paths"][path]["get"]["responses"]["200"]["content"]
        assert content["text/csv"]["schema"]["type"] == "string"
        assert "application/json" in content


def test_a_trend_has_a_machine_code_beside_its_words(anon, world):
    """Issue 18: match on ``code``, not the English ``label``."""
    values = anon.get("/api/v1/values/?indicator=SHOWN&area=E06000099").json()
    [trend] = [row["trend"] for row in values["results"] if row["trend"]]
    assert (trend["label"], trend["code"]) == (
        "Increasing and getting worse",
        "increasing_worse",
    )
    [entry] = anon.get("/api/v1/dashboard/").json()["indicators"]
    assert entry["trend"]["code"] == "increasing_worse"
