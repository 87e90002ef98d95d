"""Output KPIs on the dashboard (ADR 32, issue 16): each tile's latest period,
year to date against the pro-rata target with the judgement in words and
shape, a chart of the year's periods and what is overdue; the filter by kind
beside the workstream filter; the same fields in the API's JSON, its HTML
fragment and the CSV; a fixed number of queries. Built from indicators alone
(an Indicator of kind "Output KPI", its values and targets): no workstreams
app."""

import csv
import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.renderers import JSONRenderer

from indicators.api.serializers.dashboard import DashboardSerializer
from indicators.models import Indicator
from indicators.page_selectors.dashboard import dashboard_entries
from indicators.selectors import place_get
from indicators.services.values import period_get_or_create
from marmot.api.representation import PlannedRepresentation, drf_to_representation
from tests.indicators.factories import (
    IndicatorFactory,
    IndicatorValueFactory,
    TargetFactory,
)
from tests.indicators.pages.fixtures import Tree, build_place, measure, status, text
from tests.workstreams.factories import WorkstreamFactory

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 12, 3)  # 2026/27 Q3 is open; Q1 and Q2 are due
API = "/api/v1/dashboard/"
HTML = {"HTTP_ACCEPT": "text/html"}


@pytest.fixture(autouse=True)
def on_a_day_in_2026_27_q3(today_is):
    today_is(TODAY)


def output_kpi(place, *, values=None, target=None, tolerance=10.0, **fields):
    """A quarterly count of ``fields["unit"]`` (default homes), high is good,
    summed for the year to date, due from April 2025; its approved ``values``
    ({period: value}) and an annual ``target`` ({year: value})."""
    indicator = IndicatorFactory(
        **{
            "kind": Indicator.Kind.LOCAL_OUTPUT,
            "value_type": Indicator.ValueType.COUNT,
            "unit": "homes",
            "multiplier": 1,
            "polarity": Indicator.Polarity.HIGH_IS_GOOD,
            "principle": None,
            "update_frequency": Indicator.Frequency.QUARTERLY,
            "year_to_date": Indicator.YearToDate.SUM,
            "values_expected_from": dt.date(2025, 4, 1),
            "display_decimals": 0,
            **fields,
        }
    )
    for label, value in (values or {}).items():
        IndicatorValueFactory(
            indicator=indicator,
            area=place.area,
            period=period_get_or_create(label=label),
            value=value,
            lower95=None,
            upper95=None,
            count=None,
            denominator=None,
        )
    for year, value in (target or {}).items():
        TargetFactory(
            indicator=indicator,
            area=place.area,
            period=period_get_or_create(label=year),
            value=value,
            amber_tolerance=tolerance,
            tolerance_is_percent=True,
        )
    return indicator


def kpi_tiles(response) -> dict[str, dict]:
    """Output KPI tile title -> what it says."""
    assert response.status_code == 200, response.content[:500]
    tree = Tree(response.content.decode())
    found = {}
    for node in tree.find("marmot-dashboard-tile--output"):
        [title] = tree.find("marmot-dashboard-tile__title", node)
        [latest] = tree.find("marmot-dashboard-tile__latest", node)
        [ytd] = tree.find("marmot-dashboard-tile__year-to-date", node)
        [judgement] = tree.find("marmot-dashboard-tile__judgement", node)
        [overdue] = tree.find("marmot-dashboard-tile__overdue", node)
        shapes = [
            cls
            for rag in tree.find("marmot-rag", judgement)
            for cls in rag["attrs"]["class"].split()
            if cls.startswith("marmot-rag--")
        ]
        svg = next(
            c for c in node["children"] if isinstance(c, dict) and c["tag"] == "svg"
        )
        found[text(title)] = {
            "latest": text(latest),
            "year_to_date": text(ytd),
            "judgement": text(judgement),
            "shape": shapes[0] if shapes else None,
            "overdue": text(overdue),
            "chart": svg["attrs"]["aria-label"],
            "figures": [
                text(row)
                for body in tree.find("govuk-table__body", node)
                for row in tree.find("govuk-table__row", body)
            ],
        }
    return found


