"""A Fingertips file of several areas: every area judged as Fingertips does (ADR 21).

The expected answers are worked out here from the file's own numbers, by
Fingertips' published rules, without calling our statistics:

* compared with a benchmark (PHE "Technical guide: confidence intervals"):
  the benchmark's value inside the area's 95% interval -> Similar; the whole
  95% interval above it -> Better (high is good), below -> Worse; "99.8%" when
  the benchmark is outside the 99.8% interval too;
* recent trend (Fingertips "Recent trends" guidance): chi-squared test for
  trend in proportions over the five latest periods, significant above
  9.5495 (chi-squared, 1 df, 99.8%).
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from indicators.assessment import assessments_recompute
from indicators.assessment.areas import AreaRow, region_of
from indicators.fingertips.exporter import fingertips_csv_write, fingertips_export_rows
from indicators.fingertips.importer import fingertips_import
from indicators.models import Area, Assessment, IndicatorValue, Method, Trend
from tests.indicators.area_fixtures import areas_rows, areas_world
from tests.indicators.factories import AreaFactory, IndicatorValueFactory, PeriodFactory
from tests.indicators.fingertips.helpers import SAMPLE

pytestmark = pytest.mark.django_db

CHI_SQUARED_998 = 9.5495
ENGLAND = "E92000001"
REGION_OF = {
    "E06000032": "E12000006",
    "E06000055": "E12000006",
    "E06000056": "E12000006",
    "E06000042": "E12000008",
    "E06000038": "E12000008",
}
#: What an import reads, however many areas its file has (see the last test):
#: PostgreSQL merges through COPY and one statement (ADR 8), SQLite through the ORM;
#: one more on PostgreSQL raises the import's statement timeout (ADR 0025).
IMPORT_READS = {"postgresql": 15}


def _numbers(row):
    return {
        key: float(row[column])
        for key, column in {
            "value": "Value",
            "l95": "Lower CI 95.0 limit",
            "u95": "Upper CI 95.0 limit",
            "l998": "Lower CI 99.8 limit",
            "u998": "Upper CI 99.8 limit",
            "count": "Count",
            "denominator": "Denominator",
        }.items()
    }


def _by_area_and_period():
    table = {}
    for row in areas_rows():
        table[(row["Area Code"], row["Time period"])] = _numbers(row)
    return table


def expected_comparison(area, benchmark_value):
    """Fingertips' CI overlap rule, high is good."""
    if area["l95"] <= benchmark_value <= area["u95"]:
        return "Similar"
    word = "Better" if area["l95"] > benchmark_value else "Worse"
    if not area["l998"] <= benchmark_value <= area["u998"]:
        return f"{word} 99.8%"
    return word


def expected_trend(points):
    """Chi-squared test for trend in proportions over five points, high is good."""
    times = range(len(points))
    r = [p["count"] for p in points]
    n = [p["denominator"] for p in points]
    big_r, big_n = sum(r), sum(n)
    pooled = big_r / big_n
    t_bar = sum(ni * t for ni, t in zip(n, times, strict=True)) / big_n
    sxy = sum(ri * t for ri, t in zip(r, times, strict=True)) - big_r * t_bar
    sxx = sum(ni * t * t for ni, t in zip(n, times, strict=True)) - big_n * t_bar**2
    chi_squared = sxy**2 / (pooled * (1 - pooled) * sxx)
    if chi_squared <= CHI_SQUARED_998:
        return "No significant change"
    return (
        "Increasing and getting better" if sxy > 0 else "Decreasing and getting worse"
    )


def _export():
    out = io.StringIO(newline="")
    fingertips_csv_write(
        rows=fingertips_export_rows(queryset=IndicatorValue.objects.all()),
        stream=out,
    )
    return list(csv.DictReader(io.StringIO(out.getvalue())))


