"""Recording a period's values and deciding partners' entries (ADR 32).

"Record values" is one page for one period: a row per KPI the visitor
records (chairs and officers: every KPI of the workstream, approved as
recorded; a partner: the KPIs their organisation reports, waiting for the
chair's approval). Submitting calls `services.kpis.kpi_entries_record` once:
all or nothing, the errors by row and field in the error summary.

"Approvals": the partners' entries waiting for a decision, and those
returned lately; the chairs and officers approve or return each with a
one-click form (oversight members read the queue).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from marmot.site.access import require
from workstreams import rules
from workstreams.forms.kpis import ReasonForm, grid_form
from workstreams.page_selectors import kpi_pages
from workstreams.services import kpis as services
from workstreams.views.kpi_edit import parse_number

ROW_FIELDS = ("value", "note", "evidence_url", "reason")
NOT_A_NUMBER = "{name}: enter a number, for example 12, or leave it blank"


def spreadsheet_url(slug: str) -> str:
    """The same values as a spreadsheet (`workstreams.views.kpi_spreadsheet`)."""
    return reverse("kpi-spreadsheet", args=[slug])


def kpi_grid(request, slug: str):
    workstream = kpi_pages.workstream_get(slug)
    user = request.user
    kpis = kpi_pages.workstream_kpis(workstream)
    if denied := require(request, kpi_pages.may_record_in(user, workstream, kpis)):
        return denied
    today = timezone.localdate()
    posted = request.method == "POST"
    label = (request.POST if posted else request.GET).get("period", "").strip()
    page = kpi_pages.grid_page(
        user=user,
        workstream=workstream,
        kpis=kpi_pages.recordable_kpis(user, workstream, kpis),
        period_label=label or None,
        today=today,
    )
    context = {"page": page, "spreadsheet_url": spreadsheet_url(slug)}
    if label and page.period is None:
        context["bad_period"] = label
        return render(request, "workstreams/kpis/grid.html", context, status=400)
    form = grid_form(page.rows, request.POST if posted else None)
    if posted and page.period is not None and form.is_valid():
        recorded, errors = _record(request, form, page, today)
        if errors is None:
            if recorded:
                words = "approved" if page.approving else "sent for approval"
                messages.success(
                    request,
                    f"{recorded} value{'s' if recorded != 1 else ''} for "
                    f"{page.period.label} saved and {words}.",
                )
            else:
                messages.info(request, "Nothing was recorded: every value was blank.")
            query = urlencode({"period": page.period.label})
            return redirect(reverse("kpi-grid", args=[slug]) + f"?{query}")
        page, form = _again(request, page, today, errors)
    for row in page.rows:
        if not row.locked:
            row.fields = {name: form[f"{name}_{row.kpi.pk}"] for name in ROW_FIELDS}
            row.fields["row_version"] = form[f"row_version_{row.kpi.pk}"]
    return render(
        request, "workstreams/kpis/grid.html", {**context, "page": page, "form": form}
    )


def _again(request, page, today, errors):
    """The grid as it is now (statuses, locks and row versions read again, so
    a row someone else changed meanwhile can be sent again), with what was
    typed and the errors."""
    kpis = [row.kpi for row in page.rows]
    page = kpi_pages.grid_page(
        user=request.user,
        workstream=page.workstream,
        kpis=kpis,
        period_label=page.period.label,
        today=today,
    )
    data = request.POST.copy()
    for row in page.rows:
        if row.entry is not None:
            data[f"row_version_{row.kpi.pk}"] = str(row.entry.row_version)
    form = grid_form(page.rows, data)
    form.is_valid()
    for name, message in errors:
        form.add_error(name if name in form.fields else None, message)
    return page, form


def _record(request, form, page, today):
    """Record the filled rows: (how many, None), or (0, [(field, message)])
    with nothing written."""
    items, errors = [], []
    data = form.cleaned_data
    for row in page.rows:
        if row.locked:
            continue
        pk = row.kpi.pk
        try:
            value = parse_number(data[f"value_{pk}"])
        except ValueError:
            errors.append((f"value_{pk}", NOT_A_NUMBER.format(name=row.kpi)))
            continue
        if value is None:
            continue  # a blank value: no entry for this row
        items.append(
            services.EntryInput(
                kpi=row.kpi,
                period=page.period.label,
                value=value,
                note=data[f"note_{pk}"],
                evidence_url=data[f"evidence_url_{pk}"],
                reason=data[f"reason_{pk}"],
                expected_row_version=(
                    data[f"row_version_{pk}"] if row.entry is not None else None
                ),
                row=pk,
            )
        )
    if errors:
        return 0, errors
    if not items:
        return 0, None
    try:
        services.kpi_entries_record(items=items, user=request.user, today=today)
    except services.BulkEntryErrors as error:
        names = {row.kpi.pk: row.kpi.indicator.name for row in page.rows}
        for pk, fields in error.rows.items():
            for name, messages_ in fields.items():
                target = f"{name}_{pk}" if name in ROW_FIELDS else f"value_{pk}"
                errors += [(target, f"{names[pk]}: {m}") for m in messages_]
        return 0, errors
    return len(items), None


def kpi_approvals(request, slug: str):
    """The partners' entries waiting for approval; approve or return each."""
    workstream = kpi_pages.workstream_get(slug)
    user = request.user
    if denied := require(request, rules.can_view_kpi_entries_of(user, workstream.pk)):
        return denied
    if request.method == "POST":
        if not rules.can_manage_kpis(user, workstream.pk):
            raise PermissionDenied
        return _decide(request, workstream)
    page = kpi_pages.approvals_page(
        user=user, workstream=workstream, today=timezone.localdate()
    )
    return render(request, "workstreams/kpis/approvals.html", {"page": page})


def _decide(request, workstream):
    """Approve (``decision=approve``) or return (``decision=return`` with a
    reason) the posted ``entry``; back to the queue with what happened."""
    back = redirect("kpi-approvals", slug=workstream.slug)
    try:
        pk = int(request.POST.get("entry", ""))
    except ValueError:
        messages.error(request, "Choose a value to approve or return.")
        return back
    entry = kpi_pages.entry_get(pk)
    if entry.kpi.workstream_id != workstream.pk:
        raise Http404("No such value in this workstream.")
    decision = request.POST.get("decision")
    form = ReasonForm(
        request.POST,
        label="Why it is returned",
        required_message="Say what the partner should correct",
    )
    form.is_valid()
    version = form.cleaned_data.get("row_version")
    what = f"{entry.kpi.indicator.name}, {entry.period.label}"
    try:
        if decision == "approve":
            services.kpi_entry_approve(
                entry=entry, user=request.user, expected_row_version=version
            )
            messages.success(request, f"{what}: approved and published.")
        elif decision == "return":
            services.kpi_entry_return(
                entry=entry,
                user=request.user,
                reason=request.POST.get("reason", ""),
                expected_row_version=version,
            )
            messages.success(request, f"{what}: returned to the partner.")
        else:
            messages.error(request, "Choose to approve or return the value.")
    except ValidationError as error:
        messages.error(request, f"{what}: {' '.join(error.messages)}")
    return back