def group_of(response, title: str) -> str:
    tree = Tree(response.content.decode())
    for group in tree.find("marmot-dashboard__group"):
        if title in text(group):
            return text(group["children"][1])
    raise AssertionError(title)


def kpi_world():
    place = build_place()
    output_kpi(
        place,
        code="retrofits",
        name="Homes retrofitted",
        values={"2026/27 Q1": 10, "2026/27 Q2": 12},
        target={"2026/27": 40},  # 22 against 20: on target
    )
    output_kpi(
        place,
        code="advice",
        name="Tenants given advice",
        unit="people",
        values={"2025/26 Q1": 5, "2025/26 Q2": 5, "2025/26 Q3": 5},
        target={"2025/26": 60},  # 15 against 45: off target
    )
    output_kpi(
        place,
        code="landlords",
        name="Landlords signed up",
        unit="landlords",
        values={"2026/27 Q1": 19, "2026/27 Q2": 20},
        target={"2026/27": 80},  # 39 against 40, within 4
        values_expected_from=dt.date(2026, 4, 1),
    )
    output_kpi(
        place,
        code="nothing",
        name="Businesses supported",
        unit="businesses",
        values_expected_from=None,
    )
    measure(place, code="smoking", name="Smoking prevalence", principle=None)
    return place


def test_an_output_kpi_tile_shows_its_year_against_target(client):
    kpi_world()

    response = client.get("/dashboard/")

    shown = kpi_tiles(response)
    assert shown["Homes retrofitted"] == {
        "latest": "12 homes in 2026/27 Q2",
        "year_to_date": "Year to date (2026/27) 22 homes to 2026/27 Q2 against a "
        "target of 20 homes",
        "judgement": "Against target On target",
        "shape": "marmot-rag--green",
        "overdue": "Overdue: 2025/26 Q1, 2025/26 Q2, 2025/26 Q3, 2025/26 Q4",
        "chart": "2026/27: Rising from 10 homes in 2026/27 Q1 to 12 homes in "
        "2026/27 Q2; no value for 2026/27 Q3, 2026/27 Q4",
        "figures": [
            "2026/27 Q1 10 homes 10 homes On target",
            "2026/27 Q2 12 homes 10 homes On target",
            "2026/27 Q3 No value 10 homes No value",
            "2026/27 Q4 No value 10 homes No value",
        ],
    }
    advice = shown["Tenants given advice"]
    assert advice["latest"] == "5 people in 2025/26 Q3"
    assert (advice["judgement"], advice["shape"]) == (
        "Against target Off target",
        "marmot-rag--red",
    )
    assert advice["overdue"] == "Overdue: 2025/26 Q4, 2026/27 Q1, 2026/27 Q2"
    assert advice["figures"][3] == "2025/26 Q4 No value 15 people Overdue"
    landlords = shown["Landlords signed up"]
    assert (landlords["judgement"], landlords["shape"]) == (
        "Against target Within tolerance",
        "marmot-rag--amber",
    )
    assert landlords["overdue"] == "Nothing overdue"
    assert group_of(response, "Homes retrofitted") == "Output KPIs"
    assert group_of(response, "Smoking prevalence") == "Overarching measures"
    assert status(response) == "5 measures shown"
    html = response.content.decode()
    assert (
        '<span class="marmot-rag marmot-rag--green"><span class="marmot-rag__shape" '
        'aria-hidden="true"></span><strong>On target</strong></span>'
    ) in html
    assert "style=" not in html


def test_no_values_say_so_for_kpis_and_outcome_measures(client):
    place = build_place()
    output_kpi(place, name="Businesses supported", values_expected_from=None)
    IndicatorFactory(name="Employment rate", principle=None)  # awaiting data

    response = client.get("/dashboard/")

    kpi = kpi_tiles(response)["Businesses supported"]
    assert kpi["latest"] == "No values recorded yet"
    assert kpi["year_to_date"] == "Year to date (2026/27) No values for 2026/27 yet"
    assert kpi["judgement"] == "Against target No target set for 2026/27"
    assert kpi["chart"] == "2026/27: No values to show"
    assert kpi["figures"] == []  # no table of empty periods
    tree = Tree(response.content.decode())
    [awaiting] = tree.find("marmot-dashboard-tile__awaiting")
    assert text(awaiting) == "Awaiting data: no value has been published yet."
    assert "No value yet" in response.content.decode()


