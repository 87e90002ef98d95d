"""The chairs' pages in Chromium: adding an action by keyboard through the
error summary, axe on every form (blank and with errors) and on the action
page, reflow at 320px. (Reordering priorities: test_priorities_reorder.py.)"""

import pytest
from django.urls import reverse

from tests.browser.conftest import axe_violations, has_horizontal_scroll
from tests.workstreams.factories import ProgressUpdateFactory
from tests.workstreams.fixtures import build_world
from workstreams.models import Action, Workplan

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def world(role_users):
    world = build_world(role_users)
    ProgressUpdateFactory(action=world.action, text="Taskforce met.", rag="amber")
    ProgressUpdateFactory(action=world.action, text="Homes inspected.", rag="")
    return world


def active(page, expression="el.id"):
    return page.evaluate(
        f"() => {{ const el = document.activeElement; return {expression}; }}"
    )


def tab_to(page, element_id, limit=80):
    for _ in range(limit):
        page.keyboard.press("Tab")
        if active(page) == element_id:
            return
    raise AssertionError(f"Tab never reached #{element_id}")


def test_a_chair_adds_an_action_by_keyboard_through_the_error_summary(world, open_page):
    page = open_page(
        reverse("action-create", args=[world.own.slug]), user=world.users["chair"]
    )
    tab_to(page, "id_title")  # left blank
    tab_to(page, "id_due_date_day")
    page.keyboard.type("31")
    page.keyboard.press("Tab")
    page.keyboard.type("2")  # 31 February
    page.keyboard.press("Tab")
    page.keyboard.type("2025")
    with page.expect_navigation():
        page.keyboard.press("Enter")  # submit
    assert page.title().startswith("Error: Add an action")
    summary = page.locator(".govuk-error-summary")
    assert summary.inner_text().splitlines()[0] == "There is a problem"
    # GOV.UK's error summary takes focus; its links are the next tab stops.
    assert "govuk-error-summary" in active(page, "el.className")
    page.keyboard.press("Tab")
    assert active(page, "el.textContent") == "Enter a title"
    page.keyboard.press("Enter")
    assert active(page) == "id_title"
    page.keyboard.type("Keyboard-only action")
    page.keyboard.press("Shift+Tab")  # back up to the summary's last link
    assert active(page, "el.textContent") == "Enter a real date, for example 27 3 2026"
    page.keyboard.press("Enter")
    assert active(page) == "id_due_date_day"
    page.keyboard.press("Tab")
    page.keyboard.press("Control+a")
    page.keyboard.type("3")  # 31 March
    tab_to(page, "id_rag_0")  # the checked radio: "Not rated"
    page.keyboard.press("ArrowDown")  # arrow keys move and select: green
    page.keyboard.press("ArrowDown")  # amber
    for _ in range(80):
        page.keyboard.press("Tab")
        if active(page, "el.textContent.trim()") == "Add action":
            break
    with page.expect_navigation():
        page.keyboard.press("Enter")
    action = Action.objects.get(title="Keyboard-only action")
    assert page.url.endswith(reverse("action-detail", args=[action.pk]))
    assert (action.rag, str(action.due_date)) == ("amber", "2025-03-31")
    assert "Action added: Keyboard-only action" in page.inner_text("main")
    assert page.js_errors == []


def _submit_blank(page, *, clear=()):
    for selector in clear:
        page.fill(selector, "")
    with page.expect_navigation():
        page.locator("main form.marmot-chair-form button[type=submit]").click()
    assert page.locator(".govuk-error-summary").count() == 1


def test_forms_have_no_wcag_violations_blank_or_with_errors(world, open_page):
    chair = world.users["chair"]
    pages = [
        (reverse("action-create", args=[world.own.slug]), ["#id_title"]),
        (reverse("action-edit", args=[world.action.pk]), ["#id_title"]),
        (reverse("progress-update-create", args=[world.action.pk]), ["#id_text"]),
    ]
    for path, clear in pages:
        page = open_page(path, user=chair)
        assert axe_violations(page) == [], path
        _submit_blank(page, clear=clear)
        assert axe_violations(page) == [], f"{path} with errors"
        assert page.js_errors == []
    Workplan.objects.filter(pk=world.workplan.pk).update(status="consultation")
    page = open_page(reverse("workplan-manage", args=[world.own.slug]), user=chair)
    assert axe_violations(page) == []
    page.get_by_label("Signed off: published to everyone").check()
    _submit_blank(page)
    assert axe_violations(page) == [], "workplan-manage with errors"


def test_action_page_has_no_wcag_violations(role_users, open_page):
    world = build_world(role_users, own_status=Workplan.Status.SIGNED_OFF)
    world.action.principles.set(world.principles)
    world.action.recommendations.set([world.recommendation])
    ProgressUpdateFactory(action=world.action, text="Taskforce met.", rag="amber")
    path = reverse("action-detail", args=[world.action.pk])
    for user in (None, world.users["chair"], world.users["partner"]):
        page = open_page(path, user=user)
        assert page.status == 200
        assert axe_violations(page) == []
        assert page.js_errors == []


def test_pages_reflow_at_320_pixels(world, open_page):
    chair = world.users["chair"]
    Action.objects.filter(pk=world.action.pk).update(
        title="A very long action title " + "withaverylongunbrokenword" * 4
    )
    for path in (
        reverse("action-detail", args=[world.action.pk]),
        reverse("action-create", args=[world.own.slug]),
        reverse("action-edit", args=[world.action.pk]),
        reverse("progress-update-create", args=[world.action.pk]),
        reverse("workplan-manage", args=[world.own.slug]),
    ):
        page = open_page(path, user=chair, width=320)
        assert page.status == 200, path
        assert not has_horizontal_scroll(page), path