def test_every_area_is_judged_against_england_and_its_region_as_fingertips_does():
    areas_world()
    table = _by_area_and_period()
    exported = _export()
    assert len(exported) == 40

    checked = defaultdict(int)
    for row in exported:
        code, period = row["Area Code"], row["Time period"]
        area = table[(code, period)]
        if code == ENGLAND:
            assert row["Compared to England value or percentiles"] == ""
        else:
            england = table[(ENGLAND, period)]["value"]
            assert row["Compared to England value or percentiles"] == (
                expected_comparison(area, england)
            ), (code, period)
            checked["england"] += 1
        if code in REGION_OF:
            region = table[(REGION_OF[code], period)]["value"]
            assert row["Compared to Region value or percentiles"] == (
                expected_comparison(area, region)
            ), (code, period)
            checked["region"] += 1
        else:
            assert row["Compared to Region value or percentiles"] == ""
        if period == "2022/23":
            points = [
                table[(code, p)]
                for p in ("2018/19", "2019/20", "2020/21", "2021/22", "2022/23")
            ]
            assert row["Recent Trend"] == expected_trend(points), code
            checked["trend"] += 1
        else:
            assert row["Recent Trend"] == ""
    # 7 areas x 5 periods against England, 5 counties x 5 against their region,
    # a trend for each of the 8 areas.
    assert dict(checked) == {"england": 35, "region": 25, "trend": 8}


def test_the_file_covers_every_kind_of_answer():
    """The fixture is only a good test if the answers differ between areas."""
    areas_world()
    latest = {
        row["Area Name"]: (
            row["Compared to England value or percentiles"],
            row["Compared to Region value or percentiles"],
            row["Recent Trend"],
        )
        for row in _export()
        if row["Time period"] == "2022/23"
    }
    assert latest["Luton"] == (
        "Worse 99.8%",
        "Worse 99.8%",
        "Decreasing and getting worse",
    )
    assert latest["Central Bedfordshire"] == (
        "Better 99.8%",
        "Better 99.8%",
        "Increasing and getting better",
    )
    assert latest["Bedford"] == ("Similar", "Similar", "No significant change")
    assert latest["Reading"][0] == "Worse"  # at 95% only
    assert latest["Milton Keynes"][1] == "Similar"
    assert latest["England"][2] == "Increasing and getting better"


def test_each_area_is_compared_with_its_own_region():
    world = areas_world()
    reading = IndicatorValue.objects.get(
        area__code="E06000038", period__label="2022/23"
    )
    region = Assessment.objects.get(
        value=reading, benchmark=Assessment.Benchmark.REGION, method=Method.COMPUTED
    )
    assert region.benchmark_area.code == "E12000008"
    # The place keeps its own benchmarks, nearest neighbours included.
    luton = IndicatorValue.objects.get(area=world.place.area, period__label="2022/23")
    assert {a.benchmark for a in luton.assessments.all()} == {
        Assessment.Benchmark.NATIONAL,
        Assessment.Benchmark.REGION,
    }
    # Regions are compared with England only; England and the group not at all.
    east = IndicatorValue.objects.get(area=world.region, period__label="2022/23")
    assert [a.benchmark for a in east.assessments.all()] == ["national"]
    england = IndicatorValue.objects.get(area=world.england, period__label="2022/23")
    assert not england.assessments.exists()
    assert england.trends.get().method == Method.COMPUTED


def _areas_file_world(place, indicator, areas):
    """``areas`` local authorities in the place's region, ten years each."""
    region = place.region
    for number in range(areas):
        area = AreaFactory(parent=region)
        for year in range(2014, 2024):
            IndicatorValueFactory(
                indicator=indicator,
                area=area,
                period=PeriodFactory(label=str(year)),
                value=40.0 + number % 7,
                lower95=38.0 + number % 7,
                upper95=42.0 + number % 7,
            )
    for area in (place.country, region):
        for year in range(2014, 2024):
            IndicatorValueFactory(
                indicator=indicator,
                area=area,
                period=PeriodFactory(label=str(year)),
                value=43.0,
                lower95=None,
                upper95=None,
            )


@pytest.mark.parametrize("areas", [15, 150])
def test_recompute_of_many_areas_reads_a_fixed_number_of_times(areas):
    world = areas_world(import_file=False)
    _areas_file_world(world.place, world.indicator, areas)

    with CaptureQueriesContext(connection) as reads:
        summary = assessments_recompute(indicator_ids=[world.indicator.pk])

    selects = [q for q in reads.captured_queries if q["sql"].startswith("SELECT")]
    # place, targets, areas, published assessments and trends, which areas are
    # needed, values, computed assessments and trends.
    assert len(selects) == 9
    # Each local authority: ten years against England and against its region.
    assert summary.assessments.created == areas * 20 + 10
    assert summary.trends.created == areas + 2
    assert Trend.objects.filter(method=Method.COMPUTED).count() == areas + 2


