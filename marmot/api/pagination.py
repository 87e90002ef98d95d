from django.db.models import QuerySet
from rest_framework.pagination import PageNumberPagination


class DefaultPagination(PageNumberPagination):
    """50 rows a page by default; `?page_size=` up to 500.

    A list ordered by another table's columns (the actions, by workstream,
    workplan, priority and due date) is paged in two steps: the ids of the
    page's rows, in the list's order, then those rows with everything the list
    joins and prefetches. No index serves such an order, so the database sorts
    every visible row to return 50; sorting only the ids and the ordering
    columns, not every joined column, keeps that sort small (measured in
    bench/README.md)."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500

    def paginate_queryset(self, queryset, request, view=None):
        if not _sorts_across_tables(queryset):
            return super().paginate_queryset(queryset, request, view)
        ids = super().paginate_queryset(
            queryset.values_list("pk", flat=True), request, view
        )
        if ids is None:
            return None
        rows = queryset.in_bulk(ids)
        return [rows[pk] for pk in ids]


def _sorts_across_tables(queryset) -> bool:
    if not isinstance(queryset, QuerySet) or queryset.query.distinct:
        return False
    if queryset.query.is_sliced or queryset._fields is not None:
        return False  # already sliced, or a values() list
    ordering = queryset.query.order_by or queryset.model._meta.ordering or ()
    return any("__" in str(field) for field in ordering)
