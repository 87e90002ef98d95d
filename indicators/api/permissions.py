"""API permissions for indicators and values: every decision asks workstreams.rules."""

from rest_framework.permissions import SAFE_METHODS, BasePermission

from workstreams import rules


def _indicator_of(obj):
    return getattr(obj, "indicator", obj)


class IndicatorAccess(BasePermission):
    """Read what the user may see (rules.can_view_indicator); officers write
    (rules.can_edit_indicators) and delete (rules.can_delete_records).

    Used for indicators and their values: a value is visible when its indicator
    is. Lists are narrowed with rules.visible_indicators by the view.
    """

    message = "Only officers may change indicators and their values."

    def has_permission(self, request, view) -> bool:
        if request.method in SAFE_METHODS:
            return True
        if request.method == "DELETE":
            return rules.can_delete_records(request.user)
        return rules.can_edit_indicators(request.user)

    def has_object_permission(self, request, view, obj) -> bool:
        if request.method in SAFE_METHODS:
            return rules.can_view_indicator(request.user, _indicator_of(obj))
        if request.method == "DELETE":
            return rules.can_delete_records(request.user)
        return rules.can_edit_indicators(request.user)


class CanEditIndicators(BasePermission):
    """Officers only, for every method (rules.can_edit_indicators)."""

    message = "Only officers may set assessments by hand."

    def has_permission(self, request, view) -> bool:
        return rules.can_edit_indicators(request.user)

    def has_object_permission(self, request, view, obj) -> bool:
        return rules.can_edit_indicators(request.user)
