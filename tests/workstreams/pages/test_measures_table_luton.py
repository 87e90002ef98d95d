"""The measures table against Luton's published outcome-measure table: every
cell of the CSV download, and the page's figures, agree with the table as
published (parsed here, independently of the loader)."""

import csv
import io
import math
import re
from html import unescape
from pathlib import Path

import pytest
from django.conf import settings

from indicators.models import Trend

pytestmark = pytest.mark.django_db

PUBLISHED = Path(settings.BASE_DIR, "data", "places", "luton", "outcome-measures.tsv")
WIDTH = 8  # date, Luton, England, region, three comparisons, trend
NUMBER = re.compile(r"^-?\d+(?:\.\d+)?")
NOT_PUBLISHED = {"", "-", "n/a"}
# What each published trend word says, whatever the measure's direction.
SAYS = {
    "comparable": {Trend.Label.NO_SIGNIFICANT_CHANGE},
    "n/a": {Trend.Label.CANNOT_BE_CALCULATED},
    "significantly improving": Trend.BETTER_LABELS,
    "significantly worse": Trend.WORSE_LABELS,
}
DIRECTIONS = {"Increasing": 1, "Decreasing": -1}


def published_rows():
    """(group, description, [snapshot cells, snapshot cells]) per measure."""
    lines = PUBLISHED.read_text(encoding="utf-8").lstrip("\ufeff").splitlines()
    group = None
    for line in lines[1:]:
        cells = line.split("\t")
        if not "".join(cells).strip():
            continue
        group = cells[0].strip() or group
        snapshots = [cells[2 + n * WIDTH : 2 + (n + 1) * WIDTH] for n in range(2)]
        yield group, cells[1].strip(), [[c.strip() for c in s] for s in snapshots]


def published_number(text: str) -> float | None:
    """ "85.40%" -> 85.4, "10.5% households" -> 10.5, "-" -> None."""
    if text.casefold() in NOT_PUBLISHED:
        return None
    return float(NUMBER.match(text.replace(",", ""))[0])


def csv_number(text: str) -> float | None:
    return None if text == "" else float(text)


def check_trend(label: str, published: str, change: float | None, where: str):
    """The label says what the published word says, and states a direction
    only where the two snapshots show one, the same way."""
    assert label in SAYS[published.casefold()], f"{where}: {label!r} for {published!r}"
    direction = label.split(" ")[0]
    if direction in DIRECTIONS:
        assert change, f"{where}: {label!r} states a direction the table cannot show"
        assert math.copysign(1, change) == DIRECTIONS[direction], (
            f"{where}: {label!r} but the value went {'up' if change > 0 else 'down'}"
        )


def test_every_cell_of_the_csv_agrees_with_the_published_table(luton_shared, client):
    response = client.get("/measures/download.csv")
    assert response.status_code == 200
    text = response.content.decode("utf-8-sig")
    header, *rows = list(csv.reader(io.StringIO(text)))
    assert header[:5] == [
        "Marmot principle",
        "Measure (as published)",
        "Measure",
        "Code",
        "Unit",
    ]
    assert header[5:13] == [
        "Earlier snapshot: date of measure",
        "Earlier snapshot: Luton",
        "Earlier snapshot: England",
        "Earlier snapshot: region (East of England)",
        "Earlier snapshot: comparison to England",
        "Earlier snapshot: comparison to region",
        "Earlier snapshot: comparison to nearest neighbours",
        "Earlier snapshot: trend",
    ]
    published = list(published_rows())
    assert len(rows) == len(published) == 27
    checked = 0
    for row, (group, description, snapshots) in zip(rows, published, strict=True):
        where = description
        assert row[0] == group, where
        assert row[1] == description
        values_before = None
        for number, cells in enumerate(snapshots):
            ours = row[5 + number * WIDTH : 5 + (number + 1) * WIDTH]
            at = f"{where}, snapshot {number + 1}"
            assert ours[0] == cells[0], f"{at}: date of measure"
            for offset in (1, 2, 3):
                expected = published_number(cells[offset])
                got = csv_number(ours[offset])
                assert got == pytest.approx(expected), f"{at}, column {offset + 1}"
                checked += 1
            assert ours[4:7] == cells[4:7], f"{at}: comparisons"
            value = published_number(cells[1])
            change = None
            if values_before is not None and cells[0] != snapshots[0][0]:
                change = value - values_before
            check_trend(ours[7], cells[7], change, at)
            values_before = value
            checked += 5
    assert checked == 27 * 2 * 8


