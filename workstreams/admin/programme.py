"""Admin for the programme: principles, partners, workstreams and more.

The principles are indicators' models (ADR 30) but their admin counts the
workstreams and actions that name them, so it lives on this side."""

from django import forms
from django.contrib import admin
from django.db import models

from indicators.models import Indicator, MarmotPrinciple
from marmot.admin_helpers import (
    HistoryAdmin,
    ReadableLabelsMixin,
    RowVersionAdminMixin,
    names,
    subquery_count,
    truncate,
)
from workstreams.admin import on_track
from workstreams.models import (
    Action,
    Organisation,
    OrganisationMembership,
    Recommendation,
    Workstream,
)

OPEN_STATUSES = [Action.Status.PLANNED, Action.Status.IN_PROGRESS]


class PrincipleCheckboxesMixin:
    """The eight principles are few: tick boxes beat a multi-select."""

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "principles":
            kwargs["widget"] = forms.CheckboxSelectMultiple
        return super().formfield_for_manytomany(db_field, request, **kwargs)


@admin.register(MarmotPrinciple)
class MarmotPrincipleAdmin(RowVersionAdminMixin, admin.ModelAdmin):
    list_display = [
        "number",
        "title",
        "short_title",
        "workstream_count",
        "indicator_count",
        "action_count",
    ]
    list_display_links = ["number", "title"]
    search_fields = ["title", "short_title", "=number"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                n_workstreams=subquery_count(
                    Workstream.principles.through, "marmotprinciple"
                ),
                n_indicators=subquery_count(Indicator, "principle"),
                n_actions=subquery_count(Action.principles.through, "marmotprinciple"),
            )
        )

    @admin.display(description="Workstreams", ordering="n_workstreams")
    def workstream_count(self, obj):
        return obj.n_workstreams

    @admin.display(description="Indicators", ordering="n_indicators")
    def indicator_count(self, obj):
        return obj.n_indicators

    @admin.display(description="Actions", ordering="n_actions")
    def action_count(self, obj):
        return obj.n_actions


class OrganisationMembershipInline(admin.TabularInline):
    model = OrganisationMembership
    extra = 0
    autocomplete_fields = ["user"]
    verbose_name = "partner user"
    verbose_name_plural = "partner users"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user")


@admin.register(Organisation)
class OrganisationAdmin(RowVersionAdminMixin, HistoryAdmin):
    list_display = [
        "name",
        "short_name",
        "kind",
        "is_anchor_institution",
        "member_count",
        "led_action_count",
    ]
    list_filter = ["kind", "is_anchor_institution"]
    search_fields = ["name", "short_name"]
    inlines = [OrganisationMembershipInline]
    readonly_fields = ["created_at", "updated_at"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                n_members=subquery_count(OrganisationMembership, "organisation"),
                n_led_actions=subquery_count(Action, "lead_organisation"),
            )
        )

    @admin.display(description="Partner users", ordering="n_members")
    def member_count(self, obj):
        return obj.n_members

    @admin.display(description="Actions led", ordering="n_led_actions")
    def led_action_count(self, obj):
        return obj.n_led_actions


@admin.register(OrganisationMembership)
class OrganisationMembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "user_email", "organisation", "organisation_kind"]
    list_select_related = ["user", "organisation"]
    list_filter = ["organisation__kind"]
    search_fields = [
        "user__username",
        "user__first_name",
        "user__last_name",
        "user__email",
        "organisation__name",
    ]
    autocomplete_fields = ["user", "organisation"]
    readonly_fields = ["created_at", "updated_at"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user", "organisation")

    @admin.display(description="Email", ordering="user__email")
    def user_email(self, obj):
        return obj.user.email

    @admin.display(description="Organisation type", ordering="organisation__kind")
    def organisation_kind(self, obj):
        return obj.organisation.get_kind_display()


@admin.register(Workstream)
class WorkstreamAdmin(
    on_track.OnTrackAdminMixin,
    PrincipleCheckboxesMixin,
    RowVersionAdminMixin,
    HistoryAdmin,
):
    form = on_track.OnTrackAdminForm
    list_display = [
        "name",
        "chair",
        "chair_role",
        "principle_numbers",
        "deputy_names",
        "open_action_count",
        "display_order",
    ]
    list_select_related = ["chair"]
    list_filter = ["principles"]
    search_fields = ["name", "slug", "purpose", "chair_role"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["chair", "deputies", "indicators"]
    readonly_fields = ["created_at", "updated_at", *on_track.READONLY]
    fieldsets = [
        (None, {"fields": ["name", "slug", "purpose", "display_order"]}),
        ("Leadership", {"fields": ["chair", "chair_role", "deputies"]}),
        ("Marmot principles", {"fields": ["principles"]}),
        ("Outcome measures it works towards", {"fields": ["indicators"]}),
        on_track.FIELDSET,
        ("Record", {"fields": ["created_at", "updated_at"]}),
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .prefetch_related("principles", "deputies")
            .annotate(
                n_open_actions=subquery_count(
                    Action, "workplan__workstream", status__in=OPEN_STATUSES
                )
            )
        )

    @admin.display(description="Principles")
    def principle_numbers(self, obj):
        return ", ".join(str(p.number) for p in obj.principles.all()) or "—"

    @admin.display(description="Deputies")
    def deputy_names(self, obj):
        return names(user.get_full_name() or user for user in obj.deputies.all())

    @admin.display(description="Open actions", ordering="n_open_actions")
    def open_action_count(self, obj):
        return obj.n_open_actions


@admin.register(Recommendation)
class RecommendationAdmin(ReadableLabelsMixin, RowVersionAdminMixin, HistoryAdmin):
    list_display = [
        "number",
        "source",
        "summary",
        "workstream",
        "principle",
        "action_count",
    ]
    list_display_links = ["number", "summary"]
    list_select_related = ["workstream", "principle"]
    list_filter = ["source", "workstream", "principle"]
    search_fields = ["text", "source_title", "=number"]
    autocomplete_fields = ["workstream"]
    readonly_fields = ["created_at", "updated_at"]
    formfield_overrides = {
        models.TextField: {"widget": forms.Textarea(attrs={"rows": 4})}
    }
    field_labels = {"principle": "Marmot principle"}

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                n_actions=subquery_count(
                    Action.recommendations.through, "recommendation"
                )
            )
        )

    @admin.display(description="Recommendation", ordering="text")
    def summary(self, obj):
        return truncate(obj.text, 100)

    @admin.display(description="Actions", ordering="n_actions")
    def action_count(self, obj):
        return obj.n_actions
