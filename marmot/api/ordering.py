"""``?ordering=`` with a last tie-breaker, so pages are stable.

DRF's OrderingFilter orders by exactly the fields asked for. When rows tie
(``?ordering=due_date``: many actions share a due date) the database may return
tied rows in any order on each query, so paging through a list could show a row
twice and skip another. Adding the primary key last makes the order total.
"""

from rest_framework.filters import OrderingFilter


class StableOrderingFilter(OrderingFilter):
    def get_ordering(self, request, queryset, view):
        ordering = super().get_ordering(request, queryset, view)
        if not ordering or any(f.lstrip("-") in ("pk", "id") for f in ordering):
            return ordering
        return [*ordering, "pk"]
