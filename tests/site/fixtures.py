"""Helpers for the Django admin tests of every app (no tests here): admin
URLs, the registered models, a changelist's query count, and the POST an
unchanged add or change page would send."""

from django.apps import apps
from django.db import connection
from django.forms import CheckboxInput
from django.test.utils import CaptureQueriesContext
from django.urls import reverse


def admin_url(model, view: str, *args) -> str:
    opts = model._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=args)


def registered_models(app_label: str) -> set:
    """The app's concrete models, without django-simple-history's copies."""
    return {
        model
        for model in apps.get_app_config(app_label).get_models()
        if not model.__name__.startswith("Historical")
    }


def changelist_queries(client, model) -> tuple[int, int]:
    """(SQL queries, rows listed) for one GET of a model's changelist."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(admin_url(model, "changelist"))
    assert response.status_code == 200
    changelist = response.context["cl"]
    assert changelist.result_count == model._default_manager.count()
    assert changelist.result_count <= changelist.list_per_page  # one page
    return len(queries), changelist.result_count


def assert_changelist_queries_constant(client, model, build, small, large):
    """Build ``small`` rows, then ``large``; the changelist query count is equal.

    Returns both counts. A warm-up request first keeps one-off per-process
    caches (content types and the like) out of the comparison.
    """
    build(small)
    client.get(admin_url(model, "changelist"))
    small_queries, small_rows = changelist_queries(client, model)
    build(large - small)
    large_queries, large_rows = changelist_queries(client, model)
    assert large_rows >= small_rows + (large - small)
    assert large_queries == small_queries, (
        f"{model.__name__}: {small_queries} queries for {small_rows} rows but "
        f"{large_queries} for {large_rows}"
    )
    return small_queries, large_queries


def inline_formset(response, model):
    """The formset of the inline for ``model`` on an admin add or change page."""
    return next(
        inline.formset
        for inline in response.context["inline_admin_formsets"]
        if inline.formset.model is model
    )


def admin_form_data(response) -> dict:
    """What submitting an admin add or change page unchanged would POST."""
    forms = [response.context["adminform"].form]
    data = {}
    for inline_admin_formset in response.context["inline_admin_formsets"]:
        formset = inline_admin_formset.formset
        management = formset.management_form
        for name in management.fields:
            data[management.add_prefix(name)] = management[name].value()
        forms.extend(formset.forms)
    for form in forms:
        for name, field in form.fields.items():
            value = form[name].value()
            key = form.add_prefix(name)
            if isinstance(field.widget, CheckboxInput):
                if value:
                    data[key] = "on"
            elif isinstance(value, list | tuple):
                data[key] = [str(item) for item in value]
            elif value is not None:
                data[key] = str(value)
    return data