def test_filter_by_kind_beside_the_workstream_filter(client):
    place = kpi_world()
    workstream = WorkstreamFactory(slug="housing", name="Housing")
    Indicator.objects.get(code="retrofits").workstreams.add(workstream)
    Indicator.objects.get(code="smoking").workstreams.add(workstream)

    def shown(query):
        tree = Tree(client.get(f"/dashboard/?{query}").content.decode())
        return sorted(text(t) for t in tree.find("marmot-dashboard-tile__title"))

    assert shown("kind=local_output") == [
        "Businesses supported",
        "Homes retrofitted",
        "Landlords signed up",
        "Tenants given advice",
    ]
    assert shown("kind=outcome") == ["Smoking prevalence"]
    assert shown("workstream=housing") == ["Homes retrofitted", "Smoking prevalence"]
    assert shown("workstream=housing&kind=local_output") == ["Homes retrofitted"]
    # Principles, benchmarks and trends are outcome measures' only: those
    # filters leave the output KPIs out (a KPI is never "not compared").
    assert shown("assessment_result=not_compared") == []
    assert shown("trend=not_calculated") == []
    assert shown("principle=overarching") == ["Smoking prevalence"]  # no principle
    assert shown("comparator=national&kind=local_output") == shown("kind=local_output")
    response = client.get("/dashboard/?workstream=housing&kind=local_output")
    html = response.content.decode()
    assert '<option value="local_output" selected>Output KPIs</option>' in html
    assert html.index('id="id_workstream"') < html.index('id="id_kind"')
    assert html.index('id="id_kind"') < html.index('id="id_comparator"')
    assert 'href="/dashboard/data.csv?workstream=housing&amp;kind=local_output"' in html
    assert place is not None


def test_an_unknown_kind_is_an_error_linked_to_its_field(client):
    build_place()
    response = client.get("/dashboard/?kind=impact")
    assert response.status_code == 400
    html = response.content.decode()
    assert '<a href="#id_kind">Select a kind of measure from the list</a>' in html
    assert "marmot-dashboard-tile" not in html
    api = client.get(f"{API}?kind=impact")
    assert api.status_code == 400
    assert list(api.json()["error"]["fields"]) == ["kind"]
    assert client.get("/dashboard/data.csv?kind=impact").status_code == 400


def test_the_json_carries_the_kpi_fields(client):
    kpi_world()

    body = client.get(API, {"kind": "local_output", "today": "2026-12-03"}).json()

    entries = {e["indicator"]["code"]: e for e in body["indicators"]}
    assert sorted(entries) == ["advice", "landlords", "nothing", "retrofits"]
    retrofits = entries["retrofits"]
    assert retrofits["indicator"]["kind"] == "local_output"
    output = retrofits["output"]
    assert {k: v for k, v in output.items() if k != "periods"} == {
        "year": "2026/27",
        "through": "2026/27 Q2",
        "year_to_date": 22.0,
        "year_to_date_display": "22 homes",
        "year_to_date_target": 20.0,
        "annual_target": 40.0,
        "judgement": {
            "status": "on_target",
            "words": "On target",
            "shape": "green",
            "value": 22.0,
            "target": 20.0,
            "tolerance": 2.0,
        },
        "latest_judgement": {
            "status": "on_target",
            "words": "On target",
            "shape": "green",
            "value": 12.0,
            "target": 10.0,
            "tolerance": 1.0,
        },
        "overdue": ["2025/26 Q1", "2025/26 Q2", "2025/26 Q3", "2025/26 Q4"],
    }
    assert output["periods"][1] == {
        "period": "2026/27 Q2",
        "value": 12.0,
        "target": 10.0,
        "judgement": output["latest_judgement"],
        "overdue": False,
    }
    assert output["periods"][3] == {
        "period": "2026/27 Q4",
        "value": None,
        "target": 10.0,
        "judgement": None,
        "overdue": False,
    }
    assert entries["advice"]["output"]["judgement"]["status"] == "off_target"
    assert entries["landlords"]["output"]["judgement"]["words"] == "Within tolerance"
    nothing = entries["nothing"]["output"]
    assert (nothing["year_to_date"], nothing["judgement"], nothing["overdue"]) == (
        None,
        None,
        [],
    )
    outcome = client.get(API, {"kind": "outcome"}).json()["indicators"]
    assert [(e["indicator"]["kind"], e["output"]) for e in outcome] == [
        ("outcome", None)
    ]


