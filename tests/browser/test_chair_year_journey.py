"""Issue 17's chair journey in Chromium, in one test: the chair lands on "Your
workstreams" and sees what needs attention; adds a priority and orders the
priorities with the buttons; assigns actions to priorities; records a
milestone and a progress update with an evidence file; signs the plan off
after its year ended (confirming); answers a partner in the submission's
thread and accepts the resubmission; then starts next year's workplan,
carrying the unfinished actions forward with their link back. Axe finds
nothing on each page the chair works on, at 1280 px and, for the landing
page, at 375 px."""

import re

import pytest
from django.urls import reverse

from tests.browser.conftest import axe_violations, has_horizontal_scroll
from tests.workstreams.factories import ActionFactory, SubmissionFactory
from tests.workstreams.fixtures import build_world
from workstreams import services
from workstreams.models import (
    Action,
    EvidenceFile,
    Milestone,
    Submission,
    SubmissionMessage,
    Workplan,
)

pytestmark = pytest.mark.django_db(transaction=True)
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def click(page, name, *, role="button"):
    with page.expect_navigation():
        page.get_by_role(role, name=name).click()


def main_text(page) -> str:
    return " ".join(page.inner_text("main").split())


def accessible(page) -> None:
    assert axe_violations(page) == [], page.url
    assert not has_horizontal_scroll(page), page.url


