"""Importing a good Fingertips file: what it creates, and re-importing it."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from indicators.fingertips.importer import fingertips_import
from indicators.models import (
    Area,
    Assessment,
    ImportRun,
    Indicator,
    IndicatorValue,
    Method,
    Period,
    Trend,
)
from tests.indicators.factories import IndicatorFactory
from tests.indicators.fingertips.helpers import (
    SAMPLE,
    csv_bytes,
    data_row_counts,
    find,
    run_import,
    sample_rows,
)
from tests.workstreams.factories import UserFactory

pytestmark = pytest.mark.django_db

LUTON, REGION, ENGLAND = "E06000032", "E12000006", "E92000001"


def _value(fid, area, period, **breakdown):
    return IndicatorValue.objects.get(
        indicator__fingertips_id=fid,
        area__code=area,
        period__label=period,
        **breakdown,
    )


def _published(value, benchmark):
    return value.assessments.get(method=Method.PUBLISHED, benchmark=benchmark)


def test_import_creates_indicators_areas_periods_values_and_judgements():
    user = UserFactory()
    result = run_import(SAMPLE.read_bytes(), "sample.csv", user=user)

    assert result.ok, result.error_messages()
    assert result.rows_read == 90
    assert (result.values_created, result.values_updated) == (90, 0)
    assert result.values_unchanged == 0
    assert (result.indicators_created, result.areas_created) == (3, 4)
    assert result.periods_created == 15
    # National: every row but England's blank low-income cells (85); region:
    # the two local authorities' rows only (40).
    assert result.assessments_created == 85 + 40
    assert result.trends_created == 16
    counts = data_row_counts()
    assert (counts["Indicator"], counts["Area"], counts["Period"]) == (3, 4, 15)
    assert counts["IndicatorValue"] == 90
    assert Assessment.objects.filter(method=Method.PUBLISHED).count() == 125
    assert Trend.objects.filter(method=Method.PUBLISHED).count() == 16

    run = ImportRun.objects.get()
    assert run.kind == ImportRun.Kind.FINGERTIPS
    assert run.status == ImportRun.Status.SUCCEEDED
    assert run.file_name == "sample.csv"
    assert len(run.sha256) == 64 and run.sha256 == result.sha256
    assert (run.rows_read, run.values_created, run.values_updated) == (90, 90, 0)
    assert run.started_by == user and run.errors == []
    assert run.finished_at >= run.started_at
    assert result.run_id == run.pk


def test_import_stores_exact_values_limits_and_breakdowns():
    run_import(SAMPLE.read_bytes())

    male = _value(90366, LUTON, "2021 - 23", sex="Male", age="All ages")
    assert (male.value, male.lower95, male.upper95) == (78.0, 77.4, 78.6)
    assert (male.lower998, male.upper998) == (77.04, 78.96)
    assert (male.count, male.denominator) == (None, None)
    assert (male.category_type, male.category, male.value_note) == ("", "", "")
    assert male.source == "OHID Fingertips"

    low_income = _value(93701, LUTON, "2022/23", sex="Persons", age="<16 yrs")
    assert (low_income.value, low_income.count, low_income.denominator) == (
        23.5,
        13160.0,
        56000.0,
    )
    assert (low_income.lower95, low_income.upper95) == (23.1, 23.9)

    decile = _value(
        92443,
        ENGLAND,
        "2022",
        category_type="County & UA deprivation deciles in England "
        "(IMD2019, 4/21 geog.)",
        category="Most deprived decile (IMD2019)",
    )
    assert (decile.value, decile.lower95, decile.upper998) == (19.6, 18.8, 20.9)
    assert decile.sex == "Persons" and decile.age == "18+ yrs"
    assert (
        IndicatorValue.objects.filter(category_type__startswith="County").count() == 10
    )

    noted = _value(92443, REGION, "2020", category="")
    assert noted.value_note == "Aggregated from all known lower geography values"


def test_import_stores_published_assessments_and_trends():
    run_import(SAMPLE.read_bytes())
    england = Area.objects.get(code=ENGLAND)
    region = Area.objects.get(code=REGION)

    male = _value(90366, LUTON, "2021 - 23", sex="Male")
    national = _published(male, "national")
    assert (national.result, national.level, national.published_text) == (
        "worse",
        None,
        "Worse",
    )
    assert national.benchmark_area == england
    by_region = _published(male, "region")
    assert (by_region.result, by_region.benchmark_area) == ("worse", region)
    trend = male.trends.get(method=Method.PUBLISHED)
    assert trend.label == Trend.Label.DECREASING_WORSE
    assert trend.published_text == "Decreasing and getting worse"
    # Only the latest period of a series carries the trend in the sample.
    assert not _value(90366, LUTON, "2020 - 22", sex="Male").trends.exists()

    smoking = _value(92443, LUTON, "2022", category="")
    national = _published(smoking, "national")
    assert (national.result, national.level, national.published_text) == (
        "worse",
        99.8,
        "Worse 99.8%",
    )
    worst = _published(smoking, "region")
    assert (worst.result, worst.level, worst.published_text) == ("worse", 99.8, "Worst")

    bedford = _value(92443, "E06000055", "2022", category="")
    assert _published(bedford, "region").result == "better"
    assert _published(bedford, "national").result == "similar"

    low_income = _value(93701, LUTON, "2022/23")
    assert _published(low_income, "national").result == "higher"
    assert low_income.trends.get().label == Trend.Label.INCREASING

    # England's blank comparison stores nothing; a region is not compared with
    # a region; "Not compared" is stored as such.
    england_li = _value(93701, ENGLAND, "2022/23")
    assert not england_li.assessments.exists()
    region_le = _value(90366, REGION, "2021 - 23", sex="Female")
    assert list(region_le.assessments.values_list("benchmark", "result")) == [
        ("national", "better")
    ]
    assert _published(
        _value(90366, ENGLAND, "2018 - 20", sex="Male"), "national"
    ).result == ("not_compared")


def test_import_creates_indicators_areas_and_periods_from_the_file():
    result = run_import(SAMPLE.read_bytes())

    indicator = Indicator.objects.get(code="fingertips-90366")
    assert indicator.fingertips_id == 90366
    assert indicator.name == indicator.published_name == "Life expectancy at birth"
    assert indicator.value_type == Indicator.ValueType.MEAN
    assert indicator.polarity == Indicator.Polarity.NO_JUDGEMENT
    assert indicator.source == "OHID Fingertips"
    assert indicator.history.count() == 1
    assert (
        "3 new indicator(s) were created as 'Mean or score' with no polarity "
        "judgement: set their value type and polarity."
    ) in result.notes

    luton = Area.objects.get(code=LUTON)
    assert (luton.name, luton.area_type, luton.parent.code) == (
        "Luton",
        Area.Type.LOCAL_AUTHORITY,
        REGION,
    )
    region = Area.objects.get(code=REGION)
    assert (region.area_type, region.parent.code) == (Area.Type.REGION, ENGLAND)
    england = Area.objects.get(code=ENGLAND)
    assert (england.area_type, england.parent) == (Area.Type.COUNTRY, None)

    pooled = Period.objects.get(label="2021 - 23")
    assert pooled.kind == Period.Kind.CALENDAR_YEARS
    assert (pooled.starts_on, pooled.ends_on) == (
        dt.date(2021, 1, 1),
        dt.date(2023, 12, 31),
    )
    financial = Period.objects.get(label="2022/23")
    assert financial.kind == Period.Kind.FINANCIAL_YEAR
    assert (financial.starts_on, financial.ends_on) == (
        dt.date(2022, 4, 1),
        dt.date(2023, 3, 31),
    )
    assert Period.objects.get(label="2022").kind == Period.Kind.CALENDAR_YEAR


def test_reimporting_the_same_file_changes_nothing():
    first = run_import(SAMPLE.read_bytes())
    stamps = dict(IndicatorValue.objects.values_list("pk", "updated_at"))
    assessed = dict(Assessment.objects.values_list("pk", "assessed_at"))

    again = run_import(SAMPLE.read_bytes())

    assert again.ok
    assert (again.values_created, again.values_updated, again.values_unchanged) == (
        0,
        0,
        90,
    )
    assert (again.assessments_created, again.assessments_updated) == (0, 0)
    assert (again.assessments_deleted, again.trends_created) == (0, 0)
    assert (again.trends_updated, again.trends_deleted) == (0, 0)
    assert (again.indicators_created, again.areas_created, again.periods_created) == (
        0,
        0,
        0,
    )
    assert dict(IndicatorValue.objects.values_list("pk", "updated_at")) == stamps
    assert dict(Assessment.objects.values_list("pk", "assessed_at")) == assessed
    assert again.sha256 == first.sha256
    # Computed judgements are recalculated only for indicators that changed.
    assert first.recomputed_indicator_ids == sorted(
        Indicator.objects.values_list("pk", flat=True)
    )
    assert again.recomputed_indicator_ids == []
    assert ImportRun.objects.filter(status="succeeded").count() == 2


def test_a_newer_file_updates_changed_values_and_judgements():
    run_import(SAMPLE.read_bytes())
    rows = sample_rows()
    row = find(rows, Area_Code=LUTON, Sex="Male", Time_period="2021 - 23")
    newer = dict(
        row, **{"Time period": "2022 - 24", "Time period Sortable": "20220000"}
    )
    rows.append(newer)
    row["Value"] = "78.10"
    row["Compared to England value or percentiles"] = "Similar"
    row["Recent Trend"] = ""

    result = run_import(csv_bytes(rows), "newer.csv")

    assert result.ok, result.error_messages()
    assert (result.values_created, result.values_updated, result.values_unchanged) == (
        1,
        1,
        89,
    )
    # The new row brings two assessments and a trend; the changed row's
    # national assessment is updated and its trend removed.
    assert (result.assessments_created, result.assessments_updated) == (2, 1)
    assert result.assessments_deleted == 0
    assert (result.trends_created, result.trends_updated, result.trends_deleted) == (
        1,
        0,
        1,
    )
    assert result.periods_created == 1
    value = _value(90366, LUTON, "2021 - 23", sex="Male")
    assert value.value == 78.1
    assert _published(value, "national").result == "similar"
    assert not value.trends.exists()
    latest = _value(90366, LUTON, "2022 - 24", sex="Male")
    assert latest.trends.get().label == Trend.Label.DECREASING_WORSE
    run = ImportRun.objects.get(file_name="newer.csv")
    assert (run.values_created, run.values_updated, run.values_unchanged) == (1, 1, 89)


def test_imported_figures_are_as_published_even_over_a_calculated_value():
    # Both merges (PostgreSQL's SQL and the ORM's) write the method: a new row
    # is published, and a row calculated here but changed by the file is too.
    run_import(SAMPLE.read_bytes())
    rows = sample_rows()
    find(rows, Area_Code=LUTON, Sex="Male", Time_period="2021 - 23")["Value"] = "78.10"
    value = _value(90366, LUTON, "2021 - 23", sex="Male")
    IndicatorValue.objects.filter(pk=value.pk).update(
        method=IndicatorValue.Method.WILSON
    )

    assert run_import(csv_bytes(rows), "newer.csv").ok

    value.refresh_from_db()
    assert (value.value, value.method) == (78.1, IndicatorValue.Method.PUBLISHED)
    methods = set(IndicatorValue.objects.values_list("method", flat=True))
    assert methods == {IndicatorValue.Method.PUBLISHED}


def test_existing_indicator_keeps_its_code_value_type_and_polarity():
    existing = IndicatorFactory(
        code="life-expectancy-male",
        fingertips_id=90366,
        polarity="high_is_good",
        value_type="life_expectancy",
    )

    result = run_import(SAMPLE.read_bytes())

    assert result.indicators_created == 2
    existing.refresh_from_db()
    assert (existing.code, existing.polarity, existing.value_type) == (
        "life-expectancy-male",
        "high_is_good",
        "life_expectancy",
    )
    assert existing.values.count() == 40
    assert not Indicator.objects.filter(code="fingertips-90366").exists()


def test_an_existing_area_keeps_its_name_and_gains_a_missing_parent():
    luton = Area.objects.create(code=LUTON, name="Luton Borough", area_type="other")

    result = run_import(SAMPLE.read_bytes())

    assert result.areas_created == 3
    assert (
        "1 existing area(s) without a parent were given the parent the file names."
    ) in result.notes
    luton.refresh_from_db()
    assert (luton.name, luton.area_type, luton.parent.code) == (
        "Luton Borough",
        "other",
        REGION,
    )


def test_an_uploaded_file_and_a_progress_callback():
    calls = []
    upload = SimpleUploadedFile("upload.csv", SAMPLE.read_bytes(), "text/csv")

    result = fingertips_import(
        file=upload,
        file_name=upload.name,
        progress=lambda stage, done, total: calls.append((stage, done, total)),
    )

    assert result.ok and result.values_created == 90
    stages = [stage for stage, _, _ in calls]
    assert stages[0] == "read" and "check" in stages and stages[-1] == "write"
    assert ("check", 90, 90) in calls and ("write", 3, 3) in calls


def test_a_file_without_a_byte_order_mark_imports_the_same():
    result = run_import(csv_bytes(sample_rows()))
    assert result.ok and result.values_created == 90


def test_only_parents_are_created_when_a_file_has_local_authorities_only():
    rows = [r for r in sample_rows() if r["Area Code"] == LUTON]

    result = run_import(csv_bytes(rows))

    assert result.ok
    region = Area.objects.get(code=REGION)
    assert (region.name, region.area_type) == ("East of England region", "region")
    assert not Area.objects.filter(code=ENGLAND).exists()
    assert Assessment.objects.filter(benchmark="region").count() == 20
    assert set(
        Assessment.objects.filter(benchmark="region").values_list(
            "benchmark_area__code", flat=True
        )
    ) == {REGION}
