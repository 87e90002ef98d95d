"""/dashboard/data.csv: the measures shown, with the page's filters, safe to open."""

import csv
import io

import pytest

from tests.indicators.pages.fixtures import build_place, measure
from tests.workstreams.factories import MarmotPrincipleFactory, WorkstreamFactory

pytestmark = pytest.mark.django_db

HEADER = [
    "Marmot principle",
    "Code",
    "Measure",
    "Unit",
    "Period",
    "Value",
    "Value as shown",
    "Lower 95% limit",
    "Upper 95% limit",
    "England value",
    "Compared with England",
    "Test Region value",
    "Compared with Test Region",
    "Nearest neighbours value",
    "Compared with nearest neighbours",
    "Compared with target",
    "Trend",
    # An output KPI's (tests/indicators/pages/test_dashboard_kpis.py)
    "Kind",
    "Financial year",
    "Year to date",
    "Year to date as shown",
    "Year-to-date target",
    "Annual target",
    "Against target",
    "Against target (code)",
    "Overdue periods",
]


def read(response) -> list[dict]:
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text[1:])))
    assert rows[0] == HEADER
    return [dict(zip(HEADER, row, strict=True)) for row in rows[1:]]


def test_one_row_per_measure_with_its_figures(client):
    place = build_place()
    principle = MarmotPrincipleFactory(number=3, title="Fair employment")
    measure(
        place,
        code="smoking",
        name="Smoking prevalence",
        principle=principle,
        neighbours=38.0,
        results={"national": "worse", "region": "better", "target": "similar"},
    )

    [row] = read(client.get("/dashboard/data.csv"))

    assert row == {
        "Marmot principle": "3. Fair employment",
        "Code": "smoking",
        "Measure": "Smoking prevalence",
        "Unit": "%",
        "Period": "2022/23",
        "Value": "39.4",
        "Value as shown": "39.4%",
        "Lower 95% limit": "",
        "Upper 95% limit": "",
        "England value": "30.0",
        "Compared with England": "Worse",
        "Test Region value": "41.5",
        "Compared with Test Region": "Better",
        "Nearest neighbours value": "38.0",
        "Compared with nearest neighbours": "",
        "Compared with target": "Similar",
        "Trend": "Increasing and getting worse",
        "Kind": "Outcome measure",
        **dict.fromkeys(HEADER[-8:], ""),
    }


def test_the_page_filters_apply(client):
    place = build_place()
    workstream = WorkstreamFactory(slug="housing")
    one = MarmotPrincipleFactory(number=1)
    first = measure(place, name="First", principle=one, results={"region": "worse"})
    measure(place, name="Second", principle=None, results={"national": "better"})
    measure(place, name="Draft", is_published=False)
    first.workstreams.set([workstream])

    def names(query):
        return [r["Measure"] for r in read(client.get(f"/dashboard/data.csv?{query}"))]

    assert names("") == ["Second", "First"]  # overarching first, as on the page
    assert names("principle=1") == ["First"]
    assert names("workstream=housing") == ["First"]
    assert names("assessment_result=better") == ["Second"]
    [row] = read(client.get("/dashboard/data.csv?comparator=region&principle=1"))
    assert row["Compared with Test Region"] == "Worse"
    assert row["England value"] == "" and row["Compared with England"] == ""


def test_cells_that_look_like_formulas_are_neutralised(client):
    place = build_place()
    measure(
        place,
        code="evil",
        name="=HYPERLINK('http://example.com','click')",
        unit="+1",
        values=(-5.0, -2.5, -1.0),
    )
    measure(place, code="at", name="@SUM(A1:A9)", unit="-ish")
    measure(place, code="plain", name="Plain name")

    rows = {r["Code"]: r for r in read(client.get("/dashboard/data.csv"))}

    assert rows["evil"]["Measure"] == "'=HYPERLINK('http://example.com','click')"
    assert rows["evil"]["Unit"] == "'+1"
    assert rows["evil"]["Value"] == "-1.0"  # numbers stay numbers
    assert rows["at"]["Measure"] == "'@SUM(A1:A9)"
    assert rows["at"]["Unit"] == "'-ish"
    assert rows["plain"]["Measure"] == "Plain name"


def test_anonymous_gets_no_unpublished_measure(client_as, role_users):
    place = build_place()
    users = role_users()
    measure(place, name="Published")
    measure(place, name="Secret draft", is_published=False)

    anonymous = client_as(None).get("/dashboard/data.csv")
    assert [r["Measure"] for r in read(anonymous)] == ["Published"]
    assert "Secret draft" not in anonymous.content.decode()
    officer = client_as(users["officer"]).get("/dashboard/data.csv")
    assert sorted(r["Measure"] for r in read(officer)) == ["Published", "Secret draft"]


def test_bad_filter_is_400(client):
    build_place()
    response = client.get("/dashboard/data.csv?assessment_result=awful")
    assert response.status_code == 400
    assert "Select an assessment from the list" in response.content.decode()


@pytest.mark.parametrize("role", ["anonymous", "officer"])
def test_query_count_is_fixed(
    client_as, role_users, django_assert_max_num_queries, role
):
    place = build_place()
    client = client_as(role_users()[role])
    measure(place)
    measure(place)
    limit = 10 if role == "anonymous" else 15  # the page's, less the layout's place
    with django_assert_max_num_queries(limit):
        assert len(read(client.get("/dashboard/data.csv"))) == 2
    for _ in range(18):
        measure(place, principle=MarmotPrincipleFactory())
    with django_assert_max_num_queries(limit):
        assert len(read(client.get("/dashboard/data.csv"))) == 20
