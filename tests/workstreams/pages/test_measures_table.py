"""The measures table (`/measures/`): both snapshots, who sees what, sorting,
the CSV and XLSX downloads, and a fixed number of queries."""

import csv
import io
import re
from html import unescape

import pytest
from django.test import Client
from openpyxl import load_workbook

from indicators.models import Assessment, Indicator, Trend
from tests.conftest import clients_signed_in
from tests.indicators.factories import (
    AreaFactory,
    AssessmentFactory,
    IndicatorFactory,
    IndicatorValueFactory,
    PeriodFactory,
    TrendFactory,
)
from tests.workstreams.factories import (
    MarmotPrincipleFactory,
    PlaceFactory,
    WorkstreamFactory,
)

pytestmark = pytest.mark.django_db

B = Assessment.Benchmark


def page_text(html: str) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def measure_names(html: str) -> list[str]:
    """The measures' names, top to bottom, as the row headings link them."""
    return re.findall(r'<th scope="row"[^>]*><a [^>]*>([^<]*)</a>', html)


def download(client, query: str = "") -> list[list[str]]:
    response = client.get(f"/measures/download.csv{query}")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


@pytest.fixture
def place():
    return PlaceFactory(
        area=AreaFactory(name="Testtown"),
        country=AreaFactory(name="England", area_type="country"),
        region=AreaFactory(name="East of England", area_type="region"),
    )


def snapshot(place, indicator, label, values, results=(), trend=None):
    """One period of a measure: place, England and region values, the place
    value's assessments (national, region, neighbours) and its trend."""
    period = PeriodFactory(label=label)
    own, country, region = values
    limits = {"lower95": None, "upper95": None}
    value = IndicatorValueFactory(
        indicator=indicator, area=place.area, period=period, value=own, **limits
    )
    for area, number in ((place.country, country), (place.region, region)):
        if number is not None:
            IndicatorValueFactory(
                indicator=indicator, area=area, period=period, value=number, **limits
            )
    for benchmark, result in zip(
        (B.NATIONAL, B.REGION, B.NEAREST_NEIGHBOURS), results, strict=False
    ):
        AssessmentFactory(value=value, benchmark=benchmark, result=result)
    if trend:
        TrendFactory(value=value, label=trend)
    return value


def measures(place):
    """Three measures: an overarching one, one under principle 2 with three
    periods, and one under principle 1 with a single period."""
    one = MarmotPrincipleFactory(number=1, title="Give every child the best start")
    two = MarmotPrincipleFactory(number=2, title="Maximise capabilities")
    life = IndicatorFactory(
        name="Life expectancy",
        published_name="Life expectancy, Male (Years)",
        principle=None,
        unit="years",
        value_type="life_expectancy",
        multiplier=1,
        display_decimals=1,
    )
    snapshot(place, life, "2021", (78.1, 79.4, 80.2), ("worse", "worse", "similar"))
    snapshot(
        place,
        life,
        "2022",
        (77.0, 78.9, 79.8),
        ("worse", "worse", "better"),
        Trend.Label.GETTING_WORSE,
    )
    poverty = IndicatorFactory(name="Child poverty", principle=two, display_order=1)
    snapshot(place, poverty, "2020", (50.0, 30.0, 20.0), ("worse",))
    snapshot(
        place,
        poverty,
        "2021",
        (39.1, 30.8, 23.6),
        ("worse", "worse", "similar"),
        Trend.Label.NO_SIGNIFICANT_CHANGE,
    )
    snapshot(
        place,
        poverty,
        "2023",
        (39.4, 30.0, 23.0),
        ("worse", "worse", "similar"),
        Trend.Label.GETTING_BETTER,
    )
    schools = IndicatorFactory(name="Good schools", principle=one, display_order=2)
    snapshot(
        place,
        schools,
        "2023",
        (93.0, 90.0, None),
        ("better", "not_compared", "better"),
        Trend.Label.GETTING_BETTER,
    )
    return life, poverty, schools


def test_each_measure_shows_its_two_latest_snapshots_by_principle(place, client):
    measures(place)
    rows = download(client)
    assert [row[2] for row in rows[1:]] == [
        "Life expectancy",
        "Good schools",
        "Child poverty",
    ]
    life, schools, poverty = rows[1:]
    assert life[:5] == [
        "Overarching",
        "Life expectancy, Male (Years)",
        "Life expectancy",
        life[3],
        "years",
    ]
    assert life[5:] == [
        *["2021", "78.1", "79.4", "80.2", "R", "R", "A", ""],
        *["2022", "77", "78.9", "79.8", "R", "R", "G", "Getting worse"],
    ]
    # the last two of three periods, each with its own figures and judgements
    assert poverty[5:] == [
        *["2021", "39.1", "30.8", "23.6", "R", "R", "A", "No significant change"],
        *["2023", "39.4", "30", "23", "R", "R", "A", "Getting better"],
    ]
    # one period: the snapshot twice, as the published table repeats it
    assert (
        schools[5:13]
        == schools[13:]
        == [
            *["2023", "93", "90", "", "G", "N/a", "G", "Getting better"],
        ]
    )


def test_the_page_gives_letters_and_words_with_shapes(place, client):
    measures(place)
    html = client.get("/measures/").content.decode()
    assert measure_names(html) == [
        "Life expectancy, Male (Years)",
        "Good schools",
        "Child poverty",
    ]
    text = page_text(html)
    assert "R Worse than England" in text
    assert "G Better than nearest neighbours" in text
    assert "N/a Not compared with the region" in text
    assert "39.4%" in text and "77.0" in text
    assert "Life expectancy (years)" in text  # standard name and unit
    # every comparison and trend has a shape beside its words
    assert html.count('class="marmot-rag marmot-rag--red"') >= 6
    assert '<span class="marmot-rag marmot-rag--flat">' in html
    assert 'href="/indicators/' in html


