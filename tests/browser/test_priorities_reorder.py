"""Reordering a workplan's priorities in Chromium: the "Move up" / "Move down"
buttons JavaScript adds move the rows in the page (focus stays on the button,
the live region says where the priority went), one "Save the order" saves
them, and the order is the same after a reload; without JavaScript the
position boxes do the same. Axe finds nothing on the page, with errors too,
and it reflows at 320px."""

import re

import pytest
from django.urls import reverse

from tests.browser.conftest import axe_violations, has_horizontal_scroll
from tests.workstreams.factories import WorkplanPriorityFactory
from tests.workstreams.fixtures import build_world

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def world(role_users):
    world = build_world(role_users)
    world.priorities.append(
        WorkplanPriorityFactory(workplan=world.workplan, title="Clean air", position=2)
    )
    return world


def url(world):
    return reverse("workplan-priorities", args=[world.own.slug])


def titles(page):
    return page.locator(".marmot-priorities__title").all_inner_texts()


def saved(world):
    return list(
        world.workplan.priorities.order_by("position").values_list("title", flat=True)
    )


def button(page, verb, title):
    """GOV.UK's visually-hidden text: "Move up: Clean air"."""
    return page.get_by_role("button", name=re.compile(rf"^{verb}\s*: {title}$"))


def test_moving_with_the_buttons_then_saving_once(world, open_page):
    page = open_page(url(world), user=world.users["chair"])
    page.wait_for_selector("form[data-priority-order-ready]")
    assert axe_violations(page) == []
    # The first row cannot go up, the last cannot go down.
    assert button(page, "Move up", "Warm homes").is_hidden()
    assert button(page, "Move down", "Clean air").is_hidden()

    button(page, "Move up", "Clean air").click()
    assert titles(page) == ["Warm homes", "Clean air", "Fair tenancies"]
    status = page.locator("#priority-order-status")
    assert status.text_content() == (
        "“Clean air” moved up to position 2 of 3. Save the order to keep it."
    )
    page.keyboard.press("Enter")  # focus stayed on "Move up: Clean air"
    assert titles(page) == ["Clean air", "Warm homes", "Fair tenancies"]
    # At the top its "Move up" is gone: focus moved to its "Move down".
    focused = page.evaluate("() => document.activeElement.textContent")
    assert focused == "Move down: Clean air"
    button(page, "Move down", "Warm homes").click()
    assert titles(page) == ["Clean air", "Fair tenancies", "Warm homes"]
    values = page.locator("input[name^=position_]").evaluate_all(
        "boxes => boxes.map(box => box.value)"
    )
    assert values == ["1", "2", "3"]
    assert saved(world) == ["Warm homes", "Fair tenancies", "Clean air"]  # unsent

    with page.expect_navigation():
        page.get_by_role("button", name="Save the order").click()
    assert "The order of the priorities is saved." in page.inner_text("main")
    assert saved(world) == ["Clean air", "Fair tenancies", "Warm homes"]
    page.reload()
    page.wait_for_selector("form[data-priority-order-ready]")
    assert titles(page) == ["Clean air", "Fair tenancies", "Warm homes"]
    assert page.js_errors == []


def test_without_javascript_the_numbers_set_the_order(world, open_page):
    page = open_page(url(world), user=world.users["chair"], javascript=False)
    assert page.locator(".marmot-priorities__button").count() == 0
    page.get_by_label("Position of Warm homes").fill("2")
    with page.expect_navigation():
        page.get_by_role("button", name="Save the order").click()
    summary = page.locator(".govuk-error-summary")
    assert "are both number 2" in summary.inner_text()
    page.get_by_label("Position of Fair tenancies").fill("1")
    with page.expect_navigation():
        page.get_by_role("button", name="Save the order").click()
    assert saved(world) == ["Fair tenancies", "Warm homes", "Clean air"]


def test_the_page_with_errors_is_accessible_and_reflows(world, open_page):
    page = open_page(url(world), user=world.users["chair"], width=320)
    page.wait_for_selector("form[data-priority-order-ready]")
    page.get_by_label("Position of Clean air").fill("9")
    with page.expect_navigation():
        page.get_by_role("button", name="Save the order").click()
    page.wait_for_selector("form[data-priority-order-ready]")
    assert page.locator(".govuk-error-summary").count() == 1
    assert axe_violations(page) == []
    assert not has_horizontal_scroll(page)
    assert page.js_errors == []


def test_the_other_priority_pages_are_accessible_at_320px(world, open_page):
    chair = world.users["chair"]
    slug = world.own.slug
    pages = [
        reverse("workplan-assign", args=[slug]),
        reverse("workplan-priority-create", args=[slug]),
        reverse("workplan-priority-edit", args=[world.priorities[0].pk]),
        reverse("workplan-priority-remove", args=[world.priorities[0].pk]),
        reverse("workplan-priority-remove", args=[world.priorities[1].pk]),
        reverse("workplan-next-year", args=[world.workplan.pk]),
        reverse("workplan-manage", args=[slug]),
    ]
    for path in pages:
        page = open_page(path, user=chair, width=320)
        assert page.status == 200, path
        assert axe_violations(page) == [], path
        assert not has_horizontal_scroll(page), path
    # The next-year form with errors.
    page.goto(reverse("workplan-next-year", args=[world.workplan.pk]))
    page.fill("#id_year_label", "")
    with page.expect_navigation():
        page.get_by_role("button", name="Start the workplan").click()
    assert page.locator(".govuk-error-summary").count() == 1
    assert axe_violations(page) == []