def test_a_chair_runs_the_year_and_starts_the_next(role_users, open_page, tmp_path):
    world = build_world(role_users, own_status=Workplan.Status.CONSULTATION)
    chair, partner = world.users["chair"], world.users["partner"]
    partner.first_name, partner.last_name = "Nadia", "Rahman"
    partner.save()
    landlords = ActionFactory(workplan=world.workplan, title="Landlord register")
    finished = ActionFactory(
        workplan=world.workplan,
        title="Damp survey",
        status=Action.Status.COMPLETED,
        completed_on=world.workplan.starts_on,
    )
    submission = SubmissionFactory(
        organisation=world.org,
        submitted_by=partner,
        workstream=world.own,
        title="Warm spaces in libraries",
        description="Open three libraries on winter evenings.",
    )

    # 1. The chair's landing page says what needs attention, each linked.
    page = open_page(reverse("chair-home"), user=chair)
    waiting = page.locator("[data-attention=submissions]")
    assert waiting.get_attribute("data-count") == "1"
    assert "1 partner submission is waiting for a decision" in waiting.inner_text()
    queue = reverse("submission-queue", args=[world.own.slug])
    assert waiting.get_by_role("link").get_attribute("href") == queue
    accessible(page)
    narrow = open_page(reverse("chair-home"), user=chair, width=375)
    accessible(narrow)

    # 2. A new priority, moved to the top with the buttons and saved once.
    page.goto(reverse("workplan-priority-create", args=[world.own.slug]))
    page.get_by_label("Title").fill("Damp-free homes")
    accessible(page)
    click(page, "Add priority")
    page.goto(reverse("workplan-priorities", args=[world.own.slug]))
    page.wait_for_selector("form[data-priority-order-ready]")
    for _ in range(2):
        page.get_by_role(
            "button", name=re.compile(r"^Move up\s*: Damp-free homes$")
        ).click()
    accessible(page)
    click(page, "Save the order")
    assert "The order of the priorities is saved." in main_text(page)
    assert list(
        world.workplan.priorities.order_by("position").values_list("title", flat=True)
    ) == ["Damp-free homes", "Warm homes", "Fair tenancies"]

    # 3. Actions assigned to priorities, all at once.
    page.goto(reverse("workplan-assign", args=[world.own.slug]))
    page.get_by_label("Landlord register: priority").select_option(
        label="Fair tenancies"
    )
    page.get_by_label("Damp and mould taskforce: priority").select_option(
        label="Damp-free homes"
    )
    accessible(page)
    click(page, "Save priorities")
    landlords.refresh_from_db()
    world.action.refresh_from_db()
    assert landlords.priority.title == "Fair tenancies"
    assert world.action.priority.title == "Damp-free homes"

    # 4. A milestone, done; then a progress update with an evidence file.
    action_url = reverse("action-detail", args=[world.action.pk])
    page.goto(reverse("milestone-create", args=[world.action.pk]))
    page.get_by_label("Milestone").fill("Survey of 200 homes finished")
    page.fill("#id_due_on_day", "30")
    page.fill("#id_due_on_month", "9")
    page.fill("#id_due_on_year", "2024")
    accessible(page)
    click(page, "Add milestone")
    assert page.url.endswith(action_url) or action_url in page.url
    click(page, re.compile(r"^Mark as done today"))
    milestone = Milestone.objects.get(action=world.action)
    assert milestone.done_on is not None
    assert "100%" in main_text(page)  # one milestone of one, done
    accessible(page)

    page.goto(reverse("progress-update-create", args=[world.action.pk]))
    page.get_by_label("Progress note").fill("Survey finished; report attached.")
    report = tmp_path / "Survey report.pdf"
    report.write_bytes(PDF)
    page.set_input_files("#id_evidence_files", str(report))
    accessible(page)
    click(page, "Post update")
    [evidence] = EvidenceFile.objects.filter(progress_update__action=world.action)
    link = page.get_by_role("link", name=re.compile("Survey report.pdf"))
    assert link.get_attribute("href") == reverse(
        "evidence-download", args=[evidence.pk]
    )
    download = page.request.get(link.get_attribute("href"))
    assert download.status == 200 and download.body() == PDF

    # 5. Signing the plan off after its year ended asks for confirmation.
    page.goto(reverse("workplan-manage", args=[world.own.slug]))
    page.get_by_label("Signed off: published to everyone").check()
    page.fill("#id_signed_off_on_day", "12")
    page.fill("#id_signed_off_on_month", "10")
    page.fill("#id_signed_off_on_year", "2024")
    page.get_by_label("Signed off at").fill("Marmot oversight group, October")
    click(page, "Change status")
    assert page.title().startswith("Error: ")
    accessible(page)
    page.get_by_label("Signed off: published to everyone").check()
    page.locator("#id_confirm_year_ended").check()
    click(page, "Change status")
    world.workplan.refresh_from_db()
    assert world.workplan.status == Workplan.Status.SIGNED_OFF

    # 6. The thread: the chair asks, the partner replies and resubmits, the
    #    chair answers in the thread and accepts.
    detail = reverse("submission-detail", args=[submission.pk])
    page.goto(detail)
    page.get_by_label("Ask for more information").check()
    page.fill("#id_reason", "Which libraries, and from when?")
    click(page, "Save decision")
    submission.refresh_from_db()
    assert submission.status == Submission.Status.MORE_INFO
    services.submission_update(
        submission=submission,
        user=partner,
        reply="Wigmore, Leagrave and Marsh Farm, from November.",
        description="Open Wigmore, Leagrave and Marsh Farm libraries on winter "
        "evenings from November.",
    )
    page.goto(detail)
    thread = page.locator("#conversation ~ ol").inner_text()
    assert thread.index("Which libraries") < thread.index("Wigmore, Leagrave")
    assert "Reply from Nadia Rahman" in thread
    assert "Description" in page.locator("#changes ~ dl").first.inner_text()
    accessible(page)
    page.fill("#id_body", "Thank you: accepting it into this year's plan.")
    click(page, "Add message")
    assert "Message added to the conversation" in main_text(page)
    page.get_by_label("Accept", exact=True).check()
    click(page, "Save decision")
    submission.refresh_from_db()
    assert submission.status == Submission.Status.ACCEPTED
    assert submission.action.workplan == world.workplan
    assert list(
        SubmissionMessage.objects.filter(submission=submission)
        .order_by("created_at", "pk")
        .values_list("kind", flat=True)
    ) == [
        SubmissionMessage.Kind.REQUEST,
        SubmissionMessage.Kind.REPLY,
        SubmissionMessage.Kind.NOTE,
    ]

    # 7. Next year's plan, carrying the unfinished actions forward.
    page.goto(reverse("workplan-next-year", args=[world.workplan.pk]))
    accessible(page)
    assert page.get_by_label("Landlord register").is_checked()
    assert page.get_by_label("Damp survey").count() == 0  # completed: stays
    click(page, "Start the workplan")
    following = Workplan.objects.get(workstream=world.own, year_label="2025/26")
    assert following.status == Workplan.Status.DRAFT
    carried = {a.title: a for a in following.actions.select_related("carried_from")}
    assert set(carried) == {
        "Damp and mould taskforce",
        "Landlord register",
        "Warm spaces in libraries",
    }
    assert carried["Landlord register"].carried_from == landlords
    assert finished.title not in carried
    world.workplan.refresh_from_db()
    assert world.workplan.status == Workplan.Status.SIGNED_OFF  # left as it was
    page.goto(reverse("action-detail", args=[carried["Landlord register"].pk]))
    assert "Carried forward from 2024/25" in main_text(page)
    accessible(page)
    assert page.js_errors == []
