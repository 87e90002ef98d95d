"""API permissions for indicators and values: every decision asks indicators.rules."""

from rest_framework.permissions import SAFE_METHODS, BasePermission

from indicators.rules import can_edit_indicators, can_view_indicator
from marmot.principals import can_delete_records


def _indicator_of(obj):
    return getattr(obj, "indicator", obj)


class IndicatorAccess(BasePermission):
    """Read what the user may see (can_view_indicator); officers write
    (can_edit_indicators) and delete (can_delete_records).

    Used for indicators and their values: a value is visible when its indicator
    is. Lists are narrowed with visible_indicators by the view.
    """

    message = "Only officers may change indicators and their values."

    def has_permission(self, request, view) -> bool:
        if request.method in SAFE_METHODS:
            return True
        if request.method == "DELETE":
            return can_delete_records(request.user)
        return can_edit_indicators(request.user)

    def has_object_permission(self, request, view, obj) -> bool:
        if request.method in SAFE_METHODS:
            return can_view_indicator(request.user, _indicator_of(obj))
        if request.method == "DELETE":
            return can_delete_records(request.user)
        return can_edit_indicators(request.user)


class CanEditIndicators(BasePermission):
    """Officers only, for every method (can_edit_indicators)."""

    message = "Only officers may set assessments by hand."

    def has_permission(self, request, view) -> bool:
        return can_edit_indicators(request.user)

    def has_object_permission(self, request, view, obj) -> bool:
        return can_edit_indicators(request.user)
