"""Numbers a client writes oddly (review of issue 18): digits that are not
ASCII ("²" passes ``str.isdigit`` but not ``int``), numbers too long for
``int``, and JSON numbers that are not whole. Each is a 4xx saying what was
wrong, never a 500 (``marmot.whole_numbers``)."""

import pytest
from django import forms
from rest_framework.test import APIClient

from marmot import roles
from marmot.site.forms import GovukDateField
from tests.conftest import user_with_role
from tests.workstreams.factories import MarmotPrincipleFactory

pytestmark = pytest.mark.django_db
SUPERSCRIPT_TWO = "%C2%B2"


@pytest.mark.parametrize(
    "url",
    [
        f"/api/v1/actions/?principle={SUPERSCRIPT_TWO}",
        f"/api/v1/indicators/?principle={SUPERSCRIPT_TWO}",
        f"/api/v1/dashboard/?principle={SUPERSCRIPT_TWO}",
        f"/api/v1/values.csv?period_from={SUPERSCRIPT_TWO}",
        "/api/v1/actions/?page_size=" + "9" * 5000,
        "/api/v1/actions/?page=" + "9" * 5000,
    ],
)
def test_odd_digits_in_a_query_are_a_400(url):
    response = APIClient().get(url)
    assert response.status_code == 400, response.content
    assert response.json()["error"]["fields"]


@pytest.mark.parametrize("row_version", [1e300, True, 1.5, "²", "9" * 5000])
def test_a_row_version_that_is_not_a_whole_number_is_a_412(row_version):
    principle = MarmotPrincipleFactory(number=3)
    officer = user_with_role(roles.OFFICER, is_staff=True)
    client = APIClient()
    client.force_authenticate(officer)
    response = client.patch(
        f"/api/v1/principles/{principle.pk}/",
        {"title": "Changed", "row_version": row_version},
        format="json",
    )
    assert response.status_code == 412, response.content
    principle.refresh_from_db()
    assert principle.title != "Changed"


def test_a_date_with_odd_digits_is_a_form_error():
    class Form(forms.Form):
        when = GovukDateField()

    form = Form({"when_day": "²", "when_month": "1", "when_year": "2025"})
    assert not form.is_valid()
    assert form.errors["when"]
