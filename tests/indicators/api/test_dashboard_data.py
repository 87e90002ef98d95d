"""The dashboard's plain-function JSON equals what DashboardSerializer (the
schema's description of it) makes of the same entries, on data that takes
every branch: an indicator with no values, a value with every field, missing
benchmarks, manual/computed/published judgements and trends."""

import datetime as dt
import json

import pytest
from rest_framework.renderers import JSONRenderer

from indicators.api.dashboard import DashboardSerializer
from indicators.api.dashboard_data import dashboard_document
from indicators.assessment import assessment_set_manual, assessments_recompute
from indicators.selectors import indicator_latest_values, place_get
from tests.indicators.api.conftest import build, put
from tests.indicators.factories import IndicatorFactory
from tests.workstreams.factories import UserFactory

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 1)


def as_json(data) -> object:
    return json.loads(JSONRenderer().render(data))


def test_document_equals_the_serializer_on_every_branch(place):
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
    data = {"place": place_get(), "today": TODAY, "indicators": entries}

    document = dashboard_document(place=place_get(), today=TODAY, entries=entries)

    assert as_json(document) == as_json(DashboardSerializer(data).data)
    by_code = {e["indicator"]["code"]: e for e in as_json(document)["indicators"]}
    assert by_code[full.code]["latest"]["release_date"] == "2025-03-01"
    assert by_code[full.code]["latest"]["count"] == 120.0


def test_document_without_a_place(db):
    IndicatorFactory()
    entries = indicator_latest_values(today=TODAY)
    data = {"place": None, "today": TODAY, "indicators": entries}
    document = dashboard_document(place=None, today=TODAY, entries=entries)
    assert as_json(document) == as_json(DashboardSerializer(data).data)
    assert document["place"] is None and document["indicators"][0]["latest"] is None