def _many_areas_file(areas: int) -> bytes:
    """England, the East of England and ``areas`` counties & UAs, ten years each."""
    header = list(areas_rows()[0])
    out = io.StringIO(newline="")
    writer = csv.DictWriter(out, header, lineterminator="\r\n")
    writer.writeheader()
    sites = [("", "", ENGLAND, "England", "England")]
    sites.append(("", "", "E12000006", "East of England region", "Region"))
    sites += [
        (
            "E12000006",
            "East of England region",
            f"E0690{number:04d}",
            f"Town {number}",
            "Counties & UAs (from Apr 2023)",
        )
        for number in range(areas)
    ]
    for parent, parent_name, code, name, kind in sites:
        for year in range(2014, 2024):
            share = 0.40 + (sum(map(ord, code)) % 7) / 100
            writer.writerow(
                {
                    **dict.fromkeys(header, ""),
                    "Indicator ID": "93014",
                    "Indicator Name": "Percentage of physically active adults",
                    "Parent Code": parent,
                    "Parent Name": parent_name,
                    "Area Code": code,
                    "Area Name": name,
                    "Area Type": kind,
                    "Sex": "Persons",
                    "Age": "19+ yrs",
                    "Time period": str(year),
                    "Value": f"{100 * share:.1f}",
                    "Lower CI 95.0 limit": f"{100 * share - 2:.1f}",
                    "Upper CI 95.0 limit": f"{100 * share + 2:.1f}",
                    "Count": str(int(share * 1000)),
                    "Denominator": "1000",
                    "Time period Sortable": f"{year}0000",
                }
            )
    return out.getvalue().encode()


@pytest.mark.parametrize("areas", [15, 150])
def test_import_of_many_areas_reads_a_fixed_number_of_times(areas):
    """No query per area: the reads of an import do not grow with the areas.

    (Writes are bulk statements; on SQLite, Django 5.2 splits them into batches
    of 999 parameters, so only the reads are counted.)
    """
    areas_world(import_file=False)

    with CaptureQueriesContext(connection) as queries:
        result = fingertips_import(file=_many_areas_file(areas), file_name="many.csv")

    assert result.ok, result.error_messages()
    selects = [q for q in queries.captured_queries if q["sql"].startswith("SELECT")]
    assert len(selects) == IMPORT_READS.get(connection.vendor, 17)
    latest = IndicatorValue.objects.filter(period__label="2023", area__code="E06900000")
    assert latest.get().assessments.filter(method=Method.COMPUTED).count() == 2


def test_areas_the_file_judged_keep_the_published_judgement_only():
    """Bedford's comparisons and trends are in the sample file: none computed."""
    place = areas_world(import_file=False).place
    result = fingertips_import(file=SAMPLE.read_bytes(), file_name="sample.csv")
    assert result.ok, result.error_messages()

    bedford = IndicatorValue.objects.filter(area__code="E06000055")
    assert bedford.filter(assessments__method=Method.PUBLISHED).exists()
    assert not Assessment.objects.filter(
        value__in=bedford, method=Method.COMPUTED
    ).exists()
    assert not Trend.objects.filter(value__in=bedford, method=Method.COMPUTED).exists()
    # The place is still judged, to check the published judgements.
    luton = Assessment.objects.filter(value__area=place.area)
    assert luton.filter(method=Method.COMPUTED).exists()


def test_region_of_walks_up_to_the_nearest_region():
    areas = {
        1: AreaRow(1, None, Area.Type.COUNTRY),
        2: AreaRow(2, 1, Area.Type.REGION),
        3: AreaRow(3, 2, Area.Type.LOCAL_AUTHORITY),
        4: AreaRow(4, 3, Area.Type.WARD),
        5: AreaRow(5, 1, Area.Type.LOCAL_AUTHORITY),
        6: AreaRow(6, 7, Area.Type.WARD),
        7: AreaRow(7, 6, Area.Type.WARD),
    }
    assert [region_of(pk, areas) for pk in range(1, 8)] == [
        None,  # England
        None,  # a region has no region
        2,
        2,  # a ward, through its local authority
        None,  # parent is England
        None,  # a cycle
        None,
    ]
