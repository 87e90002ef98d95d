"""Managing a workstream's KPIs (ADR 32): adding, editing, retiring (and
reinstating) a KPI and setting its targets (the workstream's chairs and
officers, `rules.can_manage_kpis`), and reopening an approved value
(officers, `rules.can_reopen_kpi_entry`).

Saved only through `workstreams.services.kpis`; their ValidationErrors become
form errors. The edit form carries the KPI's ``row_version``: a save based on
an out-of-date copy is refused and the current values shown.
"""

from __future__ import annotations

import math

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from marmot.services import StaleRowVersion
from marmot.site.access import require
from marmot.site.once import once_per_form_token
from workstreams import rules
from workstreams.forms.common import add_service_errors
from workstreams.forms.kpis import (
    CONFLICT,
    KpiForm,
    ReasonForm,
    RetireForm,
    targets_form,
)
from workstreams.page_selectors import kpi_pages
from workstreams.services import kpis as services

FORM_TEMPLATE = "workstreams/kpis/form.html"


@once_per_form_token
def kpi_add(request, slug: str):
    workstream = kpi_pages.workstream_get(slug)
    if denied := require(request, rules.can_manage_kpis(request.user, workstream.pk)):
        return denied
    data = request.POST if request.method == "POST" else None
    form = KpiForm(
        data,
        initial={
            "value_type": "count",
            "update_frequency": "quarterly",
            "polarity": "high_is_good",
        },
        choices=kpi_pages.kpi_form_choices(workstream),
    )
    if data is not None and form.is_valid():
        try:
            kpi = services.kpi_create(
                workstream=workstream, user=request.user, **form.service_values()
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"KPI added: {kpi.indicator.name}")
            return redirect("kpi-detail", pk=kpi.pk)
    return render(
        request, FORM_TEMPLATE, {"workstream": workstream, "kpi": None, "form": form}
    )


def kpi_edit(request, pk: int):
    kpi = kpi_pages.kpi_get(pk)
    user = request.user
    if denied := require(request, rules.can_manage_kpis(user, kpi.workstream_id)):
        return denied
    choices = kpi_pages.kpi_form_choices(kpi.workstream)
    if request.method != "POST":
        form = KpiForm(initial=KpiForm.initial_for(kpi), choices=choices)
    else:
        form = KpiForm(request.POST, choices=choices)
        if form.is_valid():
            values = form.service_values()
            activities = values.pop("activities")
            try:
                services.kpi_update(
                    kpi=kpi,
                    user=user,
                    expected_row_version=form.cleaned_data["row_version"] or 0,
                    activities=activities,
                    **values,
                )
            except StaleRowVersion:
                kpi = kpi_pages.kpi_get(pk)
                form = KpiForm(KpiForm.data_for(kpi), choices=choices)
                form.is_valid()
                form.add_error(None, CONFLICT)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, f"KPI saved: {values['name']}")
                return redirect("kpi-detail", pk=pk)
    return render(
        request,
        FORM_TEMPLATE,
        {"workstream": kpi.workstream, "kpi": kpi, "form": form},
    )


def kpi_retire(request, pk: int):
    """Retire a KPI from a date, with a reason (its values stay published), or
    reinstate a retired one."""
    kpi = kpi_pages.kpi_get(pk)
    user = request.user
    if denied := require(request, rules.can_manage_kpis(user, kpi.workstream_id)):
        return denied
    today = timezone.localdate()
    form = RetireForm(initial={"retired_on": today})
    if request.method == "POST" and request.POST.get("reinstate"):
        if kpi.is_retired:
            services.kpi_reinstate(kpi=kpi, user=user)
            messages.success(request, f"KPI reinstated: {kpi.indicator.name}")
        return redirect("kpi-detail", pk=pk)
    if request.method == "POST":
        form = RetireForm(request.POST)
        if form.is_valid():
            try:
                services.kpi_retire(
                    kpi=kpi,
                    user=user,
                    retired_on=form.cleaned_data["retired_on"],
                    reason=form.cleaned_data["reason"],
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, f"KPI retired: {kpi.indicator.name}")
                return redirect("kpi-detail", pk=pk)
    return render(
        request,
        "workstreams/kpis/retire.html",
        {"workstream": kpi.workstream, "kpi": kpi, "form": form},
    )


def parse_number(text: str) -> float | int | None:
    """A typed number ("1,200", "12.5") or None when blank; ValueError if it
    is not one."""
    text = (text or "").strip().replace(",", "")
    if not text:
        return None
    number = float(text)
    if not math.isfinite(number):
        raise ValueError(text)
    return int(number) if number == int(number) else number


NOT_A_NUMBER = "{name}: enter a number, for example 120, or leave it blank"


