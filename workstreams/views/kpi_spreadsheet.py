"""Recording a period's output-KPI values as a spreadsheet (ADR 32):
``/workstreams/<slug>/kpis/spreadsheet/``.

- GET: the page: which KPIs the visitor may record, a form to download the
  template for a period, and the upload form.
- GET ``?period=2026/27 Q2``: the template (`workstreams.kpi_spreadsheet`),
  pre-filled with what is recorded for that period.
- POST (multipart, ``file``): the filled-in template, recorded through
  `services.kpis.kpi_entries_record`, all or nothing. A file that cannot be
  read (not an XLSX workbook, too big, hostile, the header changed) is a 400
  saying why; rows with problems are a 400 listing each by row and column;
  nothing is recorded in either case.

Who: the workstream's chairs, deputies and officers (every KPI not retired)
and the partners of an organisation that reports one of its KPIs (theirs only),
per `rules.can_record_kpi`; anonymous visitors sign in; everyone else 403.
"""

from __future__ import annotations

import datetime as dt
import io

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.text import slugify

from indicators.models import Indicator
from indicators.reporting_periods import (
    financial_year_start,
    is_future,
    open_period,
    reporting_period,
    year_periods,
)
from marmot.site.access import require
from marmot.site.forms import GovukForm
from workstreams import rules
from workstreams.kpi_spreadsheet import (
    MAX_UPLOAD_BYTES,
    SpreadsheetRefused,
    SpreadsheetRowErrors,
    kpi_period,
    kpi_spreadsheet_read,
    kpi_template_write,
    problems_by_cell,
    recorded_entries,
    spreadsheet_kpis,
    template_rows,
)
from workstreams.models import KpiEntry, Workstream
from workstreams.page_selectors.chair import workstream_get
from workstreams.services.kpis import BulkEntryErrors, kpi_entries_record

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TEMPLATE = "workstreams/kpi_spreadsheet.html"
Frequency = Indicator.Frequency


class KpiSpreadsheetForm(GovukForm):
    file = forms.FileField(
        label="The filled-in spreadsheet",
        help_text=f"The Excel workbook (.xlsx) downloaded from this page, up to "
        f"{MAX_UPLOAD_BYTES // (1024 * 1024)} MB.",
        error_messages={
            "required": "Choose the spreadsheet to upload",
            "empty": "The file is empty: choose the filled-in spreadsheet",
        },
    )


def _period_label(label: str) -> str:
    return " ".join(str(label).split())


def _period_of_any_frequency(label: str):
    for frequency in (Frequency.QUARTERLY, Frequency.ANNUAL, Frequency.MONTHLY):
        found = reporting_period(frequency, label)
        if found is not None:
            return found
    return None


def period_choices(today: dt.date) -> list[str]:
    """The quarters and years of this financial year and the last that have
    started, newest first: what the download form offers."""
    start = financial_year_start(today)
    labels = []
    for year in (start, start - 1):
        for frequency in (Frequency.QUARTERLY, Frequency.ANNUAL):
            labels += [
                p.label
                for p in year_periods(frequency, year)
                if not is_future(p.starts_on, today)
            ]
    quarters = sorted((x for x in labels if " Q" in x), reverse=True)
    years = sorted((x for x in labels if " Q" not in x), reverse=True)
    return quarters + years


def _allowed(user, workstream: Workstream, kpis) -> bool:
    return rules.can_manage_kpis(user, workstream.pk) or bool(kpis)


def _page(request, workstream, kpis, *, today, form=None, problems=(), refused=""):
    status = 400 if problems or refused else 200
    default = open_period(Frequency.QUARTERLY, today)
    return render(
        request,
        TEMPLATE,
        {
            "workstream": workstream,
            "kpis": kpis,
            "periods": period_choices(today),
            "default_period": default.label if default else "",
            "form": form or KpiSpreadsheetForm(),
            "problems": problems,
            "refused": refused,
            "manages": rules.can_manage_kpis(request.user, workstream.pk),
            "max_upload_mb": MAX_UPLOAD_BYTES // (1024 * 1024),
        },
        status=status,
    )


