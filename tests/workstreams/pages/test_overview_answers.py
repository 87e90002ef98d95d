"""The overview answers the oversight group's first question with no click: it
names the measures worse than England and getting worse, and the improving
ones; and every count on it links to the dashboard listing exactly the
measures it counts."""

import re
from html import unescape

import pytest

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

L = Trend.Label
COUNT_LINK = re.compile(r'<a class="govuk-link marmot-count" href="([^"]+)">(.*?)</a>')
TILE = 'class="marmot-card marmot-dashboard-tile"'


def words(html: str) -> str:
    """The words, tags removed ("<a>5 measures</a>, 2" reads "5 measures, 2")."""
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    html = re.sub(r"</?(a|strong)\b[^>]*>", "", html)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def section(html: str, heading_id: str) -> str:
    """The words of the overview's section headed ``heading_id``."""
    match = re.search(
        rf'<section[^>]*aria-labelledby="{heading_id}".*?</section>', html, re.S
    )
    assert match, f"no section {heading_id}"
    return words(match.group(0))


def measure(place, principle, result, trend, *, name, value=40.0, **fields):
    indicator = IndicatorFactory(principle=principle, name=name, **fields)
    row = IndicatorValueFactory(
        indicator=indicator,
        area=place.area,
        period=PeriodFactory(label="2023"),
        value=value,
        lower95=None,
        upper95=None,
    )
    if result:
        AssessmentFactory(value=row, result=result, benchmark_area=place.country)
    if trend:
        TrendFactory(value=row, label=trend)
    return indicator


def measures():
    """Eight measures over two principles and the overarching ones: two worse
    than England and getting worse (one in words with no direction), one
    getting worse but similar, two getting better, one with no national
    comparison at all, one unpublished (worse and getting worse)."""
    place = PlaceFactory(country=AreaFactory(name="England", area_type="country"))
    one = MarmotPrincipleFactory(number=1, title="Give every child the best start")
    four = MarmotPrincipleFactory(number=4, title="Ensure a healthy standard of living")
    measure(place, one, "worse", L.GETTING_WORSE, name="Infant mortality", value=6.1)
    measure(place, one, "worse", L.INCREASING_WORSE, name="Obesity in year 6")
    measure(place, one, "similar", L.DECREASING_WORSE, name="Smoking in pregnancy")
    measure(place, four, "better", L.GETTING_BETTER, name="Good schools", value=93.0)
    measure(place, four, "worse", L.NO_SIGNIFICANT_CHANGE, name="Fuel poverty")
    wages = measure(place, four, None, L.CANNOT_BE_CALCULATED, name="Living wage")
    AssessmentFactory(
        value=wages.values.get(),
        benchmark=Assessment.Benchmark.REGION,
        result="worse",
    )
    measure(place, None, "similar", L.DECREASING_BETTER, name="Life expectancy")
    measure(place, four, "worse", L.GETTING_WORSE, name="Draft", is_published=False)
    return place


def test_the_overview_names_the_measures_worse_and_getting_worse(client):
    measures()
    html = client.get("/").content.decode()
    worse = section(html, "worse-and-worsening")
    assert worse.startswith("Worse than England and getting worse 2 measures")
    assert "Infant mortality 6.1% in 2023 Worse than England Getting worse" in worse
    assert (
        "Obesity in year 6 40.0% in 2023 Worse than England "
        "Increasing and getting worse"
    ) in worse
    for other in ("Smoking in pregnancy", "Fuel poverty", "Good schools", "Draft"):
        assert other not in worse
    better = section(html, "improving")
    assert better.startswith("Getting better 2 measures")
    assert "Good schools 93.0% in 2023 Better than England Getting better" in better
    assert "Life expectancy 40.0% in 2023 Similar to England" in better
    assert "Infant mortality" not in better
    # each named measure links to its page, its judgements have shapes
    code = Indicator.objects.get(name="Infant mortality").code
    assert f'href="/indicators/{code}/">Infant mortality</a>' in html
    assert '<span class="marmot-rag marmot-rag--red">' in html


def test_labels_without_a_direction_are_counted_by_what_they_say(client):
    """ "Getting worse" has no direction: a suffix test ("getting worse",
    lower case) missed it, and the overview counted 1 where 2 are."""
    measures()
    page = words(client.get("/").content.decode())
    assert (
        "Of 7 outcome measures, 3 are worse than England and 3 are getting worse "
        "(2 both)"
    ) in page
    # measures, better, similar, worse, not compared, better, worse, both
    assert "All measures 7 1 2 3 1 2 3 2" in page


def count_links(html: str) -> list[tuple[str, int]]:
    found = [
        (unescape(href), int(re.match(r"\d+", words(text))[0]))
        for href, text in COUNT_LINK.findall(html)
    ]
    assert found, "no count links"
    return found


def assert_links_list_what_they_count(client, html: str) -> int:
    """Follow every count link; the dashboard lists exactly that many."""
    links = count_links(html)
    for href, number in links:
        assert href.startswith("/dashboard/")
        response = client.get(href)
        assert response.status_code == 200, href
        assert response.content.decode().count(TILE) == number, href
    return len(links)


@pytest.mark.parametrize("role", ["anonymous", "oversight"])
def test_every_count_links_to_exactly_the_measures_it_counts(role_users, role):
    measures()
    client = clients_signed_in(role_users(chair_of=WorkstreamFactory()))[role]
    html = client.get("/").content.decode()
    # two principles and the overarching row and the totals, eight counts each;
    # four in the sentence, two above the named measures
    links = assert_links_list_what_they_count(client, html)
    assert links == 4 * 8 + 4 + 2
    total = "8" if role == "oversight" else "7"
    assert f"All measures {total}" in words(html)


def test_on_luton_every_count_links_to_exactly_the_measures_it_counts(luton, client):
    html = client.get("/").content.decode()
    assert assert_links_list_what_they_count(client, html) == 10 * 8 + 4 + 2
    better = section(html, "improving")
    assert better.startswith("Getting better 5 measures")
    worse = section(html, "worse-and-worsening")
    assert worse.startswith("Worse than England and getting worse 2 measures")
    assert "Life expectancy at birth, males 77.0 years in 2020-22" in worse
