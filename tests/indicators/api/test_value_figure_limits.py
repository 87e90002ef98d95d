"""A value's figures are bounded (review of issue 19): 1e308 was accepted, and
then the dashboard, its CSV and the indicator page were a 500 for everyone
(the sparkline's and the scales' arithmetic overflowed). Refused at the model,
so the API, the admin and every import share the one rule."""

import pytest

from indicators.models import IndicatorValue
from indicators.models.values import FIGURE_LIMIT
from tests.indicators.api.conftest import put
from tests.indicators.factories import IndicatorFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"value": 1e308}, "value"),
        ({"lower95": -1.7e308, "upper95": 1.7e308}, "lower95"),
        ({"count": FIGURE_LIMIT * 10}, "count"),
        ({"denominator": 1e300}, "denominator"),
    ],
)
def test_an_absurdly_large_figure_is_a_400_and_pages_still_show(
    place, officer_client, anon, body, field
):
    indicator = IndicatorFactory(code="screened")
    value = put(indicator, place.area, 2023, 40.0)

    response = officer_client.patch(f"/api/v1/values/{value.pk}/", body, format="json")

    assert response.status_code == 400, response.content
    assert field in response.json()["error"]["fields"]
    assert IndicatorValue.objects.get(pk=value.pk).value == 40.0
    assert anon.get("/dashboard/").status_code == 200
    assert anon.get("/indicators/screened/").status_code == 200


def test_a_large_but_real_figure_is_accepted(place, officer_client):
    value = put(IndicatorFactory(), place.area, 2023, 40.0)
    response = officer_client.patch(
        f"/api/v1/values/{value.pk}/", {"denominator": 6e10}, format="json"
    )
    assert response.status_code == 200, response.content