def _download(request, workstream, kpis, label: str, today: dt.date):
    label = _period_label(label)
    period = _period_of_any_frequency(label)
    if period is None:
        return HttpResponse(
            f"“{label[:40]}” is not a reporting period: give a quarter such as "
            "2026/27 Q2, a financial year such as 2026/27, or a month such as "
            "Apr 2026.\n",
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    if is_future(period.starts_on, today):
        return HttpResponse(
            f"{label} has not started yet: no value can be recorded for it.\n",
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    periods = {kpi.pk: kpi_period(kpi, label, today) for kpi in kpis}
    entries = recorded_entries(user=request.user, kpis=kpis, periods=periods)
    stream = io.BytesIO()
    kpi_template_write(
        stream=stream,
        rows=template_rows(kpis, periods=periods, entries=entries),
        title=f"{workstream.name}: KPI values for {label}",
    )
    response = HttpResponse(stream.getvalue(), content_type=XLSX_TYPE)
    name = f"{workstream.slug}-kpis-{slugify(label.replace('/', '-'))}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _upload(request, workstream, kpis, today: dt.date):
    form = KpiSpreadsheetForm(request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, workstream, kpis, today=today, form=form)
    upload = form.cleaned_data["file"]
    if upload.size > MAX_UPLOAD_BYTES:
        return _page(
            request,
            workstream,
            kpis,
            today=today,
            form=form,
            refused=f"The file is {upload.size / (1024 * 1024):.1f} MB; spreadsheets "
            f"up to {MAX_UPLOAD_BYTES // (1024 * 1024)} MB can be uploaded. "
            "Nothing was recorded.",
        )
    data = upload.read(MAX_UPLOAD_BYTES + 1)
    try:
        items = kpi_spreadsheet_read(data, kpis=kpis, workstream=workstream)
        entries = kpi_entries_record(items=items, user=request.user, today=today)
    except SpreadsheetRefused as error:
        return _page(
            request,
            workstream,
            kpis,
            today=today,
            form=form,
            refused=f"{error} Nothing was recorded.",
        )
    except (SpreadsheetRowErrors, BulkEntryErrors) as error:
        return _page(
            request,
            workstream,
            kpis,
            today=today,
            form=form,
            problems=problems_by_cell(error.rows),
        )
    approved = sum(1 for e in entries if e.status == KpiEntry.Status.APPROVED)
    waiting = sum(1 for e in entries if e.status == KpiEntry.Status.SUBMITTED)
    parts = []
    if approved:
        parts.append(f"{approved} approved")
    if waiting:
        parts.append(f"{waiting} waiting for the chair's approval")
    messages.success(
        request,
        f"The spreadsheet's {len(entries)} value{'s' * (len(entries) != 1)} "
        f"{'are' if len(entries) != 1 else 'is'} recorded"
        + (f" ({', '.join(parts)})." if parts else "."),
    )
    return redirect(reverse("kpi-spreadsheet", args=[workstream.slug]))


def kpi_spreadsheet(request, slug: str):
    workstream = workstream_get(slug)
    user = request.user
    today = timezone.localdate()
    kpis = spreadsheet_kpis(user=user, workstream=workstream, today=today)
    if denied := require(request, _allowed(user, workstream, kpis)):
        return denied
    if request.method == "POST":
        return _upload(request, workstream, kpis, today)
    if request.method not in ("GET", "HEAD"):
        return HttpResponse(status=405, headers={"Allow": "GET, HEAD, POST"})
    if "period" in request.GET:
        return _download(request, workstream, kpis, request.GET["period"], today)
    return _page(request, workstream, kpis, today=today)


urlpatterns = [
    path(
        "workstreams/<slug:slug>/kpis/spreadsheet/",
        kpi_spreadsheet,
        name="kpi-spreadsheet",
    ),
]
