"""Admin for output KPIs and their entries (ADR 32).

Everything goes through the services, as on the site and in the API: a KPI's
links (output, activities, reporting organisation, order) are saved with
`kpi_update`; an entry is decided or reopened with the list's actions (approve;
return or reopen with a reason typed once for the selected rows). KPIs are
added, and values recorded, on the site's pages (the workstream's "Output
KPIs"), where the grid checks every row.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils.html import format_html

from marmot.admin_helpers import HistoryAdmin, action_with_reason
from workstreams.models import Kpi, KpiEntry
from workstreams.services import kpis as kpi_services


@admin.register(Kpi)
class KpiAdmin(HistoryAdmin):
    list_display = [
        "__str__",
        "workstream",
        "reporting_organisation",
        "frequency",
        "retired_on",
        "on_the_site",
    ]
    list_select_related = ["indicator", "workstream", "reporting_organisation"]
    list_filter = ["workstream", "indicator__update_frequency"]
    search_fields = ["indicator__name", "indicator__code"]
    fields = [
        "workstream",
        "indicator",
        "output",
        "activities",
        "reporting_organisation",
        "display_order",
        "retired_reason",
    ]
    readonly_fields = ["workstream", "indicator", "retired_reason"]
    autocomplete_fields = ["reporting_organisation"]
    filter_horizontal = ["activities"]

    def has_add_permission(self, request):
        return False  # added on the site, where the measure's fields are asked

    @admin.display(description="frequency", ordering="indicator__update_frequency")
    def frequency(self, kpi):
        return kpi.indicator.get_update_frequency_display()

    @admin.display(description="retired on", ordering="indicator__retired_on")
    def retired_on(self, kpi):
        return kpi.indicator.retired_on or ""

    @admin.display(description="on the site")
    def on_the_site(self, kpi):
        return format_html(
            '<a href="{}">View</a>', reverse("kpi-detail", args=[kpi.pk])
        )

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        kpi_services.kpi_update(
            kpi=obj,
            user=request.user,
            output=data.get("output"),
            reporting_organisation=data.get("reporting_organisation"),
            display_order=data.get("display_order"),
        )

    def save_related(self, request, form, formsets, change):
        kpi_services.kpi_update(
            kpi=form.instance,
            user=request.user,
            activities=form.cleaned_data.get("activities", []),
        )


class ReasonForm(forms.Form):
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 4, "cols": 60}))


@admin.register(KpiEntry)
class KpiEntryAdmin(HistoryAdmin):
    list_display = [
        "kpi",
        "period",
        "value",
        "status",
        "organisation",
        "entered_by",
        "decided_by",
        "updated_at",
    ]
    list_select_related = [
        "kpi__indicator",
        "period",
        "organisation",
        "entered_by",
        "decided_by",
    ]
    list_filter = ["status", "kpi__workstream"]
    search_fields = ["kpi__indicator__name", "period__label", "note"]
    actions = ["approve_selected", "return_selected", "reopen_selected"]

    def has_add_permission(self, request):
        return False  # recorded on the site (the grid) or through the API

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "evidence_url":
            kwargs["assume_scheme"] = "https"
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def has_change_permission(self, request, obj=None):
        return False  # decided with the actions; values are corrected on the site

    def has_delete_permission(self, request, obj=None):
        return False  # the record of who entered and decided what

    def _each(self, request, queryset, decide, done_label: str) -> None:
        done, problems = 0, []
        for entry in queryset.select_related("kpi__indicator", "period").order_by("pk"):
            try:
                decide(entry)
            except (ValidationError, PermissionDenied) as error:
                text = (
                    " ".join(error.messages)
                    if isinstance(error, ValidationError)
                    else str(error)
                )
                problems.append(f"{entry.kpi} {entry.period}: {text}")
            else:
                done += 1
        if done:
            self.message_user(
                request, f"{done} value{'s' if done != 1 else ''} {done_label}."
            )
        for problem in problems:
            self.message_user(request, problem, level=messages.ERROR)

    @admin.action(description="Approve the selected values (publish and lock)")
    def approve_selected(self, request, queryset):
        self._each(
            request,
            queryset,
            lambda e: kpi_services.kpi_entry_approve(entry=e, user=request.user),
            "approved",
        )

    @admin.action(description="Return the selected values to the partner (reason)")
    def return_selected(self, request, queryset):
        return self._with_reason(
            request, queryset, kpi_services.kpi_entry_return, "returned", "Return"
        )

    @admin.action(description="Reopen the selected approved values (reason)")
    def reopen_selected(self, request, queryset):
        return self._with_reason(
            request, queryset, kpi_services.kpi_entry_reopen, "reopened", "Reopen"
        )

    def _with_reason(self, request, queryset, service, done_label, verb):
        return action_with_reason(
            self,
            request,
            queryset.select_related("kpi__indicator", "period"),
            apply=lambda reason: self._each(
                request,
                queryset,
                lambda e: service(entry=e, user=request.user, reason=reason),
                done_label,
            ),
            title=f"{verb} {queryset.count()} value(s)",
            template="workstreams/kpis/admin_reason.html",
            form_class=ReasonForm,
        )
