"""Every Luton measure's latest value reads as the published table gives it,
with its unit, on its indicator page and in the changes CSV (issue 13).

The expected strings are written by hand from
data/places/luton/outcome-measures.tsv (the later snapshot of each row; for
under-75 circulatory mortality the latest period is 2020-22), not from our code.
"""

import csv
import datetime as dt
import io
import re
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from indicators.models import Indicator, IndicatorValue
from marmot import roles
from tests.conftest import user_with_role

pytestmark = pytest.mark.django_db

SOURCE = "Health Equity Town update (2024): outcome measures"

#: code: (latest period, the value as the table gives it, with its unit).
LATEST = {
    "life-expectancy-male": ("2020-22", "77.0 years"),
    "life-expectancy-female": ("2020-22", "81.3 years"),
    "healthy-life-expectancy-male": ("2018-20", "59.2 years"),
    "healthy-life-expectancy-female": ("2018-20", "60.0 years"),  # "60"
    "child-development-2-to-2-5-years": ("2022/23", "85.7%"),
    "good-level-of-development-end-of-early-years": ("2022/23", "61.1%"),
    "infant-mortality-rate": ("2020-22", "6.1 per 1,000 live births"),
    "dental-decay-5-year-olds": ("2021/22", "36.5%"),
    "child-poverty-after-housing-costs": ("2022/23", "39.4%"),
    "progress-8": ("2023", "0.11"),
    "attainment-8": ("2023", "44.5"),
    "children-in-good-or-outstanding-schools": ("Dec-23", "93.0%"),
    "care-leavers-neet": ("2023", "40%"),
    "self-harm-admissions-10-24": ("2022/23", "230.0 per 100,000"),
    "year-6-overweight-or-obese": ("2022/23", "42.5%"),
    "minimum-income-standard-destitution": ("Apr-23", "8.9% of households"),
    "claimant-count": ("2024", "6.0%"),
    "higher-level-occupations": ("2023", "41.4%"),
    "employees-below-living-wage": ("2022", "30.0%"),  # "30.00%"
    "children-in-workless-households": ("2022", "4.8%"),
    "households-in-fuel-poverty": ("2022", "13.0%"),
    "households-in-temporary-accommodation": (
        "2023/24",
        "13.9 per 1,000 households",
    ),
    "smoking-prevalence-adults": ("2022", "21.1%"),
    "adults-overweight-or-obese": ("2022/23", "63.4%"),
    "under-75-preventable-circulatory-mortality": ("2020-22", "37.4 per 100,000"),
    "cycling-or-walking-for-travel": ("2022", "55.9%"),
    "air-quality-annual-status-report": ("2024", "0.69"),
}

#: Earlier cells the changes pack printed as published ("85.40%", "46.00",
#: "10.5% households"): code, period, the value as it must read.
EARLIER = [
    ("child-development-2-to-2-5-years", "2021/22", "85.4%"),
    ("attainment-8", "2022", "46.0"),
    ("minimum-income-standard-destitution", "Apr-22", "10.5% of households"),
    ("dental-decay-5-year-olds", "2018/19", "36.8%"),
    ("care-leavers-neet", "2023", "40%"),
]


def page_text(response) -> str:
    """The main content as text, whitespace collapsed."""
    html = response.content.decode()
    main = html[html.index("<main") : html.index("</main>")]
    main = re.sub(r"<svg.*?</svg>", " ", main, flags=re.S)
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", main)))


def test_latest_value_on_each_indicator_page(client, luton_shared):
    """One load for all 27 pages (loading Luton takes seconds)."""
    published = Indicator.objects.filter(kind=Indicator.Kind.OUTCOME).exclude(
        code__in=[
            "employment-rate",  # awaiting data
            "highly-skilled-workforce",  # awaiting data
            "children-in-low-income-households",  # in words only (ADR 0038)
        ]
    )
    assert set(published.values_list("code", flat=True)) == set(LATEST)
    wrong = {}
    for code, (period, shown) in LATEST.items():
        text = page_text(client.get(reverse("indicator-detail", args=[code])))
        if f"Luton: {shown} in {period}" not in text:
            found = re.search(r"Luton: (.*?) in (\S+)", text)
            wrong[code] = found.groups() if found else text[:200]

    assert wrong == {}