def cell_words(cell: str) -> str:
    """The words a reader sees (a soft hyphen is not one)."""
    words = " ".join(unescape(re.sub(r"<[^>]+>", " ", cell)).split())
    return words.replace("\xad", "")


def shown_number(text: str) -> tuple[float, int] | None:
    """ "85.4%" -> (85.4, 1), "1,234" -> (1234.0, 0), "–" -> None."""
    match = re.match(r"^-?[\d,]+(?:\.(\d+))?", text)
    if match is None:
        return None
    return float(match[0].replace(",", "")), len(match[1] or "")


def test_every_figure_on_the_page_agrees_with_the_published_table(luton_shared, client):
    html = client.get("/measures/").content.decode()
    body = html.split("<tbody", 1)[1]
    rows = re.findall(r"<tr class=\"govuk-table__row\">(.*?)</tr>", body, re.S)
    published = list(published_rows())
    assert len(rows) == len(published) == 27
    for row, (group, description, snapshots) in zip(rows, published, strict=True):
        assert f">{description}</a>" in unescape(row)
        cells = re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
        assert cell_words(cells[0]) == group
        for number, expected in enumerate(snapshots):
            ours = cells[1 + number * WIDTH : 1 + (number + 1) * WIDTH]
            at = f"{description}, snapshot {number + 1}"
            assert cell_words(ours[0]).split(" (")[0] == expected[0], at
            for offset in (1, 2, 3):
                value = published_number(expected[offset])
                shown = shown_number(cell_words(ours[offset]))
                if value is None:
                    assert shown is None, f"{at}, column {offset + 1}"
                    continue
                figure, decimals = shown
                assert figure == round(value, decimals), f"{at}, column {offset + 1}"
            letters = [
                re.search(r'<span aria-hidden="true">([^<]*)</span><span', c)[1]
                for c in ours[4:7]
            ]
            assert letters == expected[4:7], at
            trend = cell_words(ours[7])
            assert trend in SAYS[expected[7].casefold()], at


def test_the_page_shows_the_published_figures(luton_shared, client):
    html = client.get("/measures/").content.decode()
    rows = re.findall(r"<tr class=\"govuk-table__row\">\s*<td.*?</tr>", html, re.S)
    assert len(rows) == 27
    first = rows[0]
    assert "Life expectancy, Male (Years)" in first  # the published description
    assert "Life expectancy at birth, males" in first  # and the standard name
    cells = [
        " ".join(re.sub(r"<[^>]+>", " ", cell).split())
        for cell in re.findall(r"<td[^>]*>(.*?)</td>", first, re.S)
    ]
    # principle; then 2018-20 78.1 79.4 80.2 R R A; then 2020-22 77.0 78.9 79.8 R R G
    assert cells[1:5] == ["2018-20", "78.1", "79.4", "80.2"]
    assert cells[5].startswith("R Worse than England")
    assert cells[7].startswith("A Similar to nearest neighbours")
    assert cells[9:13] == ["2020-22", "77.0", "78.9", "79.8"]
    assert cells[15].startswith("G Better than nearest neighbours")
    # a measure with one period shows its snapshot twice, as published
    living_wage = next(r for r in rows if "below the living wage" in r)
    assert living_wage.count(">2022<") == 2  # ">2022</td>", ">2022<span"
    assert "not updated" in living_wage
