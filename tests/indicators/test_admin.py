"""The officer admin for the indicators app."""

import pytest
from django.contrib import admin

from indicators import models
from indicators.admin.forms import MANUAL_NEEDS_REASON
from indicators.admin.indicators import LATEST_VALUES_SHOWN
from indicators.models import MarmotPrinciple, Place
from tests.indicators.factories import (
    AreaFactory,
    AssessmentFactory,
    ImportRunFactory,
    IndicatorFactory,
    IndicatorValueFactory,
    PeriodFactory,
    TargetFactory,
    TrendFactory,
)
from tests.site.fixtures import (
    admin_form_data,
    admin_url,
    assert_changelist_queries_constant,
    inline_formset,
    registered_models,
)
from tests.workstreams.factories import UserFactory, WorkstreamFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(db):
    return UserFactory(is_staff=True, is_superuser=True)


@pytest.fixture
def officer_client(client, officer):
    client.force_login(officer)
    return client


def build_areas(n):
    region = AreaFactory(code="E12000001", area_type=models.Area.Type.REGION)
    member = AreaFactory(code="E06000001")
    for _ in range(n):
        group = AreaFactory(area_type=models.Area.Type.COMPARATOR_GROUP, parent=region)
        group.members.add(member)


def build_periods(n):
    for period in PeriodFactory.create_batch(n):
        IndicatorValueFactory(period=period)


def build_indicators(n):
    for indicator in IndicatorFactory.create_batch(n):
        indicator.workstreams.add(WorkstreamFactory())
        IndicatorValueFactory(indicator=indicator)


def build_values(n):
    for value in IndicatorValueFactory.create_batch(n):
        AssessmentFactory(value=value)
        TrendFactory(value=value)


def build_assessments(n):
    for _ in range(n):
        AssessmentFactory(
            benchmark_area=AreaFactory(area_type=models.Area.Type.COUNTRY),
            method=models.Method.MANUAL,
            reason="The published comparison used a revised denominator.",
            set_by=UserFactory(),
        )


def build_trends(n):
    TrendFactory.create_batch(
        n, method=models.Method.MANUAL, reason="Series break.", set_by=UserFactory()
    )


def build_import_runs(n):
    ImportRunFactory.create_batch(n, started_by=UserFactory(), errors=["Row 3: -1"])


CHANGELIST_CASES = [
    (models.Area, build_areas, 3, 30),
    (models.Period, build_periods, 3, 30),
    (models.Indicator, build_indicators, 3, 30),
    (models.IndicatorValue, build_values, 3, 30),
    (models.Assessment, build_assessments, 3, 30),
    (models.Trend, build_trends, 3, 30),
    (models.Target, TargetFactory.create_batch, 3, 30),
    (models.ImportRun, build_import_runs, 3, 30),
]
CASE_IDS = [case[0].__name__ for case in CHANGELIST_CASES]


def test_every_indicators_model_is_registered():
    assert registered_models("indicators") <= set(admin.site._registry)
    # The principles and the place: in tests/workstreams/test_admin.py.
    assert {model for model, *_ in CHANGELIST_CASES} == registered_models(
        "indicators"
    ) - {MarmotPrinciple, Place}


@pytest.mark.parametrize(
    ("model", "build", "small", "large"), CHANGELIST_CASES, ids=CASE_IDS
)
def test_changelist_query_count_does_not_grow_with_rows(
    officer_client, record_property, model, build, small, large
):
    small_queries, large_queries = assert_changelist_queries_constant(
        officer_client, model, build, small, large
    )
    record_property("queries", f"{small_queries}@{small} {large_queries}@{large}")


@pytest.mark.parametrize(
    ("model", "build"), [case[:2] for case in CHANGELIST_CASES], ids=CASE_IDS
)
def test_changelist_add_and_change_pages_load(officer_client, model, build):
    add_status = 403 if model is models.ImportRun else 200  # a read-only log
    assert officer_client.get(admin_url(model, "add")).status_code == add_status
    build(1)
    obj = model._default_manager.first()
    assert officer_client.get(admin_url(model, "changelist")).status_code == 200
    assert officer_client.get(admin_url(model, "change", obj.pk)).status_code == 200


@pytest.mark.parametrize("term", ["life expectancy", "healthy-le", "90362"])
def test_indicator_search_finds_only_the_matching_indicator(officer_client, term):
    wanted = IndicatorFactory(
        name="Healthy life expectancy at birth", code="healthy-le", fingertips_id=90362
    )
    IndicatorFactory(name="School readiness", code="school-readiness")
    response = officer_client.get(
        admin_url(models.Indicator, "changelist"), {"q": term}
    )
    assert list(response.context["cl"].result_list) == [wanted]


def test_value_list_formats_value_interval_and_assessments(officer_client):
    indicator = IndicatorFactory(unit="per 1,000", display_decimals=2)
    value = IndicatorValueFactory(
        indicator=indicator, value=1234.5, lower95=1200, upper95=1300.25
    )
    AssessmentFactory(value=value, result=models.Assessment.Result.SIMILAR)
    response = officer_client.get(admin_url(models.IndicatorValue, "changelist"))
    content = response.content.decode()
    assert "1,234.50 per 1,000" in content
    assert "1,200.00 to 1,300.25" in content
    assert "National (England): Similar" in content


