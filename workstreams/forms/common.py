"""What the site's forms share: service errors shown on a form, labelled
checkboxes, and the GOV.UK date input."""

from __future__ import annotations

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

from marmot.site.forms import GovukDateField, GovukDateInput


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: each message on its field
    when the form has that field, otherwise at the top of the error summary."""
    if not hasattr(error, "error_dict"):
        for message in error.messages:
            form.add_error(None, message)
        return
    for name, errors in error.error_dict.items():
        target = name if name in form.fields and name != NON_FIELD_ERRORS else None
        for item in errors:
            for message in item.messages:
                form.add_error(target, message)


class LabelledModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Checkboxes labelled by a function of the row."""

    def __init__(self, *args, label_for=str, **kwargs):
        self.label_for = label_for
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj):
        return self.label_for(obj)


def recommendation_label(recommendation) -> str:
    source = recommendation.source_title or recommendation.get_source_display()
    return f"{source}, recommendation {recommendation.number}: {recommendation.text}"


class DateInput(GovukDateInput):
    """The GOV.UK date input with its boxes id'd ``<id>_day``, ``_month`` and
    ``_year``: the ids the error summary links to (``error_anchor``). Django
    numbers a MultiWidget's boxes ``_0``, ``_1``, ``_2``, which no link found."""

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        base = context["widget"]["attrs"].get("id")
        for subwidget in context["widget"]["subwidgets"] if base else ():
            part = subwidget["name"].rsplit("_", 1)[-1]
            subwidget["attrs"]["id"] = f"{base}_{part}"
        return context

    def id_for_label(self, id_):
        return f"{id_}_day" if id_ else id_


def date_field(label: str, hint: str) -> GovukDateField:
    """An optional GOV.UK date (whether it is needed is the form's or the
    service's rule, with its own message)."""
    return GovukDateField(label=label, help_text=hint, required=False, widget=DateInput)