def test_the_json_is_drfs_reading_with_kpis(monkeypatch):
    kpi_world()
    entries = dashboard_entries(None, {}, today=TODAY)
    document = {"place": place_get(), "today": TODAY, "indicators": entries}

    planned = JSONRenderer().render(DashboardSerializer(document).data)
    with monkeypatch.context() as patch:
        patch.setattr(PlannedRepresentation, "to_representation", drf_to_representation)
        drf = JSONRenderer().render(DashboardSerializer(document).data)

    assert planned == drf
    assert sum(e.output is not None for e in entries) == 4


def test_the_html_fragment_is_the_pages_results(client):
    kpi_world()
    query = "?kind=local_output"
    page = client.get(f"/dashboard/{query}").content.decode()
    fragment = client.get(f"{API}{query}", **HTML)
    assert fragment.status_code == 200
    assert kpi_tiles(fragment) == kpi_tiles(client.get(f"/dashboard/{query}"))
    assert 'id="dashboard-tiles"' in page


def read_csv(response) -> list[dict]:
    assert response.status_code == 200, response.content[:300]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8")[1:])))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def test_the_csv_carries_the_kpi_fields(client):
    kpi_world()

    rows = {r["Code"]: r for r in read_csv(client.get("/dashboard/data.csv"))}

    retrofits = rows["retrofits"]
    assert retrofits["Marmot principle"] == "Output KPIs"
    assert {k: retrofits[k] for k in list(retrofits)[-9:]} == {
        "Kind": "Output KPI",
        "Financial year": "2026/27",
        "Year to date": "22.0",
        "Year to date as shown": "22 homes",
        "Year-to-date target": "20.0",
        "Annual target": "40.0",
        "Against target": "On target",
        "Against target (code)": "on_target",
        "Overdue periods": "2025/26 Q1; 2025/26 Q2; 2025/26 Q3; 2025/26 Q4",
    }
    assert (retrofits["Period"], retrofits["Value"]) == ("2026/27 Q2", "12.0")
    assert retrofits["Compared with England"] == "" and retrofits["Trend"] == ""
    assert rows["advice"]["Against target (code)"] == "off_target"
    assert rows["landlords"]["Against target"] == "Within tolerance"
    assert rows["nothing"]["Against target"] == "No target set for 2026/27"
    assert rows["nothing"]["Value as shown"] == ""
    assert rows["smoking"]["Kind"] == "Outcome measure"
    assert rows["smoking"]["Year to date"] == ""
    only = read_csv(client.get("/dashboard/data.csv?kind=outcome"))
    assert [r["Code"] for r in only] == ["smoking"]


@pytest.mark.parametrize(
    ("role", "sees_draft"),
    [("anonymous", False), ("partner", False), ("officer", True)],
)
def test_a_draft_kpi_only_for_those_who_may_read_drafts(
    client_as, role_users, role, sees_draft
):
    place = build_place()
    users = role_users()
    output_kpi(place, name="Published KPI", values={"2026/27 Q1": 3})
    output_kpi(place, name="Draft KPI", values={"2026/27 Q1": 4}, is_published=False)
    client = client_as(users[role])

    expected = ["Draft KPI", "Published KPI"] if sees_draft else ["Published KPI"]
    assert sorted(kpi_tiles(client.get("/dashboard/"))) == expected
    codes = [e["indicator"]["name"] for e in client.get(API).json()["indicators"]]
    assert sorted(codes) == expected
    assert ("Draft KPI" in client.get("/dashboard/data.csv").content.decode()) is (
        sees_draft
    )


