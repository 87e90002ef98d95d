"""Every page of the site, as every role, on Luton's real data: axe finds no
WCAG 2.0/2.1/2.2 A or AA violation, the skip link is the first tab stop, nothing
is a server error, and (as the public and as a chair) the page reflows at 320px."""

import pytest
from django.urls import reverse
from django.utils import timezone

from indicators.models import Indicator
from tests.browser.conftest import axe_violations, first_tab_stop, has_horizontal_scroll
from workstreams.demo import demo_accounts_create
from workstreams.models import Action, Workstream

pytestmark = pytest.mark.django_db(transaction=True)

ROLES = ["anonymous", "partner", "chair", "oversight", "officer"]


def site_urls() -> list[str]:
    """The site's pages on the loaded data: every workstream, three measures, an
    action, the chair's forms, the submissions and invitations pages, and the
    shared pages. (Roles that may not open a page get its 403 or sign-in page,
    which must be accessible too.)"""
    urls = [
        reverse("home"),
        reverse("dashboard"),
        reverse("measures-table"),
        reverse("recommendations"),
        reverse("programme"),
        reverse("changes") + "?since=2024-01-01",
        reverse("accessibility"),
        reverse("login"),
        "/no-such-page/",
    ]
    workstreams = list(Workstream.objects.order_by("display_order", "name"))
    for workstream in workstreams:
        urls.append(reverse("workstream-detail", args=[workstream.slug]))
        urls.append(reverse("workstream-logic-model", args=[workstream.slug]))
    for code in Indicator.objects.order_by("code").values_list("code", flat=True)[:3]:
        urls.append(reverse("indicator-detail", args=[code]))
    first = workstreams[0]
    action = (
        Action.objects.filter(workplan__workstream=first).order_by("pk").first()
        or Action.objects.order_by("pk").first()
    )
    urls += [
        reverse("action-detail", args=[action.pk]),
        reverse("action-edit", args=[action.pk]),
        reverse("action-archive", args=[action.pk]),
        reverse("progress-update-create", args=[action.pk]),
        reverse("action-create", args=[first.slug]),
        reverse("workplan-manage", args=[first.slug]),
        *priority_urls(first, action),
        *milestone_urls(action),
        reverse("submission-create"),
        reverse("submission-check"),
        reverse("submission-list"),
        reverse("submission-queue", args=[first.slug]),
        reverse("invitation-list"),
        reverse("invitation-create"),
        reverse("password-change"),
        reverse("chair-home"),
    ]
    return urls + kpi_urls(first)


def priority_urls(workstream, action) -> list[str]:
    """The priorities pages of the workstream's current workplan, one
    priority's rename and remove pages, and next year's from the action's
    workplan."""
    from workstreams.models import WorkplanPriority

    priority = WorkplanPriority.objects.order_by("pk").first()
    urls = [
        reverse("workplan-priorities", args=[workstream.slug]),
        reverse("workplan-priority-create", args=[workstream.slug]),
        reverse("workplan-assign", args=[workstream.slug]),
        reverse("workplan-next-year", args=[action.workplan_id]),
    ]
    if priority is not None:
        urls.append(reverse("workplan-priority-edit", args=[priority.pk]))
        urls.append(reverse("workplan-priority-remove", args=[priority.pk]))
    return urls


def milestone_urls(action) -> list[str]:
    """The action's milestone pages and its % complete form, on one of its
    milestones (added when it has none). The evidence download is a file,
    not a page: tests/workstreams/pages/test_action_evidence.py."""
    from workstreams.models import Milestone

    milestone = Milestone.objects.filter(action=action).order_by("pk").first()
    if milestone is None:
        milestone = Milestone.objects.create(
            action=action, title="Test milestone (browser test)"
        )
    return [
        reverse("milestone-create", args=[action.pk]),
        reverse("action-percent-complete", args=[action.pk]),
        reverse("milestone-edit", args=[milestone.pk]),
        reverse("milestone-delete", args=[milestone.pk]),
    ]


def kpi_urls(workstream) -> list[str]:
    """The output-KPI pages of ``workstream``: one of its KPIs (a clearly
    named one is added when the data has none) with an approved value."""
    from django.contrib.auth import get_user_model

    from indicators.reporting_periods import open_period
    from workstreams.models import Kpi, KpiEntry
    from workstreams.services.kpis import kpi_create, kpi_entry_record

    officer = get_user_model().objects.get(username="officer")
    kpi = Kpi.objects.filter(workstream=workstream).order_by("pk").first()
    if kpi is None:
        kpi = kpi_create(
            workstream=workstream, user=officer, name="Test KPI (browser test)"
        )
    entry = KpiEntry.objects.filter(kpi=kpi).order_by("pk").first()
    if entry is None:
        period = open_period(kpi.indicator.update_frequency, timezone.localdate())
        entry = kpi_entry_record(kpi=kpi, user=officer, period=period.label, value=1)
    slug = workstream.slug
    return [
        reverse("kpi-list", args=[slug]),
        reverse("kpi-add", args=[slug]),
        reverse("kpi-grid", args=[slug]),
        reverse("kpi-targets", args=[slug]),
        reverse("kpi-approvals", args=[slug]),
        reverse("kpi-detail", args=[kpi.pk]),
        reverse("kpi-edit", args=[kpi.pk]),
        reverse("kpi-retire", args=[kpi.pk]),
        reverse("kpi-entry-reopen", args=[entry.pk]),
        reverse("kpi-spreadsheet", args=[slug]),
    ]


def role_user(role: str):
    from django.contrib.auth import get_user_model

    if role == "anonymous":
        return None
    first = Workstream.objects.order_by("display_order", "name").first()
    username = f"chair-{first.slug}" if role == "chair" else role
    return get_user_model().objects.get(username=username)


@pytest.mark.parametrize("role", ROLES)
def test_every_page_as_every_role(open_page, luton, role):
    demo_accounts_create()
    user = role_user(role)
    problems = []
    for url in site_urls():
        page = open_page(url, user=user)
        if page.status is not None and page.status >= 500:
            problems.append(f"{url}: HTTP {page.status}")
            continue
        problems += [f"{url}: {line}" for line in axe_violations(page)]
        if first_tab_stop(page) != "Skip to main content":
            problems.append(f"{url}: the skip link is not the first tab stop")
        if page.js_errors:
            problems.append(f"{url}: JavaScript errors {page.js_errors}")
        if role in ("anonymous", "chair"):
            narrow = open_page(url, user=user, width=320)
            scrolls = has_horizontal_scroll(narrow)
            narrow.context.close()
            if scrolls:
                problems.append(f"{url}: scrolls sideways at 320px")
        page.context.close()
    assert problems == []