def kpi_targets(request, slug: str):
    """Each active KPI's target for a financial year (?year=2026/27), its
    tolerance and (quarterly KPIs) its quarters' targets."""
    workstream = kpi_pages.workstream_get(slug)
    user = request.user
    if denied := require(request, rules.can_manage_kpis(user, workstream.pk)):
        return denied
    today = timezone.localdate()
    years = kpi_pages.financial_years(today)
    year = request.POST.get("year") or request.GET.get("year") or years[1]
    context = {"workstream": workstream, "years": years, "year": year}
    if year not in years:
        context["bad_year"] = True
        return render(request, "workstreams/kpis/targets.html", context, status=400)
    kpis = [k for k in kpi_pages.workstream_kpis(workstream) if not k.is_retired]
    targets = kpi_pages.year_targets(kpis, year)
    posted = request.method == "POST"
    form = targets_form(kpis, targets, year, request.POST if posted else None)
    if posted and form.is_valid() and _targets_save(request, form, kpis, year):
        messages.success(request, f"Targets for {year} saved.")
        return redirect(reverse("kpi-targets", args=[slug]) + f"?year={year}")
    rows = [
        {
            "kpi": kpi,
            "target": form[f"target_{kpi.pk}"],
            "tolerance": form[f"tolerance_{kpi.pk}"],
            "quarters": [
                form[f"q{q}_{kpi.pk}"]
                for q in range(1, 5)
                if f"q{q}_{kpi.pk}" in form.fields
            ],
        }
        for kpi in kpis
    ]
    return render(
        request,
        "workstreams/kpis/targets.html",
        {**context, "form": form, "rows": rows},
    )


def _targets_save(request, form, kpis, year) -> bool:
    """Set every KPI's targets, all or nothing; False (with the errors on the
    form) if any is wrong."""
    plans = []
    for kpi in kpis:
        name = kpi.indicator.name
        numbers = {}
        for key in ("target", "tolerance", "q1", "q2", "q3", "q4"):
            field = f"{key}_{kpi.pk}"
            if field not in form.fields:
                continue
            try:
                numbers[key] = parse_number(form.cleaned_data[field])
            except ValueError:
                form.add_error(field, NOT_A_NUMBER.format(name=name))
        plans.append((kpi, numbers))
    if form.errors:
        return False
    fields = {"value": "target", "tolerance": "tolerance", "year": "target"}
    try:
        with transaction.atomic():
            for kpi, numbers in plans:
                quarters = {
                    q: numbers[f"q{q}"] for q in range(1, 5) if f"q{q}" in numbers
                }
                try:
                    services.kpi_target_set(
                        kpi=kpi,
                        user=request.user,
                        year_label=year,
                        value=numbers.get("target"),
                        tolerance=numbers.get("tolerance") or 0,
                        tolerance_is_percent=True,
                        quarters=quarters or None,
                    )
                except ValidationError as error:
                    for key, messages_ in error.message_dict.items():
                        name = fields.get(key, key)
                        field = f"{name}_{kpi.pk}"
                        if field not in form.fields:
                            field = f"target_{kpi.pk}"
                        for message in messages_:
                            form.add_error(field, f"{kpi.indicator.name}: {message}")
            if form.errors:
                raise _Undo
    except _Undo:
        return False
    return True


class _Undo(Exception):
    """Roll back every target set when one KPI's was refused."""


def kpi_entry_reopen(request, pk: int):
    """An officer unlocks an approved value for correction, with a reason."""
    entry = kpi_pages.entry_get(pk)
    user = request.user
    if denied := require(request, rules.can_reopen_kpi_entry(user)):
        return denied
    kpi = entry.kpi
    form = ReasonForm(
        label="Why it is reopened",
        required_message="Say why the approved value is reopened",
        initial={"row_version": entry.row_version},
    )
    if request.method == "POST":
        form = ReasonForm(
            request.POST,
            label="Why it is reopened",
            required_message="Say why the approved value is reopened",
        )
        if form.is_valid():
            try:
                services.kpi_entry_reopen(
                    entry=entry,
                    user=user,
                    reason=form.cleaned_data["reason"],
                    expected_row_version=form.cleaned_data["row_version"],
                )
            except services.KpiConflict as error:
                messages.error(request, " ".join(error.messages))
                return redirect("kpi-detail", pk=kpi.pk)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request,
                    f"{kpi.indicator.name}, {entry.period.label}: reopened for "
                    "correction.",
                )
                return redirect("kpi-detail", pk=kpi.pk)
    return render(
        request,
        "workstreams/kpis/reopen.html",
        {"workstream": kpi.workstream, "kpi": kpi, "entry": entry, "form": form},
    )
