"""Helpers shared by the officer admin of the workstreams and indicators apps."""

from collections.abc import Callable

from django import forms
from django.contrib.admin import helpers
from django.db.models import F, Func, IntegerField, OuterRef, Subquery
from django.template.response import TemplateResponse
from django.utils.text import Truncator
from simple_history.admin import SimpleHistoryAdmin

EMPTY = "—"


class HistoryAdmin(SimpleHistoryAdmin):
    """Every officer admin with history. Its history list is ours, in words
    (templates/simple_history/object_history_list.html, ADR 37), and does not
    show simple-history's own field-by-field diffs, so they are not computed
    (for a model with lists of links, several queries per row, unseen)."""

    def set_history_delta_changes(self, request, historical_records, **kwargs):
        return None


def subquery_count(model, field: str, **filters) -> Subquery:
    """Count the rows of ``model`` whose ``field`` is the outer row.

    A correlated ``COUNT`` subquery rather than ``Count()``: several of these on
    one queryset do not multiply each other's joins, and the changelist stays
    one query however many rows it shows.
    """
    rows = (
        model._default_manager.filter(**{field: OuterRef("pk")}, **filters)
        .order_by()
        .annotate(n=Func(F("pk"), function="COUNT"))
        .values("n")
    )
    return Subquery(rows, output_field=IntegerField())


def truncate(text: str, chars: int = 80) -> str:
    return Truncator(text or "").chars(chars) or EMPTY


def names(objects) -> str:
    """Comma-separated ``str()`` of prefetched objects, or a dash."""
    return ", ".join(str(obj) for obj in objects) or EMPTY


class ReadableLabelsMixin:
    """Relabel form fields whose model verbose names read poorly to officers."""

    field_labels: dict[str, str] = {}

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if formfield is not None and db_field.name in self.field_labels:
            formfield.label = self.field_labels[db_field.name]
        return formfield


class RowVersionAdminMixin:
    """Bump ``row_version`` (the API's ETag) when the admin changes a row.

    The services bump it on every change; the admin is one more entry point, and
    an unchanged version would let an API client overwrite an officer's edit.
    ``form.has_changed()`` covers many-to-many fields too.
    """

    def save_model(self, request, obj, form, change):
        if change and form.has_changed():
            obj.row_version += 1
        super().save_model(request, obj, form, change)


class CompactTextareasMixin:
    """For admin forms: shorter text areas, as ``textarea_rows = {name: rows}``.

    Admin forms here have no ``Meta``: the admin supplies the model and fields.
    """

    textarea_rows: dict[str, int] = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, rows in self.textarea_rows.items():
            if name in self.fields:
                self.fields[name].widget.attrs["rows"] = rows


def action_with_reason(
    modeladmin,
    request,
    queryset,
    *,
    apply: Callable[[str], None],
    title: str,
    template: str,
    form_class: type[forms.Form],
):
    """A list action that asks for a reason first: the reason page (``template``,
    with ``form_class``'s ``reason``), then, once it is given, ``apply(reason)``
    on the same selection (the page posts the action back with ``apply``)."""
    form = form_class(request.POST if "apply" in request.POST else None)
    if form.is_valid():
        apply(form.cleaned_data["reason"])
        return None
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": title,
        "opts": modeladmin.model._meta,
        "queryset": queryset,
        "form": form,
        "action": request.POST.get("action"),
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
    }
    return TemplateResponse(request, template, context)
