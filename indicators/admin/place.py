"""Admin for the place this deployment serves: one row, edited, never doubled."""

from django import forms
from django.contrib import admin

from indicators.models import Area, Place


class PlaceAdminForm(forms.ModelForm):
    """Check each benchmark area is of the type its role needs."""

    EXPECTED_TYPES = {
        "country": Area.Type.COUNTRY,
        "region": Area.Type.REGION,
        "nearest_neighbours": Area.Type.COMPARATOR_GROUP,
    }

    def clean(self):
        cleaned_data = super().clean()
        for field, expected in self.EXPECTED_TYPES.items():
            area = cleaned_data.get(field)
            if area is not None and area.area_type != expected:
                self.add_error(
                    field,
                    f"Choose an area of type “{expected.label}”: {area} is of "
                    f"type “{area.get_area_type_display()}”.",
                )
        return cleaned_data


@admin.register(Place)
class PlaceAdmin(admin.ModelAdmin):
    """The one place this deployment serves: it can be edited, never doubled."""

    form = PlaceAdminForm
    list_display = [
        "name",
        "service_name",
        "area",
        "country",
        "region",
        "nearest_neighbours",
    ]
    list_select_related = ["area", "country", "region", "nearest_neighbours"]
    search_fields = ["name", "service_name"]
    autocomplete_fields = ["area", "country", "region", "nearest_neighbours"]
    readonly_fields = ["created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["name", "service_name", "description"]}),
        (
            "Areas and benchmarks",
            {"fields": ["area", "country", "region", "nearest_neighbours"]},
        ),
        ("Record", {"fields": ["created_at", "updated_at"]}),
    ]

    def has_add_permission(self, request):
        return super().has_add_permission(request) and not Place.objects.exists()
