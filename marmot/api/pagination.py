"""Page-number paging for every API list: strict parameters, ``Link`` headers.

``?page_size=`` is a whole number from 1 to ``MAX_PAGE_SIZE``; anything else
(``0``, ``-1``, ``abc``, ``501``) is a 400 naming the range (DRF's own paginator
gave 50 rows, or capped at the maximum, without saying so). ``?page=`` is a
whole number from 1 (or ``last``): anything else is a 400; a page past the last
is a 404 naming the last page (ADR 0041). Every paged response carries an RFC
8288 ``Link`` header (``first``, ``prev``, ``next``, ``last`` as present),
beside the body's ``next`` and ``previous``.
"""

from django.db.models import QuerySet
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.utils.urls import remove_query_param, replace_query_param

from marmot.whole_numbers import whole_number

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 500


class DefaultPagination(PageNumberPagination):
    """50 rows a page by default; `?page_size=` up to 500.

    A list ordered by another table's columns (the actions, by workstream,
    workplan, priority and due date) is paged in two steps: the ids of the
    page's rows, in the list's order, then those rows with everything the list
    joins and prefetches. No index serves such an order, so the database sorts
    every visible row to return 50; sorting only the ids and the ordering
    columns, not every joined column, keeps that sort small (measured in
    bench/README.md)."""

    page_size = DEFAULT_PAGE_SIZE
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE
    page_query_description = (
        "A page number: a whole number from 1 (or `last`); the default is 1. "
        "Anything else is a 400; a page past the last is a 404 naming the last "
        "page. The `Link` header and the body's `next`/`previous` give the "
        "neighbouring pages."
    )
    page_size_query_description = (
        f"Rows per page: a whole number from 1 to {MAX_PAGE_SIZE} (the maximum); "
        f"the default is {DEFAULT_PAGE_SIZE}. Anything else is a 400 naming "
        "this range."
    )

    def get_page_size(self, request):
        text = request.query_params.get(self.page_size_query_param)
        if text is None or text == "":
            return self.page_size
        size = whole_number(text)
        if size is None or not 1 <= size <= self.max_page_size:
            raise ValidationError(
                {
                    self.page_size_query_param: [
                        f"Give a whole number from 1 to {self.max_page_size} "
                        f"(the default is {self.page_size})."
                    ]
                }
            )
        return size

    def get_page_number(self, request, paginator):
        text = request.query_params.get(self.page_query_param)
        if text is None or text == "":
            return 1
        if text in self.last_page_strings:
            return paginator.num_pages
        number = whole_number(text)
        if number is None or number < 1:
            raise ValidationError(
                {self.page_query_param: ["Give a whole number from 1, or last."]}
            )
        if number > paginator.num_pages:
            raise NotFound(
                f"Page {number} does not exist: the last page is {paginator.num_pages}."
            )
        return number

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

    def get_paginated_response(self, data):
        response = super().get_paginated_response(data)
        links = self.get_links()
        if links:
            response["Link"] = ", ".join(
                f'<{url}>; rel="{rel}"' for rel, url in links.items()
            )
        return response

    def get_links(self) -> dict[str, str]:
        """RFC 8288 relations to this page's neighbours: first, prev, next,
        last (the ones this page has)."""
        url = self.request.build_absolute_uri()
        last = self.page.paginator.num_pages
        links = {}
        if self.page.number > 1:
            links["first"] = remove_query_param(url, self.page_query_param)
            links["prev"] = self.get_previous_link()
        if self.page.has_next():
            links["next"] = self.get_next_link()
            links["last"] = replace_query_param(url, self.page_query_param, last)
        return links


def _sorts_across_tables(queryset) -> bool:
    if not isinstance(queryset, QuerySet) or queryset.query.distinct:
        return False
    if queryset.query.is_sliced or queryset._fields is not None:
        return False  # already sliced, or a values() list
    ordering = queryset.query.order_by or queryset.model._meta.ordering or ()
    return any("__" in str(field) for field in ordering)
