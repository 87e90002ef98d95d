"""Luton's 27 outcome measures each say what they measure and where it comes from.

Issue 13: every measure read "No definition has been given". The definitions,
numerators, denominators, sources and confirmed Fingertips ids live in
data/places/luton/measures.json; these tests load Luton's data directory (once
for the module, see tests/indicators/conftest.py) and read them back through
the indicator page and the API, checked against the published table.
"""

from pathlib import Path

import pytest
from django.conf import settings
from django.utils.html import escape

from indicators.measures.table import parse_measures_table
from indicators.models import Indicator

pytestmark = pytest.mark.django_db

TABLE = Path(settings.BASE_DIR) / "data" / "places" / "luton" / "outcome-measures.tsv"
NO_DEFINITION = "No definition has been given."

# Fingertips indicator ids confirmed from public material (each measure's note
# in measures.json says where); every other Luton measure has none.
CONFIRMED_FINGERTIPS_IDS = {
    "child-development-2-to-2-5-years": 93436,
    "good-level-of-development-end-of-early-years": 90631,
    "infant-mortality-rate": 92196,
    "dental-decay-5-year-olds": 93563,
    "attainment-8": 93378,
    "self-harm-admissions-10-24": 90813,
    "year-6-overweight-or-obese": 20602,
    "households-in-fuel-poverty": 93759,
    "smoking-prevalence-adults": 92443,
    "adults-overweight-or-obese": 93088,
}


def published_descriptions() -> list[str]:
    table = parse_measures_table(TABLE.read_text(encoding="utf-8"), source=str(TABLE))
    return [row.description for row in table.rows]


@pytest.fixture
def measures(place_loaded):
    """Luton's indicators, in the published table's order (loaded once a module)."""
    assert place_loaded.name == "Luton"
    descriptions = published_descriptions()
    by_description = {
        indicator.published_name: indicator
        for indicator in Indicator.objects.filter(published_name__in=descriptions)
    }
    assert set(by_description) == set(descriptions)
    return [by_description[description] for description in descriptions]


def test_every_published_measure_has_a_definition_and_a_source(measures):
    assert len(measures) == 27
    missing = [
        indicator.published_name
        for indicator in measures
        if not indicator.definition.strip() or not indicator.source.strip()
    ]
    assert missing == []


def test_fingertips_ids_are_unique_and_only_the_confirmed_ones(measures):
    ids = {
        indicator.code: indicator.fingertips_id
        for indicator in measures
        if indicator.fingertips_id is not None
    }
    assert ids == CONFIRMED_FINGERTIPS_IDS
    assert len(set(ids.values())) == len(ids)
    # Fingertips publishes both sexes of life expectancy (90366) and healthy
    # life expectancy (90362) as breakdowns of one indicator: neither sex has it.
    life_expectancy = [i for i in measures if "life expectancy" in i.name.lower()]
    assert len(life_expectancy) == 4
    assert {i.fingertips_id for i in life_expectancy} == {None}


def test_indicator_page_gives_definition_numerator_denominator_and_source(
    client, measures
):
    for indicator in measures:
        response = client.get(f"/indicators/{indicator.code}/")
        assert response.status_code == 200, indicator.code
        html = response.content.decode()
        assert NO_DEFINITION not in html, indicator.code
        assert escape(indicator.definition) in html, indicator.code
        assert escape(indicator.source) in html, indicator.code
        if indicator.numerator_definition:
            assert escape(indicator.numerator_definition) in html, indicator.code
        if indicator.denominator_definition:
            assert escape(indicator.denominator_definition) in html, indicator.code
        if indicator.fingertips_id:
            assert f"Fingertips indicator {indicator.fingertips_id}" in html


def test_api_gives_each_measure_its_definition(client, measures):
    for indicator in measures:
        data = client.get(f"/api/v1/indicators/{indicator.code}/").json()
        assert data["definition"] == indicator.definition
        assert data["source"] == indicator.source
        assert data["fingertips_id"] == indicator.fingertips_id


def test_definitions_keep_the_published_meaning(measures):
    by_description = {indicator.published_name: indicator for indicator in measures}
    travel = by_description["Cycling / walking for travel (3-5 times / week)"]
    assert "3 to 5 times a week" in travel.definition
    assert "at least 3" not in travel.definition.lower()
    # Published as an obesity rate, but its 63-68% figures are Fingertips'
    # overweight-or-obese measure (93088): the definition says so.
    obesity = by_description["Adult obesity rate(% adults 18+)"]
    assert "overweight or obese" in obesity.definition
    assert obesity.fingertips_id == 93088