@pytest.mark.parametrize(
    "query, names",
    [
        ("", ["Life expectancy", "Good schools", "Child poverty"]),
        ("?sort=principle", ["Life expectancy", "Good schools", "Child poverty"]),
        ("?sort=-principle", ["Child poverty", "Good schools", "Life expectancy"]),
        ("?sort=name", ["Child poverty", "Good schools", "Life expectancy"]),
        ("?sort=-name", ["Life expectancy", "Good schools", "Child poverty"]),
        ("?sort=england", ["Life expectancy", "Child poverty", "Good schools"]),
        ("?sort=neighbours", ["Child poverty", "Life expectancy", "Good schools"]),
        ("?sort=trend", ["Life expectancy", "Good schools", "Child poverty"]),
    ],
)
def test_sorting_orders_the_page_and_the_download(place, client, query, names):
    measures(place)
    rows = download(client, query)
    assert [row[2] for row in rows[1:]] == names
    html = client.get(f"/measures/{query}").content.decode()
    published = {"Life expectancy": "Life expectancy, Male (Years)"}
    assert measure_names(html) == [published.get(n, n) for n in names]


def test_column_headings_link_to_their_sort_and_mark_it(place, client):
    measures(place)
    html = client.get("/measures/?sort=name").content.decode()
    assert re.search(
        r'aria-sort="ascending"><a class="govuk-link" href="\?sort=-name"', html
    )
    assert 'href="?sort=england"' in html and 'href="?sort=trend"' in html
    assert "sorted by measure name" in page_text(html)
    html = client.get("/measures/?sort=-name").content.decode()
    assert re.search(
        r'aria-sort="descending"><a class="govuk-link" href="\?sort=name"', html
    )
    assert 'href="/measures/download.csv?sort=-name"' in html


@pytest.mark.parametrize("path", ["/measures/", "/measures/download.csv"])
def test_an_unknown_sort_is_a_400_naming_the_sorts(place, client, path):
    measures(place)
    response = client.get(f"{path}?sort=colour")
    assert response.status_code == 400
    text = page_text(response.content.decode())
    assert '"colour" is not one of them' in text
    assert '"principle"' in text and '"trend"' in text


def test_an_unknown_download_format_is_a_404(place, client):
    assert client.get("/measures/download.pdf").status_code == 404


@pytest.mark.parametrize(
    "role, sees",
    [("anonymous", False), ("partner", False), ("chair", True)]
    + [("oversight", True), ("officer", True)],
)
def test_unpublished_measures_only_for_those_who_may_see_them(
    place, role_users, client_as, role, sees
):
    measures(place)
    draft = IndicatorFactory(name="Draft measure", is_published=False)
    snapshot(place, draft, "2023", (1.0, 2.0, 3.0), ("better",))
    users = role_users(chair_of=WorkstreamFactory())  # chairs see drafts
    client = client_as(users[role])
    names = [row[2] for row in download(client)[1:]]
    assert ("Draft measure" in names) is sees
    html = client.get("/measures/").content.decode()
    assert ("Draft measure" in html) is sees
    assert len(names) == (4 if sees else 3)


def test_the_xlsx_has_the_csv_figures_as_numbers_and_no_formulas(place, client):
    life, *_ = measures(place)
    life.published_name = '=HYPERLINK("http://evil.example","x")'
    life.save()
    rows = download(client)
    assert rows[1][1] == '\'=HYPERLINK("http://evil.example","x")'
    response = client.get("/measures/download.xlsx")
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert cells[0] == rows[0]
    assert cells[1][1] == rows[1][1]  # text, not a formula
    assert cells[1][6:9] == [78.1, 79.4, 80.2]  # numbers, not text
    for got, expected in zip(cells[1:], rows[1:], strict=True):
        assert ["" if c is None else c for c in got[:6]] == expected[:6]


@pytest.mark.parametrize("size", [2, 10])
def test_queries_do_not_grow_with_the_measures(
    place, size, django_assert_num_queries, django_assert_max_num_queries
):
    for n in range(size):
        indicator = IndicatorFactory(principle=MarmotPrincipleFactory(number=n % 8 + 1))
        snapshot(place, indicator, "2022", (1.0, 2.0, 3.0), ("worse",) * 3)
        snapshot(
            place, indicator, "2023", (1.0, 2.0, 3.0), ("worse",) * 3, "Getting worse"
        )
    client = Client()
    # the place, the visible ids, the six of indicator_latest_values, and
    # the earlier snapshots' benchmark values, assessments and trends
    with django_assert_num_queries(11):
        rows = download(client)
    assert len(rows) == size + 1
    with django_assert_max_num_queries(16):
        response = client.get("/measures/")
    assert len(measure_names(response.content.decode())) == size


def test_the_cached_page_is_per_roles_and_shows_a_write_at_once(place, role_users):
    measures(place)
    draft = IndicatorFactory(name="Draft measure", is_published=False)
    snapshot(place, draft, "2023", (1.0, 2.0, 3.0), ("better",))
    clients = clients_signed_in(role_users())
    assert "Draft measure" in clients["officer"].get("/measures/").content.decode()
    assert (
        "Draft measure" not in clients["anonymous"].get("/measures/").content.decode()
    )
    html = clients["anonymous"].get("/measures/?sort=name").content.decode()
    assert measure_names(html)[0] == "Child poverty"
    Indicator.objects.filter(pk=draft.pk).update(is_published=True)
    assert "Draft measure" in clients["anonymous"].get("/measures/").content.decode()