def test_manual_assessment_without_reason_is_refused_with_a_message(officer_client):
    value = IndicatorValueFactory()
    data = {
        "value": value.pk,
        "benchmark": models.Assessment.Benchmark.NATIONAL,
        "result": models.Assessment.Result.BETTER,
        "method": models.Method.MANUAL,
        "reason": "   ",
    }
    response = officer_client.post(admin_url(models.Assessment, "add"), data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["reason"] == [MANUAL_NEEDS_REASON]
    assert not models.Assessment.objects.exists()


def test_manual_assessment_records_who_set_it(officer_client, officer):
    value = IndicatorValueFactory()
    data = {
        "value": value.pk,
        "benchmark": models.Assessment.Benchmark.NATIONAL,
        "result": models.Assessment.Result.BETTER,
        "method": models.Method.MANUAL,
        "reason": "Agreed at the oversight board.",
    }
    response = officer_client.post(admin_url(models.Assessment, "add"), data)
    assert response.status_code == 302
    assert models.Assessment.objects.get().set_by == officer


@pytest.mark.parametrize(("reason", "saved"), [("", False), ("Local survey.", True)])
def test_manual_assessment_inline_needs_a_reason(
    officer_client, officer, reason, saved
):
    value = IndicatorValueFactory()
    url = admin_url(models.IndicatorValue, "change", value.pk)
    data = admin_form_data(officer_client.get(url))
    data.update(
        {
            "assessments-TOTAL_FORMS": "1",
            "assessments-0-value": str(value.pk),
            "assessments-0-benchmark": models.Assessment.Benchmark.REGION,
            "assessments-0-result": models.Assessment.Result.WORSE,
            "assessments-0-method": models.Method.MANUAL,
            "assessments-0-reason": reason,
        }
    )
    response = officer_client.post(url, data)
    if saved:
        assert response.status_code == 302
        assert models.Assessment.objects.get().set_by == officer
    else:
        assert response.status_code == 200
        errors = inline_formset(response, models.Assessment).errors
        assert errors[0]["reason"] == [MANUAL_NEEDS_REASON]
        assert not models.Assessment.objects.exists()


def test_indicator_page_shows_only_the_latest_values_and_still_saves(officer_client):
    indicator = IndicatorFactory(name="Old name")
    values = IndicatorValueFactory.create_batch(
        LATEST_VALUES_SHOWN + 5, indicator=indicator
    )
    newest = max(values, key=lambda v: v.period.sort_key)
    url = admin_url(models.Indicator, "change", indicator.pk)
    response = officer_client.get(url)
    formset = inline_formset(response, models.IndicatorValue)
    shown = [form.instance for form in formset.initial_forms]
    assert len(shown) == LATEST_VALUES_SHOWN
    assert shown[0] == newest
    assert f"See all {LATEST_VALUES_SHOWN + 5} values" in response.content.decode()

    data = admin_form_data(response)
    data["name"] = "New name"
    response = officer_client.post(url, data)
    assert response.status_code == 302
    indicator.refresh_from_db()
    assert indicator.name == "New name"
    assert indicator.values.count() == LATEST_VALUES_SHOWN + 5


def test_all_values_link_filters_the_value_list(officer_client):
    wanted = IndicatorValueFactory()
    IndicatorValueFactory()
    response = officer_client.get(
        admin_url(models.IndicatorValue, "changelist"),
        {"indicator__id__exact": wanted.indicator_id},
    )
    assert list(response.context["cl"].result_list) == [wanted]


def test_only_comparator_groups_have_members(officer_client):
    member = AreaFactory()
    data = {"name": "Not a group", "code": "X1", "area_type": "local_authority"}
    data["members"] = [member.pk]
    response = officer_client.post(admin_url(models.Area, "add"), data)
    assert response.status_code == 200
    assert "members" in response.context["adminform"].form.errors
    assert not models.Area.objects.filter(code="X1").exists()


def test_import_log_is_read_only(officer_client):
    run = ImportRunFactory(file_name="fingertips.csv", errors=["Row 7: no area"])
    change_url = admin_url(models.ImportRun, "change", run.pk)
    response = officer_client.get(change_url)
    assert response.status_code == 200
    assert "Row 7: no area" in response.content.decode()
    assert officer_client.post(change_url, {"file_name": "x"}).status_code == 403
    delete_url = admin_url(models.ImportRun, "delete", run.pk)
    assert officer_client.post(delete_url, {"post": "yes"}).status_code == 403
    run.refresh_from_db()
    assert run.file_name == "fingertips.csv"


def test_target_list_shows_target_and_tolerance_in_the_indicators_unit(
    officer_client,
):
    indicator = IndicatorFactory(unit="%", display_decimals=1)
    TargetFactory(indicator=indicator, value=30, amber_tolerance=2)
    TargetFactory(amber_tolerance=5, tolerance_is_percent=True)
    response = officer_client.get(admin_url(models.Target, "changelist"))
    content = response.content.decode()
    assert "30.0%" in content
    assert "2.0%" in content
    assert "5% of the target" in content


def test_a_calculated_value_edited_by_hand_becomes_as_published(officer_client):
    value = IndicatorValueFactory(
        value=10.0,
        lower95=8.3,
        upper95=12.0,
        method=models.IndicatorValue.Method.WILSON,
    )
    url = admin_url(models.IndicatorValue, "change", value.pk)
    response = officer_client.get(url)
    assert "Wilson score limits" in response.content.decode()  # shown, read-only

    unchanged = admin_form_data(response)
    assert officer_client.post(url, unchanged).status_code == 302
    value.refresh_from_db()
    assert value.method == models.IndicatorValue.Method.WILSON

    edited = admin_form_data(officer_client.get(url))
    edited["value"] = "10.5"
    assert officer_client.post(url, edited).status_code == 302
    value.refresh_from_db()
    assert (value.value, value.method) == (10.5, models.IndicatorValue.Method.PUBLISHED)