def add_kpis(place, count, start=0):
    for n in range(start, start + count):
        output_kpi(
            place,
            name=f"KPI {n:02d}",
            values={"2025/26 Q4": n, "2026/27 Q1": n + 1, "2026/27 Q2": n + 2},
            target={"2026/27": 40, "2025/26": 30},
        )
        measure(place, name=f"Measure {n:02d}")


@pytest.mark.parametrize(
    "url",
    [
        "/dashboard/",
        "/dashboard/data.csv",
        f"{API}?today=2026-12-03",
        f"{API}?kind=local_output",
    ],
)
@pytest.mark.parametrize("role", ["anonymous", "officer"])
def test_query_count_does_not_grow_with_the_kpis(client_as, role_users, url, role):
    place = build_place()
    client = client_as(role_users()[role])
    headers = HTML if url.endswith("local_output") else {}

    def queries():
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url, **headers)
        assert response.status_code == 200
        return len(captured)

    add_kpis(place, 2)
    queries()  # once-per-process lookups out of the way
    add_kpis(place, 1, start=2)
    small = queries()
    add_kpis(place, 9, start=3)
    assert queries() == small


def test_output_kpis_cost_two_queries_and_none_without_them(client):
    place = build_place()
    measure(place, name="Smoking prevalence")

    def queries(url):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    without = queries(f"{API}?today=2026-12-03")
    output_kpi(place, name="Homes retrofitted", values={"2026/27 Q1": 3})
    assert queries(f"{API}?today=2026-12-03") == without + 2


def test_an_output_kpis_values_download_carries_its_targets_and_judgements(client):
    place = kpi_world()
    output_kpi(
        place,
        code="history",
        name="Homes with history",
        values={"2025/26 Q4": 9, "2026/27 Q1": 12},
        target={"2025/26": 40, "2026/27": 60},  # 10 and 15 a quarter
    )

    response = client.get("/indicators/history/download.csv")

    assert response.status_code == 200
    rows = read_csv_plain(response)
    assert list(rows[0])[-5:] == [
        "Kind",
        "Financial year",
        "Target",
        "Against target",
        "Against target (code)",
    ]
    shown = {r["Period"]: [r[k] for k in list(r)[-5:]] for r in rows if r["Value"]}
    assert shown == {
        "2025/26 Q4": [
            "Output KPI",
            "2025/26",
            "10",
            "Within tolerance",
            "within_tolerance",
        ],
        "2026/27 Q1": ["Output KPI", "2026/27", "15", "Off target", "off_target"],
    }
    xlsx = client.get("/indicators/history/download.xlsx")
    assert xlsx.status_code == 200
    outcome = read_csv_plain(client.get("/indicators/smoking/download.csv"))
    assert "Against target" not in outcome[0]


def read_csv_plain(response) -> list[dict]:
    text = response.content.decode("utf-8").lstrip("\ufeff")
    rows = list(csv.reader(io.StringIO(text)))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_values_download_of_a_kpi_has_fixed_queries(client, fmt):
    place = build_place()
    indicator = output_kpi(place, code="grows", values={"2025/26 Q1": 1})

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(f"/indicators/grows/download.{fmt}").status_code == 200
        return len(captured)

    queries()
    small = queries()
    for n, label in enumerate(["2025/26 Q2", "2025/26 Q3", "2025/26 Q4", "2026/27 Q1"]):
        IndicatorValueFactory(
            indicator=indicator,
            area=place.area,
            period=period_get_or_create(label=label),
            value=n,
            lower95=None,
            upper95=None,
        )
        TargetFactory(
            indicator=indicator,
            area=place.area,
            period=period_get_or_create(label=label),
            value=n + 1,
        )
    assert queries() == small


@pytest.mark.parametrize("today", ["0400-03-20", "2200-01-01", "1899-12-31"])
def test_a_today_outside_the_years_periods_are_labelled_in_is_a_400(client, today):
    response = client.get("/api/v1/dashboard/", {"today": today})
    assert response.status_code == 400
    assert "today" in response.json()["error"]["fields"]
