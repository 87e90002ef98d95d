"""Freshness in the indicator list, and recomputing judgements on admin saves."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from indicators import models
from tests.indicators.factories import (
    IndicatorFactory,
    IndicatorValueFactory,
    PeriodFactory,
    TargetFactory,
)
from tests.site.fixtures import admin_form_data, admin_url
from tests.workstreams.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


@pytest.fixture
def recomputed(monkeypatch):
    """Every indicator id the admin asks to recompute, per call."""
    calls = []

    def record(*, indicator_ids):
        calls.append(sorted(indicator_ids))

    for module in ("indicators", "values", "targets"):
        monkeypatch.setattr(
            f"indicators.admin.{module}.indicator_values_changed", record
        )
    return calls


def build_three():
    today = timezone.localdate()
    fresh = IndicatorFactory(
        name="Fresh one", expected_next_release=today + dt.timedelta(days=60)
    )
    due = IndicatorFactory(
        name="Due one", expected_next_release=today - dt.timedelta(days=10)
    )
    stale = IndicatorFactory(name="Stale one")
    for indicator in (fresh, due):
        IndicatorValueFactory(indicator=indicator, release_date=None)
    IndicatorValueFactory(indicator=stale, period=PeriodFactory(label="2001"))
    never = IndicatorFactory(name="Never loaded")
    return {"fresh": fresh, "due": due, "stale": stale, "never": never}


def freshness_column(response) -> dict[str, str]:
    changelist = response.context["cl"]
    admin_obj = changelist.model_admin
    return {obj.name: admin_obj.freshness(obj) for obj in changelist.result_list}


def test_freshness_column_says_fresh_due_or_stale(officer_client):
    build_three()
    response = officer_client.get(admin_url(models.Indicator, "changelist"))
    assert freshness_column(response) == {
        "Fresh one": "fresh",
        "Due one": "due",
        "Stale one": "stale",
        "Never loaded": "stale",
    }
    assert "<th" in response.content.decode()
    assert "Freshness" in response.content.decode()


@pytest.mark.parametrize(
    ("status", "names"),
    [
        ("stale", {"Stale one", "Never loaded"}),
        ("due", {"Due one"}),
        ("fresh", {"Fresh one"}),
    ],
)
def test_freshness_filter(officer_client, status, names):
    build_three()
    response = officer_client.get(
        admin_url(models.Indicator, "changelist"), {"freshness": status}
    )
    assert {obj.name for obj in response.context["cl"].result_list} == names


def test_freshness_filter_query_count_does_not_grow(officer_client):
    def queries() -> int:
        url = admin_url(models.Indicator, "changelist")
        with CaptureQueriesContext(connection) as captured:
            response = officer_client.get(url, {"freshness": "stale"})
        assert response.status_code == 200
        return len(captured)

    build_three()
    officer_client.get(admin_url(models.Indicator, "changelist"))
    small = queries()
    for _ in range(10):
        IndicatorValueFactory(indicator=IndicatorFactory(), period__label="2002")
    assert queries() == small


def test_saving_a_target_recomputes_its_indicator(officer_client, recomputed):
    target = TargetFactory()
    url = admin_url(models.Target, "change", target.pk)
    data = admin_form_data(officer_client.get(url))
    data["value"] = "25"
    assert officer_client.post(url, data).status_code == 302
    assert recomputed == [[target.indicator_id]]


def test_saving_a_value_recomputes_its_indicator(officer_client, recomputed):
    value = IndicatorValueFactory()
    url = admin_url(models.IndicatorValue, "change", value.pk)
    data = admin_form_data(officer_client.get(url))
    data["value"] = "41"
    assert officer_client.post(url, data).status_code == 302
    assert recomputed == [[value.indicator_id]]


def test_changing_polarity_recomputes_but_renaming_does_not(officer_client, recomputed):
    indicator = IndicatorFactory()
    url = admin_url(models.Indicator, "change", indicator.pk)
    data = admin_form_data(officer_client.get(url))
    data["name"] = "Renamed"
    assert officer_client.post(url, data).status_code == 302
    assert recomputed == []
    data["polarity"] = models.Indicator.Polarity.HIGH_IS_GOOD
    assert officer_client.post(url, data).status_code == 302
    assert recomputed == [[indicator.pk]]


def test_adding_a_target_inline_recomputes(officer_client, recomputed):
    indicator = IndicatorFactory()
    value = IndicatorValueFactory(indicator=indicator)
    url = admin_url(models.Indicator, "change", indicator.pk)
    data = admin_form_data(officer_client.get(url))
    data.update(
        {
            "targets-TOTAL_FORMS": "1",
            "targets-0-area": str(value.area_id),
            "targets-0-period": str(value.period_id),
            "targets-0-value": "30",
            "targets-0-amber_tolerance": "2",
        }
    )
    response = officer_client.post(url, data)
    assert response.status_code == 302, response.context["errors"]
    assert models.Target.objects.filter(indicator=indicator).exists()
    assert recomputed == [[indicator.pk]]


def test_saving_for_real_recomputes_against_the_target(officer_client):
    """Without the stand-in: the real engine runs inside the admin's save."""
    value = IndicatorValueFactory()
    url = admin_url(models.IndicatorValue, "change", value.pk)
    data = admin_form_data(officer_client.get(url))
    data["value"] = "41"
    assert officer_client.post(url, data).status_code == 302
    value.refresh_from_db()
    assert value.value == 41
