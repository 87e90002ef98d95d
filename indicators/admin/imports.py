"""The log of data imports, and the officer upload pages behind it.

Officers with the ``indicators.add_indicatorvalue`` permission can upload a
Fingertips data CSV or the outcome-measure table (TSV/CSV as published, or the
XLSX template) and download the template. The pages call the same services as
``manage.py import_fingertips`` and ``import_measures``: a file with any problem
is shown again with every problem listed, and nothing is imported.
"""

import io
import json

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html

from indicators.fingertips.importer import fingertips_import
from indicators.measures.importing import measures_import
from indicators.measures.template import measures_template_write
from indicators.models import ImportRun
from marmot.admin_helpers import EMPTY

UPLOAD_PERMISSION = "indicators.add_indicatorvalue"
MAX_UPLOAD_MB = 20
MAX_UPLOAD_BYTES = MAX_UPLOAD_MB * 1024 * 1024
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TEMPLATE_FILE_NAME = "outcome-measures-template.xlsx"


def _size_checked(upload):
    if upload.size > MAX_UPLOAD_BYTES:
        size = upload.size / (1024 * 1024)
        raise forms.ValidationError(
            f"The file is {size:.1f} MB; files up to {MAX_UPLOAD_MB} MB can be "
            "uploaded. For a larger file, ask an administrator to run the import "
            "command."
        )
    return upload


class FingertipsUploadForm(forms.Form):
    file = forms.FileField(
        label="Fingertips data CSV",
        help_text=f"The all_data/csv download, UTF-8, up to {MAX_UPLOAD_MB} MB.",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv"}),
    )

    def clean_file(self):
        upload = _size_checked(self.cleaned_data["file"])
        if not upload.name.lower().endswith(".csv"):
            raise forms.ValidationError("Choose a .csv file.")
        return upload


class MeasuresUploadForm(forms.Form):
    file = forms.FileField(
        label="Outcome-measure table",
        help_text="The table as published (.tsv or .csv) or the filled-in template "
        f"(.xlsx), up to {MAX_UPLOAD_MB} MB.",
        widget=forms.ClearableFileInput(attrs={"accept": ".tsv,.csv,.xlsx"}),
    )
    measures = forms.FileField(
        label="Metadata for new measures (optional)",
        required=False,
        help_text="A measures.json file describing measures not yet in the "
        "database. Not needed for the template, which has metadata columns.",
        widget=forms.ClearableFileInput(attrs={"accept": ".json"}),
    )

    def clean_file(self):
        upload = _size_checked(self.cleaned_data["file"])
        if not upload.name.lower().endswith((".tsv", ".csv", ".xlsx")):
            raise forms.ValidationError("Choose a .tsv, .csv or .xlsx file.")
        return upload

    def clean_measures(self):
        upload = self.cleaned_data.get("measures")
        if not upload:
            return None
        _size_checked(upload)
        try:
            return json.loads(b"".join(upload.chunks()).decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as error:
            raise forms.ValidationError(f"Not a valid JSON file: {error}") from error
        except RecursionError as error:
            raise forms.ValidationError(
                "Not a valid JSON file: nested too deeply"
            ) from error


@admin.register(ImportRun)
class ImportRunAdmin(admin.ModelAdmin):
    """A read-only log, with upload pages for officers who may add values."""

    change_list_template = "admin/indicators/importrun/change_list.html"
    list_display = [
        "started_at",
        "kind",
        "file_name",
        "status",
        "rows_read",
        "values_created",
        "values_updated",
        "values_unchanged",
        "error_count",
        "started_by",
    ]
    list_select_related = ["started_by"]
    list_filter = ["kind", "status"]
    date_hierarchy = "started_at"
    search_fields = ["file_name", "=sha256"]
    readonly_fields = ["error_list"]
    exclude = ["errors"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="Errors")
    def error_count(self, obj):
        return len(obj.errors or [])

    @admin.display(description="Errors")
    def error_list(self, obj):
        if not obj.errors:
            return EMPTY
        return format_html(
            "<pre>{}</pre>", json.dumps(obj.errors, indent=2, ensure_ascii=False)
        )

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path(
                "import-fingertips/",
                wrap(self.fingertips_upload_view),
                name="indicators_import_fingertips",
            ),
            path(
                "import-measures/",
                wrap(self.measures_upload_view),
                name="indicators_import_measures",
            ),
            path(
                "measures-template/",
                wrap(self.measures_template_view),
                name="indicators_measures_template",
            ),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "can_upload": request.user.has_perm(UPLOAD_PERMISSION),
        }
        return super().changelist_view(request, extra_context)

    def _require_upload_permission(self, request) -> None:
        if not request.user.has_perm(UPLOAD_PERMISSION):
            raise PermissionDenied

    def _upload_page(
        self, request, form, *, title, problems=(), notes=(), problem_count=0
    ):
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": title,
            "form": form,
            "problems": problems,  # the first 100, then "…and N more"
            "problem_count": problem_count,  # every problem found
            "notes": notes,
            "max_upload_mb": MAX_UPLOAD_MB,
            "template_url": reverse("admin:indicators_measures_template"),
        }
        return TemplateResponse(request, "admin/indicators/import_form.html", context)

    def _succeeded(self, request, result):
        messages.success(request, result.summary())
        for note in result.notes:
            messages.info(request, note)
        return redirect("admin:indicators_importrun_change", result.run_id)

    def fingertips_upload_view(self, request):
        self._require_upload_permission(request)
        title = "Import a Fingertips CSV"
        form = FingertipsUploadForm(request.POST or None, request.FILES or None)
        if request.method != "POST" or not form.is_valid():
            return self._upload_page(request, form, title=title)
        upload = form.cleaned_data["file"]
        result = fingertips_import(
            file=upload, file_name=upload.name, user=request.user
        )
        if result.ok:
            return self._succeeded(request, result)
        return self._upload_page(
            request,
            form,
            title=title,
            problems=result.error_messages(),
            problem_count=result.error_count,
        )

    def measures_upload_view(self, request):
        self._require_upload_permission(request)
        title = "Import the outcome-measure table (TSV/CSV/XLSX)"
        form = MeasuresUploadForm(request.POST or None, request.FILES or None)
        if request.method != "POST" or not form.is_valid():
            return self._upload_page(request, form, title=title)
        upload = form.cleaned_data["file"]
        result = measures_import(
            file=upload,
            file_name=upload.name,
            user=request.user,
            metadata=form.cleaned_data["measures"],
        )
        if result.ok:
            return self._succeeded(request, result)
        return self._upload_page(
            request,
            form,
            title=title,
            problems=result.error_lines(),
            problem_count=result.error_count,
            notes=result.notes,
        )

    def measures_template_view(self, request):
        self._require_upload_permission(request)
        stream = io.BytesIO()
        try:
            measures_template_write(stream=stream)
        except ValueError as error:
            messages.error(request, str(error))
            return redirect("admin:indicators_importrun_changelist")
        response = HttpResponse(stream.getvalue(), content_type=XLSX_TYPE)
        response["Content-Disposition"] = f'attachment; filename="{TEMPLATE_FILE_NAME}"'
        return response