def test_the_page_says_when_and_where_the_value_was_published(client, luton_shared):
    """The source's release date, not the day the data was loaded."""
    text = page_text(client.get(reverse("indicator-detail", args=["claimant-count"])))

    assert f"Luton: 6.0% in 2024 Published 2024 in {SOURCE}." in text
    assert f"Latest value published 2024 in {SOURCE}" in text
    assert "Last updated" not in text
    today = timezone.localdate()
    assert f"{today.day} {today:%B %Y}" not in text


def test_freshness_is_judged_from_the_release(client, luton_shared):
    """Released in 2024 (stored as its first day), annual: stale by mid-2025."""
    text = page_text(client.get(reverse("indicator-detail", args=["claimant-count"])))

    assert (
        f"The latest value, for 2024, was published 2024 in {SOURCE}, more than "
        "18 months ago" in text
    )


def test_values_carry_the_tables_release_date(luton_shared):
    # The table's values; the ward insight, published in words only, gives no
    # release date (test_load_achievements.py).
    table = IndicatorValue.objects.filter(value__isnull=False)
    assert set(table.values_list("release_date", flat=True)) == {dt.date(2024, 1, 1)}
    assert not IndicatorValue.objects.filter(
        value__isnull=True, release_date__isnull=False
    ).exists()


def _changes_csv(client) -> list[dict]:
    since = timezone.localdate() - dt.timedelta(days=1)
    response = client.get(f"{reverse('changes')}?since={since}&format=csv")
    assert response.status_code == 200
    text = response.content.decode("utf-8").lstrip("\ufeff")
    return list(csv.DictReader(io.StringIO(text)))


def test_changes_csv_values_read_with_their_units(client, luton_shared):
    """Had the values arrived by an import rather than the set-up load, the
    changes pack would list each with the same figure and unit as the table."""
    IndicatorValue.history.update(history_change_reason=None)
    client.force_login(user_with_role(roles.OFFICER))

    rows = _changes_csv(client)

    new = {
        r["Item"]: r["To"]
        for r in rows
        if r["Section"] == "Outcome measures" and r["Change"] == "New value"
    }
    names = dict(Indicator.objects.values_list("code", "name"))
    for code, (period, shown) in LATEST.items():
        cell = new[f"{names[code]} ({period})"]
        assert cell == shown or cell.startswith(f"{shown}; "), (code, cell)
    for code, period, shown in EARLIER:
        cell = new[f"{names[code]} ({period})"]
        assert cell == shown or cell.startswith(f"{shown}; "), (code, cell)


def test_downloads_carry_the_value_as_shown(client, luton_shared):
    """CSV and XLSX: the number, the value as every page shows it, the cell as
    published, its source and release date."""

    code = "minimum-income-standard-destitution"
    url = reverse("indicator-download", args=[code, "csv"])
    text = client.get(url).content.decode("utf-8").lstrip("\ufeff")
    rows = {
        r["Period"]: r
        for r in csv.DictReader(io.StringIO(text))
        if r["Area name"] == "Luton"
    }
    assert {p: rows[p]["Value as shown"] for p in rows} == {
        "Apr-22": "10.5% of households",
        "Apr-23": "8.9% of households",
    }
    assert rows["Apr-23"]["Value"] == "8.9"
    assert rows["Apr-23"]["Value as published"] == "8.9% households"
    assert rows["Apr-23"]["Unit"] == "% of households"
    assert rows["Apr-23"]["Source"] == SOURCE
    assert rows["Apr-23"]["Release date"] == "2024-01-01"

    response = client.get(reverse("indicator-download", args=[code, "xlsx"]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    header, *cells = [list(r) for r in sheet.iter_rows(values_only=True)]
    period, shown = header.index("Period"), header.index("Value as shown")
    assert {r[period]: r[shown] for r in cells}["Apr-23"] == "8.9% of households"


def test_dashboard_and_progress_pages_use_the_same_words(client, luton_shared):
    """The tile and the workstream's measures read as the indicator page does,
    and a renamed measure keeps its published name beside the standard one."""
    dashboard = page_text(client.get(reverse("dashboard")))
    assert "Households in temporary accommodation Published as: Households in " in (
        dashboard
    )
    assert "13.9 per 1,000 households in 2023/24" in dashboard
    assert "8.9% of households in Apr-23" in dashboard

    housing = page_text(client.get(reverse("workstream-detail", args=["housing"])))
    assert "13.9 per 1,000 households" in housing
    business = reverse("workstream-detail", args=["business-skills-employment"])
    assert "8.9% of households" in page_text(client.get(business))
