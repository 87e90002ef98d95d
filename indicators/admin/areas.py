"""Admin for areas (including comparator groups) and time periods."""

from django.contrib import admin

from indicators.admin.forms import AreaForm
from indicators.models import Area, IndicatorValue, Period
from marmot.admin_helpers import EMPTY, subquery_count


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin):
    form = AreaForm
    list_display = ["name", "code", "area_type", "parent", "member_count"]
    list_select_related = ["parent"]
    list_filter = ["area_type"]
    search_fields = ["name", "code"]
    autocomplete_fields = ["parent", "members"]
    fieldsets = [
        (None, {"fields": ["name", "code", "area_type", "parent"]}),
        (
            "Comparator group",
            {
                "fields": ["members"],
                "description": "Only for an area of type “Comparator group”.",
            },
        ),
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(n_members=subquery_count(Area.members.through, "from_area"))
        )

    @admin.display(description="Member areas", ordering="n_members")
    def member_count(self, obj):
        return obj.n_members or EMPTY


@admin.register(Period)
class PeriodAdmin(admin.ModelAdmin):
    list_display = ["label", "kind", "starts_on", "ends_on", "sort_key", "value_count"]
    list_filter = ["kind"]
    search_fields = ["label"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(n_values=subquery_count(IndicatorValue, "period"))
        )

    @admin.display(description="Values", ordering="n_values")
    def value_count(self, obj):
        return obj.n_values
