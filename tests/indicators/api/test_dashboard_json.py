"""The dashboard's JSON is DashboardSerializer's, read as DRF reads it: the
answer served (through PlannedRepresentation) equals DRF's own reading of the
same entries, byte for byte, on data that takes every branch: an indicator with
no values, a value with every field, missing benchmarks,
manual/computed/published judgements and trends, no place."""

import datetime as dt

import pytest
from rest_framework.renderers import JSONRenderer

from indicators.api.serializers.dashboard import DashboardSerializer
from indicators.assessment import assessment_set_manual, assessments_recompute
from indicators.selectors import indicator_latest_values, place_get
from marmot.api.representation import PlannedRepresentation, drf_to_representation
from tests.indicators.api.conftest import build, put
from tests.indicators.factories import IndicatorFactory
from tests.workstreams.factories import UserFactory

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 1)
URL = "/api/v1/dashboard/"


def drf_reading(document, monkeypatch) -> bytes:
    """The document as DRF's own ``to_representation`` reads it, at every level."""
    with monkeypatch.context() as patch:
        patch.setattr(PlannedRepresentation, "to_representation", drf_to_representation)
        return JSONRenderer().render(DashboardSerializer(document).data)


def test_served_json_is_drfs_reading_on_every_branch(place, anon, monkeypatch):
    [(_, latest), _second] = build(place, 2)
    assessments_recompute()
    assessment_set_manual(
        value=latest,
        benchmark="region",
        result="worse",
        reason="Region figure withdrawn.",
        user=UserFactory(),
    )
    IndicatorFactory(principle=None, is_published=False)  # no values at all
    full = IndicatorFactory(unit="per 100,000", display_decimals=0)
    put(
        full,
        place.area,
        2024,
        250.0,
        count=120,
        denominator=48000,
        published_text="250",
        release_date=dt.date(2025, 3, 1),
        sex="Male",
        age="65+ yrs",
    )
    entries = indicator_latest_values(today=TODAY)
    assert len(entries) == 4
    document = {"place": place_get(), "today": TODAY, "indicators": entries}

    planned = JSONRenderer().render(DashboardSerializer(document).data)
    served = anon.get(URL, {"today": TODAY.isoformat()})

    assert planned == drf_reading(document, monkeypatch)
    assert served.status_code == 200
    shown = {e["indicator"]["code"] for e in served.json()["indicators"]}
    assert shown == {e.indicator.code for e in entries if e.indicator.is_published}
    by_code = {e["indicator"]["code"]: e for e in served.json()["indicators"]}
    assert by_code[full.code]["latest"]["release_date"] == "2025-03-01"
    assert by_code[full.code]["latest"]["count"] == 120.0
    assert by_code[full.code]["latest"]["display"] == "250 per 100,000"
    judged = by_code[latest.indicator.code]["assessments"]
    assert judged["region"]["method"] == "manual"


def test_json_without_a_place(db, anon, monkeypatch):
    IndicatorFactory()
    entries = indicator_latest_values(today=TODAY)
    document = {"place": None, "today": TODAY, "indicators": entries}

    body = anon.get(URL, {"today": TODAY.isoformat()}).json()

    assert JSONRenderer().render(body) == drf_reading(document, monkeypatch)
    assert body["place"] is None and body["indicators"][0]["latest"] is None
