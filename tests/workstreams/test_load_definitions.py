"""A place's data directory gives each measure its definition, numerator and
denominator, and the table its release date; pages and the API show them
(issue 13)."""

import datetime as dt
import json
import re
import shutil
from html import unescape
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.urls import reverse

from indicators.models import Indicator, IndicatorValue

LUTON = Path(settings.BASE_DIR) / "data" / "places" / "luton"
CODE = "households-in-temporary-accommodation"
DESCRIPTION = "Households in temporary accommodation (per 1000 households)"


def place_directory(tmp_path, *, released_on, definitions=True) -> Path:
    """A copy of Luton's data directory with the table's release date and one
    measure's definition parts changed."""
    directory = tmp_path / "place"
    shutil.copytree(LUTON, directory)
    path = directory / "measures.json"
    document = json.loads(path.read_text(encoding="utf-8"))
    document["table"]["released_on"] = released_on
    if definitions:
        document["measures"][DESCRIPTION].update(
            definition="Households in temporary accommodation arranged by the "
            "council, per 1,000 households.",
            numerator="Households in temporary accommodation at the end of "
            "the quarter.",
            denominator="All households in the area (household projections).",
            fingertips_id=None,
        )
    path.write_text(json.dumps(document), encoding="utf-8")
    return directory


def text_of(response) -> str:
    html = response.content.decode()
    main = html[html.index("<main") : html.index("</main>")]
    main = re.sub(r"<svg.*?</svg>", " ", main, flags=re.S)
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", main)))


@pytest.mark.django_db
def test_definition_parts_and_release_date_reach_the_page_and_api(client, tmp_path):
    directory = place_directory(tmp_path, released_on="2024-03-15")

    call_command("load_programme", str(directory), verbosity=0)

    indicator = Indicator.objects.get(code=CODE)
    assert indicator.numerator_definition.startswith("Households in temporary")
    assert indicator.denominator_definition.startswith("All households")
    # The table's values; the council page's insight values have no release.
    from_table = IndicatorValue.objects.filter(category_type="").exclude(
        indicator__code="children-in-low-income-households"
    )
    assert set(from_table.values_list("release_date", flat=True)) == {
        dt.date(2024, 3, 15)
    }
    text = text_of(client.get(reverse("indicator-detail", args=[CODE])))
    assert "No definition has been given" not in text
    assert (
        "Definition Households in temporary accommodation arranged by the council, "
        "per 1,000 households."
    ) in text
    assert (
        "Numerator (what is counted) Households in temporary accommodation at the "
        "end of the quarter."
    ) in text
    assert (
        "Denominator (counted among) All households in the area (household "
        "projections)."
    ) in text
    assert "Luton: 13.9 per 1,000 households in 2023/24" in text
    assert "Published 15 March 2024 in Health Equity Town update (2024)" in text
    assert "Published as: “Households in temporary accommodation (per 1000 " in text
    body = client.get(f"/api/v1/indicators/{CODE}/").json()
    assert body["numerator_definition"] == indicator.numerator_definition
    assert body["denominator_definition"] == indicator.denominator_definition


@pytest.mark.django_db
def test_a_release_known_to_the_month_is_shown_as_the_month(client, tmp_path):
    directory = place_directory(tmp_path, released_on="2024-03", definitions=False)

    call_command("load_programme", str(directory), verbosity=0)

    assert IndicatorValue.objects.filter(release_date=dt.date(2024, 3, 1)).exists()
    text = text_of(client.get(reverse("indicator-detail", args=[CODE])))
    assert "Published March 2024 in Health Equity Town update" in text


@pytest.mark.parametrize("released_on", ["March 2024", "2024-13", "15/03/2024", 2024])
@pytest.mark.django_db
def test_a_release_date_that_is_not_a_date_stops_the_load(tmp_path, released_on):
    directory = place_directory(tmp_path, released_on=released_on)

    with pytest.raises(
        CommandError,
        match=r"table\.released_on: .*not a date|"
        r"table\.released_on: expected a date",
    ):
        call_command("load_programme", str(directory), verbosity=0)

    assert not Indicator.objects.exists()
