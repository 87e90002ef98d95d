"""The compare-areas funnel plot in Chromium (issue 19): axe, and 375px."""

import pytest
from django.urls import reverse

from tests.browser.conftest import axe_violations, has_horizontal_scroll
from tests.indicators.area_fixtures import areas_world

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_funnel_fits_375_pixels_and_passes_axe(open_page):
    world = areas_world()
    path = reverse("indicator-detail", args=[world.indicator.code])
    page = open_page(path, width=375)
    assert page.status == 200
    funnel = page.get_by_role("img", name="Funnel plot of Physically active adults")
    assert funnel.count() == 1
    box = funnel.bounding_box()
    assert box["x"] >= 0 and 0 < box["x"] + box["width"] <= 375
    assert not has_horizontal_scroll(page)
    assert axe_violations(page) == []
    page.locator("#funnel-data summary").click()
    assert page.locator("#funnel-table tbody tr").count() == 5
    assert not has_horizontal_scroll(page)
    assert axe_violations(page) == []
    assert page.js_errors == []
