"""The dashboard's filters on Luton's real data, checked against the published
table (data/places/luton/outcome-measures.tsv), read here on its own: the
overview links to /dashboard/?comparator=…&assessment_result=…&trend=…&principle=…
for each of its counts, and each list must be exactly the table's (with the
outcomes awaiting a measure and the context measures published in words, not
compared; output KPIs are never listed by comparison or trend)."""

import csv
import json
from itertools import product
from pathlib import Path

import pytest
from django.conf import settings

from tests.indicators.pages.fixtures import tiles

pytestmark = pytest.mark.django_db

DATA = Path(settings.BASE_DIR) / "data" / "places" / "luton"
# The published letters and trend words, as the filters name them.
LETTERS = {"G": "better", "A": "similar", "R": "worse", "N/a": "not_compared"}
TRENDS = {
    "Significantly improving": "better",
    "Significantly worse": "worse",
    "Comparable": "no_change",
    "N/a": "not_calculated",
    "": "not_calculated",
}
COMPARATORS = {"national": 4, "region": 5, "nearest_neighbours": 6}


def published() -> list[dict]:
    """One dict per measure: its code, principle and latest snapshot (the
    table's second, the later one) as the filters' values."""
    codes = {
        description: entry["code"]
        for description, entry in json.loads((DATA / "measures.json").read_text())[
            "measures"
        ].items()
    }
    rows = list(csv.reader((DATA / "outcome-measures.tsv").open(), delimiter="\t"))
    measures, principle = [], None
    for row in rows[1:]:
        principle = row[0].strip() or principle
        latest = row[10:18]
        measures.append(
            {
                "code": codes[row[1]],
                "principle": "overarching" if principle == "Overarching" else principle,
                **{
                    key: LETTERS[latest[column].strip()]
                    for key, column in COMPARATORS.items()
                },
                "trend": TRENDS[latest[7].strip()],
            }
        )
    return measures + awaiting() + in_words()


def awaiting() -> list[dict]:
    """The logic models' outcomes awaiting a measure (programme.json): no value
    yet, so not compared with any benchmark and no trend calculated."""
    programme = json.loads((DATA / "programme.json").read_text())
    return [
        {
            "code": outcome["awaiting_measure"]["code"],
            "principle": str(outcome["awaiting_measure"]["principle"]),
            **dict.fromkeys(COMPARATORS, "not_compared"),
            "trend": "not_calculated",
        }
        for model in programme["logic_models"]
        for outcome in model.get("outcomes", [])
        if isinstance(outcome, dict) and "awaiting_measure" in outcome
    ]


def in_words() -> list[dict]:
    """The context measures (programme.json) the place publishes in words only,
    with no figure to compare or trend (ADR 0038)."""
    programme = json.loads((DATA / "programme.json").read_text())
    return [
        {
            "code": measure["code"],
            "principle": str(measure["principle"]),
            **dict.fromkeys(COMPARATORS, "not_compared"),
            "trend": "not_calculated",
        }
        for measure in programme.get("context_measures", [])
    ]


def expected(measures, **filters) -> set[str]:
    comparator = filters.get("comparator")
    return {
        m["code"]
        for m in measures
        if (m[comparator] == filters["assessment_result"])
        and m["trend"] == filters["trend"]
        and filters.get("principle", m["principle"]) == m["principle"]
    }


def shown(client, query: str) -> set[str]:
    found = tiles(client.get(f"/dashboard/?{query}"))
    return {tile["href"].strip("/").split("/")[-1] for tile in found.values()}


def test_worse_than_england_and_getting_worse_is_the_tables_list(client, luton_shared):
    measures = published()
    wanted = expected(
        measures, comparator="national", assessment_result="worse", trend="worse"
    )
    query = "comparator=national&assessment_result=worse&trend=worse"

    codes = shown(client, query)

    assert codes == wanted
    assert len(wanted) == 2  # life expectancy (male), cycling or walking
    api = client.get(f"/api/v1/dashboard/?{query}").json()
    assert {e["indicator"]["code"] for e in api["indicators"]} == wanted
    fragment = client.get(f"/api/v1/dashboard/?{query}", HTTP_ACCEPT="text/html")
    assert {t["href"].strip("/").split("/")[-1] for t in tiles(fragment).values()} == (
        wanted
    )
    # and for each principle the overview links to
    for principle in sorted({m["principle"] for m in measures}):
        query = (
            f"comparator=national&assessment_result=worse&trend=no_change"
            f"&principle={principle}"
        )
        assert shown(client, query) == expected(
            measures,
            comparator="national",
            assessment_result="worse",
            trend="no_change",
            principle=principle,
        ), query


def test_every_comparison_and_trend_lists_the_tables_measures(client, luton_shared):
    measures = published()
    problems, listed = [], 0
    for comparator, result, trend in product(
        COMPARATORS,
        ["better", "similar", "worse", "not_compared"],
        ["better", "worse", "no_change", "not_calculated"],
    ):
        filters = {"comparator": comparator, "assessment_result": result}
        filters["trend"] = trend
        query = "&".join(f"{k}={v}" for k, v in filters.items())
        want = expected(measures, **filters)
        listed += len(want)
        if shown(client, query) != want:
            problems.append(query)
    assert problems == []
    assert listed == 3 * len(measures)  # every measure in one list per comparator
