"""Site pages: what changed since a date (`/changes/?since=YYYY-MM-DD`), as a
page that prints as a meeting pack, or as CSV (`&format=csv`)."""

from __future__ import annotations

import csv

from django import forms
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_safe

from marmot.site.forms import GovukForm
from workstreams.page_selectors.changes import (
    ROWS_SHOWN,
    ChangesPage,
    changes_page,
    default_since,
)
from workstreams.page_selectors.changes_csv import csv_rows

DATE_PARTS = ("since_day", "since_month", "since_year")


class ChangesForm(GovukForm):
    since = forms.DateField(
        label="Show changes since",
        help_text="For example, the date of the last oversight meeting: 1 10 2026",
        error_messages={"required": "Enter the date to show changes since"},
    )

    def clean_since(self):
        since = self.cleaned_data["since"]
        if since > timezone.localdate():
            raise forms.ValidationError("The date must be today or in the past")
        return since


def form_data(params) -> dict[str, str]:
    """The form's data from the GET parameters: the date input's three boxes,
    else ``since=YYYY-MM-DD``, else 30 days ago."""
    if any(name in params for name in DATE_PARTS):
        return {name: params.get(name, "") for name in DATE_PARTS}
    if "since" in params:
        year, _, rest = params["since"].strip().partition("-")
        month, _, day = rest.partition("-")
    else:
        since = default_since()
        year, month, day = str(since.year), str(since.month), str(since.day)
    return {"since_day": day, "since_month": month, "since_year": year}


def csv_response(page: ChangesPage) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="changes-since-{page.since.isoformat()}.csv"'
    )
    writer = csv.writer(response)
    for row in csv_rows(page):
        writer.writerow(row)
    return response


@require_safe
def changes(request):
    """Everything the visitor may see that changed since the date asked for.
    A bad date re-renders the form with the error (and no changes). The page
    shows the latest rows of each workstream; the CSV has every change."""
    form = ChangesForm(data=form_data(request.GET))
    page = None
    if form.is_valid():
        since = form.cleaned_data["since"]
        if request.GET.get("format") == "csv":
            return csv_response(changes_page(user=request.user, since=since))
        page = changes_page(user=request.user, since=since, limit=ROWS_SHOWN)
    return render(
        request,
        "workstreams/changes.html",
        {"form": form, "page": page, "today": timezone.localdate()},
    )


urlpatterns = [
    path("changes/", changes, name="changes"),
]
