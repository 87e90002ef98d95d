"""The progress page in Chromium: axe as the public and as the chair, reflow at
320px, and the action filters used with the keyboard alone."""

import pytest

from tests.browser.conftest import axe_violations, has_horizontal_scroll
from tests.workstreams.pages.fixtures import URL, actions, build_progress, housing

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("role", ["anonymous", "chair", "oversight", "partner"])
def test_progress_page_has_no_wcag_violations(open_page, role_users, role):
    workplan = build_progress(3)
    actions(workplan)
    users = role_users(chair_of=workplan.workstream)
    page = open_page(URL, user=users[role])
    assert page.status == 200
    assert axe_violations(page) == []
    assert page.js_errors == []
    if role == "chair":
        assert page.get_by_role("button", name="Add an action").count() == 1


def test_draft_workplan_page_has_no_wcag_violations(open_page):
    _workstream, workplan = housing(status="draft")
    actions(workplan)
    page = open_page(URL)
    assert "no published workplan yet" in page.inner_text("main")
    assert axe_violations(page) == []


def test_invalid_filter_error_summary_has_no_wcag_violations(open_page):
    _workstream, workplan = housing()
    actions(workplan)
    page = open_page(URL + "?status=lost")
    assert "There is a problem" in page.inner_text("main")
    assert axe_violations(page) == []


@pytest.mark.parametrize("role", ["anonymous", "chair"])
def test_progress_page_reflows_at_320_pixels(open_page, role_users, role):
    workplan = build_progress(3)
    actions(workplan)
    users = role_users(chair_of=workplan.workstream)
    page = open_page(URL, user=users[role], width=320)
    assert not has_horizontal_scroll(page)


def tab_to(page, element_id: str, limit: int = 80) -> None:
    """Press Tab until the element with ``element_id`` has focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.id") == element_id:
            return
    raise AssertionError(f"#{element_id} never got focus by Tab")


def test_filters_work_by_keyboard_alone(open_page):
    _workstream, workplan = housing()
    made = actions(workplan)
    nea = made["red"].lead_organisation
    page = open_page(URL)
    tab_to(page, "id_rag")
    page.keyboard.press("End")  # "Red – off track", the last option
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.id") == "id_lead_organisation"
    page.keyboard.type("National")
    page.keyboard.press("Tab")
    focused = page.evaluate("() => document.activeElement.textContent.trim()")
    assert focused == "Apply filters"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith(
        f"{URL}?status=&rag=red&lead_organisation={nea.pk}#actions"
    )
    main = page.inner_text("main")
    assert "Showing 1 of 6 actions that match the filters" in main
    assert page.locator("#id_rag").input_value() == "red"
    # The filtered page is still clean, and clearing is one link away.
    assert axe_violations(page) == []
    page.get_by_role("link", name="Clear filters").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith(f"{URL}#actions")
    assert "6 actions in this workplan" in page.inner_text("main")


def test_filters_work_without_javascript(open_page):
    _workstream, workplan = housing()
    actions(workplan)
    page = open_page(URL, javascript=False)
    page.select_option("#id_status", "planned")
    with page.expect_navigation():
        page.click("button:has-text('Apply filters')")
    assert "status=planned" in page.url
    main = page.inner_text("main")
    assert "Showing 2 of 6 actions that match the filters" in main
    assert "Concierge road shows" in main


WIDE_TABLES = """() => [...document.querySelectorAll('main table')]
    .filter(t => t.getBoundingClientRect().width > t.parentElement.clientWidth + 1)
    .map(t => (t.closest('[id]') || t).id)"""


@pytest.mark.parametrize("width", [375, 1280])
def test_the_on_track_judgement_comes_first_and_tables_fit(open_page, width):
    _workstream, workplan = housing()
    actions(workplan)
    page = open_page(URL, width=width)
    judgement = page.locator("#on-track .marmot-on-track__judgement")
    assert judgement.inner_text().strip() == "Some concerns"
    box = judgement.bounding_box()
    assert box["y"] + box["height"] <= 900  # on the first screen, unscrolled
    assert "1 of 5 open actions red; 1 overdue; 1 amber; 1 not rated." in (
        page.inner_text("#on-track")
    )
    assert not has_horizontal_scroll(page)
    if width == 1280:
        assert page.evaluate(WIDE_TABLES) == []


def test_the_override_form_and_an_overridden_page_have_no_wcag_violations(
    open_page,
):
    workstream, workplan = housing()
    actions(workplan)
    page = open_page(f"{URL}on-track/", user=workstream.chair)
    assert axe_violations(page) == []
    page.get_by_label("On track").check()
    page.get_by_label("Reason").fill("The red action is funded from April.")
    with page.expect_navigation():
        page.get_by_role("button", name="Save the override").click()
    assert page.url.endswith(f"{URL}#on-track")
    section = " ".join(page.inner_text("#on-track").split())
    assert "On track (overridden)" in section
    assert "The rule says: Some concerns" in section
    assert axe_violations(page) == []
