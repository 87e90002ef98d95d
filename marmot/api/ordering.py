"""``?ordering=``: an enum per list, named like the response's fields; a last
tie-breaker, so pages are stable (ADR 0041).

A view names what its rows may be ordered by in ``ordering_fields``: a list of
names that are both a response field and a model field, or a dict from the
response field's name to the model field it orders by
(``{"period_sort_key": "period__sort_key"}``). ``?ordering=a,-b``: comma
separated, ``-`` for descending. Any other value is a 400 in the error envelope
naming every accepted value (DRF's own filter dropped unknown names silently,
so ``?ordering=period_sort_key``, the response's own field name, was ignored).

When rows tie (``?ordering=due_date``: many actions share a due date) the
database may return tied rows in any order on each query, so paging through a
list could show a row twice and skip another. Adding the primary key last
makes the order total.
"""

from rest_framework.exceptions import ValidationError
from rest_framework.filters import OrderingFilter


def ordering_map(view) -> dict[str, str]:
    """Public name -> model field, for ``view``'s ``ordering_fields``."""
    fields = getattr(view, "ordering_fields", None) or {}
    if isinstance(fields, dict):
        return dict(fields)
    return {name: name for name in fields}


def ordering_values(view) -> list[str]:
    """Every accepted ``?ordering=`` term: each name, then its descending."""
    return [term for name in ordering_map(view) for term in (name, f"-{name}")]


class StableOrderingFilter(OrderingFilter):
    def get_valid_fields(self, queryset, view, context=None):
        # (value, label) pairs for the browsable API's ordering menu.
        return [(name, name.replace("_", " ")) for name in ordering_map(view)]

    def get_ordering(self, request, queryset, view):
        terms = [
            term.strip()
            for value in request.query_params.getlist(self.ordering_param)
            for term in value.split(",")
        ]
        terms = [term for term in terms if term]
        if not terms:
            ordering = self.get_default_ordering(view)
        else:
            ordering = self.model_ordering(terms, view)
        if not ordering or any(f.lstrip("-") in ("pk", "id") for f in ordering):
            return ordering
        return [*ordering, "pk"]

    def model_ordering(self, terms: list[str], view) -> list[str]:
        """The model ordering for public ``terms``; a 400 for any unknown."""
        fields = ordering_map(view)
        unknown = [t for t in terms if t.removeprefix("-") not in fields]
        if unknown:
            accepted = ", ".join(ordering_values(view)) or "none (no ordering)"
            raise ValidationError(
                {
                    self.ordering_param: [
                        f"Unknown ordering {', '.join(repr(t) for t in unknown)}: "
                        f"accepted: {accepted} (comma separated for several)."
                    ]
                }
            )
        return [
            ("-" if term.startswith("-") else "") + fields[term.removeprefix("-")]
            for term in terms
        ]

    def get_schema_operation_parameters(self, view):
        values = ordering_values(view)
        if not values:
            return []
        return [
            {
                "name": self.ordering_param,
                "required": False,
                "in": "query",
                "description": "Order the rows by one of these fields; `-` in "
                "front for descending, several comma separated "
                f"(`{values[0]},{values[-1]}`). Ties fall back to the row's id. "
                "Any other value is a 400 naming the accepted ones.",
                "schema": {"type": "string", "enum": values},
            }
        ]
