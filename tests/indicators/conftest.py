"""Fixtures for the indicators tests: a place loaded from its data directory."""

import pytest
from django.apps import apps

from indicators.assessment import indicator_values_changed
from indicators.models import ImportRun, Indicator, IndicatorValue, Place
from tests.indicators.measures_helpers import PLACE_DIR, run
from tests.shared_data import rolled_back_after


@pytest.fixture(scope="module")
def loaded_once(django_db_setup, django_db_blocker):
    """Load the place's directory (and recompute) once for this module.

    The load runs in a transaction rolled back after the module; each test runs
    in a savepoint inside it.
    """
    with rolled_back_after(django_db_blocker):
        run("load_programme", str(PLACE_DIR))
        # The place is these tests' world; their log of file imports starts empty.
        ImportRun.objects.filter(kind=ImportRun.Kind.PROGRAMME).delete()
        ids = Indicator.objects.values_list("pk", flat=True)
        indicator_values_changed(indicator_ids=ids)
        yield


@pytest.fixture
def place_loaded(loaded_once, db):
    return Place.objects.get()


@pytest.fixture
def place_only(place_loaded):
    """The place and programme, but no measures: as if the table were new
    (and no output KPIs, whose measures are indicators too)."""
    IndicatorValue.objects.all().delete()
    apps.get_model("workstreams", "Kpi").objects.all().delete()
    Indicator.objects.all().delete()
    return place_loaded
