"""The indicator page says how each value was made (issue 19): as its source
published it, or calculated here by a named method, in the chart's table, the
headline, "About this measure" and the downloads."""

import csv
import io
import re
from html import unescape

import pytest
from django.urls import reverse

from indicators.models import IndicatorValue
from indicators.page_selectors.value_methods import methods_used
from tests.indicators.pages.fixtures import measure_build, page_text

pytestmark = pytest.mark.django_db

WILSON = "Wilson score limits, from the numerator and denominator"


def url(indicator) -> str:
    return reverse("indicator-detail", args=[indicator.code])


def calculated(indicator, place, *, periods=("2017", "2018")):
    """The place's values of ``periods`` made by Wilson's method; England's
    published by OHID Fingertips."""
    values = IndicatorValue.objects.filter(indicator=indicator)
    values.filter(area=place.area, period__label__in=periods).update(
        method=IndicatorValue.Method.WILSON
    )
    values.filter(area=place.country).update(source="OHID Fingertips")


def table_cells(response) -> dict[str, list[str]]:
    """The chart table's rows: period -> each area's cell text."""
    html = response.content.decode()
    table = html[html.index('id="indicator-chart-table"') :]
    table = table[: table.index("</table>")]
    rows = {}
    for row in table.split("<tr")[2:]:
        cells = [page_text_of(cell.split("</td>")[0]) for cell in row.split("<td")[1:]]
        period = page_text_of(row.split("<th")[1].split("</th>")[0])
        rows[period] = cells
    return rows


def page_text_of(html: str) -> str:
    """A cell's text: what follows its opening tag, tags dropped."""
    text = re.sub(r"<[^>]+>", " ", html.split(">", 1)[1] if ">" in html else html)
    return re.sub(r"\s+", " ", unescape(text)).strip()


def test_each_value_in_the_table_says_how_it_was_made(client):
    indicator, place = measure_build(periods=4, wards=0, quintiles=0)
    calculated(indicator, place)

    rows = table_cells(client.get(url(indicator)))

    testtown, england, region, _neighbours = rows["2018"]
    assert testtown.endswith(f"Calculated: {WILSON}")
    assert england.endswith("As published by OHID Fingertips")
    assert region.endswith("As published")
    assert rows["2016"][0].endswith("As published")


def test_the_headline_and_about_say_the_methods_with_their_reference(client):
    indicator, place = measure_build(periods=4, wards=0, quintiles=0)
    calculated(indicator, place)

    text = page_text(client.get(url(indicator)))

    assert f"Calculated: {WILSON}." in text
    assert (
        "How the values were made As published by OHID Fingertips (some values "
        "do not say their source). Calculated here: "
        f"{WILSON}, as PHEindicatormethods' phe_proportion calculates it."
    ) in text


def test_values_all_made_one_way_are_said_once(client):
    indicator, place = measure_build(periods=3, wards=0, quintiles=0)
    IndicatorValue.objects.filter(indicator=indicator).update(source="DWP")

    response = client.get(url(indicator))

    text = page_text(response)
    assert "How every value in the table was made: As published by DWP." in text
    assert "How the values were made As published by DWP." in text
    assert all(
        not cell.endswith("As published by DWP")
        for cells in table_cells(response).values()
        for cell in cells
    )
    assert "Calculated" not in text


def test_the_download_has_a_method_column(client):
    indicator, place = measure_build(periods=4, wards=0, quintiles=0)
    calculated(indicator, place)

    response = client.get(reverse("indicator-download", args=[indicator.code, "csv"]))

    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    made = {(r["Area name"], r["Period"]): r["Method"] for r in rows}
    assert made[("Testtown", "2018")] == f"Calculated: {WILSON}"
    assert made[("England", "2018")] == "As published by OHID Fingertips"
    assert made[("Testtown", "2015")] == "As published"


@pytest.mark.parametrize("periods", [2, 6])
def test_the_page_reads_a_fixed_number_of_queries(
    client, django_assert_max_num_queries, periods
):
    indicator, place = measure_build(periods=periods, wards=2, quintiles=2)
    calculated(indicator, place, periods=[str(2015 + i) for i in range(periods)])

    with django_assert_max_num_queries(10):  # as test_indicator_page_access.py
        response = client.get(url(indicator))

    assert f"Calculated: {WILSON}" in page_text(response)


def test_every_method_has_its_reference():
    sentences = methods_used(
        IndicatorValue(method=method, source="") for method in IndicatorValue.Method
    )

    assert sentences[0] == "As published by their source."
    assert [s.rsplit("' ", 1)[1] for s in sentences[1:]] == [
        "phe_proportion calculates it.",
        "phe_rate calculates it.",
        "phe_dsr calculates it.",
        "calculate_ISRatio calculates it.",
        "phe_mean calculates it.",
        "phe_life_expectancy calculates it.",
    ]
