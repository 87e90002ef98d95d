"""Who may read and write indicators, values, targets and imports.

The same shape as `workstreams.rules`: each rule takes a user and answers from
their `marmot.principals.Principal`, computed once per user object.
"""

from django.db.models import QuerySet

from marmot.principals import principal_for


def sees_unpublished_indicators(user) -> bool:
    """Officers, the oversight group and chairs see indicators not yet
    published; everyone else sees the published ones only."""
    p = principal_for(user)
    return bool(p.reads_everything or p.chaired_workstream_ids)


def can_view_indicator(user, indicator) -> bool:
    return indicator.is_published or sees_unpublished_indicators(user)


def visible_indicators(user, queryset: QuerySet, prefix: str = "") -> QuerySet:
    if sees_unpublished_indicators(user):
        return queryset
    return queryset.filter(**{f"{prefix}is_published": True})


def can_edit_indicators(user) -> bool:
    """Indicators, values, targets and imports are officers' work."""
    return principal_for(user).officer
