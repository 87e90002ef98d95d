"""Issue 16's whole journey in Chromium, on Luton's data: the Business, Skills
and Employment chair records two quarters for the six KPIs loaded from the
logic model and sets annual targets; a partner records one value and the
chair approves it; the progress page and the dashboard show the year to date
against the pro-rata target with the right judgement; and the missing third
quarter is in the reminders. (The API's side is tests/workstreams/api/
test_kpis_api.py.)"""

import datetime as dt

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from tests.browser.conftest import (
    autocomplete_choose,
    axe_violations,
    has_horizontal_scroll,
)
from tests.conftest import make_role_users
from workstreams.models import Kpi, KpiEntry, OrganisationMembership, Workstream

pytestmark = pytest.mark.django_db(transaction=True)
#: 2026/27 Q3 (October to December 2026) ended 46 days before: overdue.
TODAY = dt.date(2027, 2, 15)
APPRENTICESHIPS = "Number of apprenticeships arranged via brokerage scheme"


@pytest.fixture(autouse=True)
def on_a_day_in_the_fourth_quarter(today_is):
    today_is(TODAY)


def click(page, name):
    with page.expect_navigation():
        page.get_by_role("button", name=name).click()


def main_text(page) -> str:
    return " ".join(page.inner_text("main").split())


def test_chair_and_partner_record_a_half_year_and_it_is_judged_and_reminded(
    open_page,
):
    call_command("load_luton", verbosity=0)
    bse = Workstream.objects.get(slug="business-skills-employment")
    users = make_role_users(chair_of=bse)
    chair, partner = users["chair"], users["partner"]
    organisation = OrganisationMembership.objects.get(user=partner).organisation
    kpis = list(Kpi.objects.filter(workstream=bse).select_related("indicator"))
    names = [k.indicator.name for k in kpis]
    assert len(names) == 6 and APPRENTICESHIPS in names
    apprenticeships = next(k for k in kpis if k.indicator.name == APPRENTICESHIPS)

    # 1. The chair names who reports apprenticeships, and from when.
    page = open_page(reverse("kpi-edit", args=[apprenticeships.pk]), user=chair)
    autocomplete_choose(page, "id_reporting_organisation", organisation.name)
    page.fill("#id_values_expected_from_day", "1")
    page.fill("#id_values_expected_from_month", "4")
    page.fill("#id_values_expected_from_year", "2026")
    click(page, "Save changes")
    assert page.status != 400 and "There is a problem" not in main_text(page)

    # 2. Two quarters for the six KPIs, on one page each; the partner's
    # apprenticeships value for the second quarter is left to the partner.
    first = dict.fromkeys(names, 30) | {APPRENTICESHIPS: 10}
    first[names[0] if names[0] != APPRENTICESHIPS else names[1]] = 5
    off_target = next(n for n, v in first.items() if v == 5)
    for period, values in (("2026/27 Q1", first), ("2026/27 Q2", first)):
        page = open_page(
            reverse("kpi-grid", args=[bse.slug]) + f"?period={period}", user=chair
        )
        assert axe_violations(page) == []
        for name, value in values.items():
            if period == "2026/27 Q2" and name == APPRENTICESHIPS:
                continue
            page.get_by_label(f"Value of {name}", exact=True).fill(str(value))
        click(page, "Save values")
        assert "There is a problem" not in main_text(page)
    approved = KpiEntry.objects.filter(status=KpiEntry.Status.APPROVED)
    assert approved.count() == 11

    # 3. Annual targets with a 10 % tolerance.
    page = open_page(
        reverse("kpi-targets", args=[bse.slug]) + "?year=2026/27", user=chair
    )
    for name in names:
        target = "40" if name == APPRENTICESHIPS else "100"
        page.get_by_label(f"Annual target for {name}", exact=True).fill(target)
        page.get_by_label(f"Tolerance for {name} (%)", exact=True).fill("10")
    click(page, "Save targets")
    assert "There is a problem" not in main_text(page)

    # 4. The partner records the second quarter of the KPI they report ...
    page = open_page(
        reverse("kpi-grid", args=[bse.slug]) + "?period=2026/27 Q2", user=partner
    )
    assert APPRENTICESHIPS in main_text(page)
    assert not any(n in main_text(page) for n in names if n != APPRENTICESHIPS)
    page.get_by_label(f"Value of {APPRENTICESHIPS}", exact=True).fill("9")
    click(page, "Send for approval")
    assert "There is a problem" not in main_text(page)
    waiting = KpiEntry.objects.get(status=KpiEntry.Status.SUBMITTED)
    assert (waiting.value, waiting.organisation) == (9, organisation)

    # ... and the chair approves it from the approvals page.
    page = open_page(reverse("kpi-approvals", args=[bse.slug]), user=chair)
    assert axe_violations(page) == []
    page.get_by_role("button", name=f"Approve {APPRENTICESHIPS}, 2026/27 Q2").click()
    page.wait_for_load_state()
    waiting.refresh_from_db()
    assert waiting.status == KpiEntry.Status.APPROVED

    # 5. The progress page: year to date against half the annual target.
    # Apprenticeships 10 + 9 = 19 of 20 (tolerance 2): within tolerance; the
    # others 60 of 50: on target; the one at 5 + 5 = 10 of 50: off target.
    for path in (
        reverse("workstream-detail", args=[bse.slug]),
        "/dashboard/?kind=local_output",
    ):
        for width in (1280, 375):
            page = open_page(path, width=width)
            assert not has_horizontal_scroll(page)
        text = main_text(page)
        assert "Within tolerance" in text
        assert "On target" in text
        assert "Off target" in text
        assert page.locator(".marmot-rag--amber").count() >= 1
        assert axe_violations(page) == []
    progress = open_page(reverse("workstream-detail", args=[bse.slug]))
    row = progress.locator(".marmot-kpi-row", has_text=APPRENTICESHIPS)
    row_text = " ".join(row.inner_text().split())
    assert "19" in row_text and "Within tolerance" in row_text
    assert "2026/27 Q3" in row_text  # overdue
    off = progress.locator(".marmot-kpi-row", has_text=off_target)
    assert "Off target" in off.inner_text()

    # 6. The missing third quarter is in the partner's reminder and the
    # chair's digest.
    mail.outbox.clear()
    call_command("send_reminders", "--digest-now", verbosity=0)
    to_partner = [m for m in mail.outbox if partner.email in m.to]
    to_chair = [m for m in mail.outbox if chair.email in m.to]
    assert to_partner and APPRENTICESHIPS in to_partner[-1].body
    assert "2026/27 Q3" in to_partner[-1].body
    assert to_chair and "2026/27 Q3" in to_chair[-1].body
