"""Every figure agrees with Luton's published table (issue 13): the latest
period, trend words, nearest neighbours, and published judgements that the
published numbers contradict. Checked against data/places/luton/outcome-measures.tsv
(quoted in the comments), through the pages and the API people use, on Luton's
data loaded once for the module (``luton_shared``)."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

UNDER_75 = "/indicators/under-75-preventable-circulatory-mortality/"
DEVELOPMENT = "/indicators/child-development-2-to-2-5-years/"
LIVING_WAGE = "/indicators/employees-below-living-wage/"
LIFE_MALE = "/indicators/life-expectancy-male/"
WARNING = "Check with the source"


def text(response) -> str:
    assert response.status_code == 200, response.status_code
    html = response.content.decode()
    return " ".join(re.sub(r"<[^>]+>", " ", html).replace("&#x27;", "'").split())


def test_latest_values_trend_words_and_neighbours_as_the_public_sees_them(
    luton_shared, client
):
    # Under 75 circulatory: 2021/22 37.1 30.2 25.1, then 2020-22 37.4 30.1 25.4
    # (A R A, "Significantly improving"). 2020-22 ends after 2021/22: it is the
    # latest, with England and the region from the same period.
    page = text(client.get(UNDER_75))
    assert "Luton: 37.4 per 100,000 in 2020-22" in page
    assert "Comparisons and trend in 2020-22" in page
    assert "England 30.1 per 100,000 Similar to England" in page
    assert "East of England 25.4 per 100,000 Worse than East of England" in page
    assert "37.1 per 100,000 in 2020-22" not in page
    # Published "Significantly improving" says getting better, no direction.
    assert "Trend Getting better Published as “Significantly improving”." in page
    assert "Decreasing and getting better" not in page
    # The public sees the judgement as published, without the officers' note.
    assert WARNING not in page

    # Development at 2-2.5 years: 85.40% (2021/22) then 85.7% (2022/23),
    # "Significantly worse": never "Decreasing" while the value rose.
    page = text(client.get(DEVELOPMENT))
    assert "Luton's value rose from 85.4% in 2021/22 to 85.7% in 2022/23" in page
    assert "Trend Getting worse Published as “Significantly worse”." in page
    assert "Decreasing" not in page

    # Employees below the living wage: one period (2022 in both snapshots).
    page = text(client.get(LIVING_WAGE))
    assert "Trend Getting worse Published as “Significantly worse”." in page
    assert "Increasing" not in page

    # Life expectancy, male, 2020-22: NN "G" published without the value.
    page = text(client.get(LIFE_MALE))
    assert (
        "CIPFA nearest neighbours Not published Better than nearest neighbours "
        "(as published) Published as “G”." in page
    )
    assert "No value" not in page

    # The dashboard's tiles: the same latest values, and the neighbours'
    # judgement as published without a value.
    dashboard = text(client.get(reverse("dashboard")))
    assert (
        "(DSR per 100,000) 37.4 per 100,000 in 2020-22 England 30.1 per 100,000 "
        "Similar to England East of England 25.4 per 100,000 Worse than East of "
        "England Nearest neighbours Not published Similar to nearest neighbours "
        "(as published) Trend: Getting better" in dashboard
    )
    assert (
        "Nearest neighbours Not published Better than nearest neighbours "
        "(as published)" in dashboard
    )
    # Every measure of the table has a value: only the two outcomes awaiting a
    # measure (programme.json) have none, and say so.
    assert dashboard.count("No value yet") == 2
    assert "Employment rate No value yet" in dashboard
    assert "Highly skilled workforce No value yet" in dashboard

    # The overview: the table's latest snapshot has 5 "Significantly improving".
    # Its 27 measures, the 2 awaiting data and the context measure published
    # in words (not compared with England); the output KPIs are not outcome
    # measures.
    home = text(client.get("/"))
    assert "5 measures getting better" in home
    assert "All measures 30 4 7 14 5 5 4 2" in home


def test_the_api_gives_the_latest_period_by_end(luton_shared, client):
    response = client.get(
        "/api/v1/dashboard/", {"format": "json"}, HTTP_ACCEPT="application/json"
    )
    assert response.status_code == 200
    entries = {
        entry["indicator"]["code"]: entry for entry in response.json()["indicators"]
    }
    under_75 = entries["under-75-preventable-circulatory-mortality"]
    assert (under_75["latest"]["period"], under_75["latest"]["value"]) == (
        "2020-22",
        37.4,
    )
    benchmarks = under_75["benchmarks"]
    assert benchmarks["national"]["value"] == 30.1
    assert benchmarks["region"]["value"] == 25.4
    assert benchmarks["nearest_neighbours"] is None
    assert under_75["trend"]["label"] == "Getting better"
    assert [p["period"] for p in under_75["series"]] == ["2021/22", "2020-22"]


def test_published_judgements_the_numbers_contradict_are_flagged_for_officers(
    luton_shared, role_users, client_as
):
    users = role_users()
    officer = client_as(users["officer"])

    # On the indicator page, for signed-in users, with the reason.
    page = text(officer.get(UNDER_75))
    assert (
        "Check with the source. Published judgement disagrees with the published "
        "numbers: Published as “Significantly improving” (getting better; lower "
        "is better), but the value rose from 37.1 per 100,000 in 2021/22 to 37.4 "
        "per 100,000 in 2020-22. It is shown as published." in page
    )
    page = text(officer.get(DEVELOPMENT))
    assert (
        "Published as “Significantly worse” (getting worse; higher is better), "
        "but the value rose from 85.4% in 2021/22 to 85.7% in 2022/23." in page
    )
    # Nothing the numbers do not contradict is flagged.
    assert WARNING not in text(officer.get(LIVING_WAGE))
    assert WARNING not in text(officer.get(LIFE_MALE))

    # In the admin: the early years 2021/22 "R" against the region's equal value.
    # It is the only letter in the table that its numbers contradict.
    flagged = text(
        officer.get("/admin/indicators/assessment/", {"check_with_source": "yes"})
    )
    assert "1 result ( 150 total )" in flagged
    assert "2021/22" in flagged
    assert (
        "Published as “R” (worse than East of England), but Luton's value (56.6%) "
        "is the same as East of England's (56.6%)." in flagged
    )
    trends = text(officer.get("/admin/indicators/trend/", {"check_with_source": "yes"}))
    assert "2 results ( 50 total )" in trends
    assert "but the value rose from 85.4% in 2021/22 to 85.7% in 2022/23" in trends
    assert "but the value rose from 37.1 per 100,000 in 2021/22" in trends
