"""GOV.UK Design System markup for Django forms.

Forms that mix in `GovukFormMixin` render every field as a GOV.UK form group:
label (or fieldset legend), hint, error message and the input with the GOV.UK
classes, with ``aria-describedby`` pointing at the hint and the error. Dates are
the GOV.UK date input (day, month, year). Templates live in ``templates/govuk/``.
"""

from __future__ import annotations

import datetime as dt

from django import forms
from django.forms.boundfield import BoundField

from marmot.whole_numbers import whole_number

WIDGET_CLASSES = {
    "textarea": "govuk-textarea",
    "select": "govuk-select",
    "file": "govuk-file-upload",
    "input": "govuk-input",
}
ERROR_CLASSES = {
    "textarea": "govuk-textarea--error",
    "select": "govuk-select--error",
    "file": "govuk-file-upload--error",
    "input": "govuk-input--error",
}


def govuk_kind(widget: forms.Widget) -> str:
    """Which GOV.UK component renders this widget."""
    if isinstance(widget, GovukDateInput):
        return "date"
    if isinstance(widget, forms.HiddenInput):
        return "hidden"
    if isinstance(widget, forms.CheckboxSelectMultiple):
        return "checkboxes"
    if isinstance(widget, forms.RadioSelect):
        return "radios"
    if isinstance(widget, forms.CheckboxInput):
        return "checkbox"
    if isinstance(widget, forms.Textarea):
        return "textarea"
    if isinstance(widget, forms.Select):
        return "select"
    if isinstance(widget, forms.ClearableFileInput | forms.FileInput):
        return "file"
    return "input"


class GovukDateInput(forms.MultiWidget):
    """The GOV.UK date input: three boxes, read back as ``YYYY-MM-DD``."""

    template_name = "govuk/widgets/date_input.html"
    use_fieldset = True

    def id_for_label(self, id_):
        return f"{id_}_day" if id_ else id_

    parts = (("day", "Day", 2), ("month", "Month", 2), ("year", "Year", 4))

    def __init__(self, attrs=None):
        widgets = {
            name: forms.TextInput(
                attrs={
                    "class": "govuk-input govuk-date-input__input "
                    f"govuk-input--width-{width}",
                    "inputmode": "numeric",
                }
            )
            for name, _label, width in self.parts
        }
        super().__init__(widgets, attrs)

    def decompress(self, value):
        if isinstance(value, str):  # as typed, even when not a real date
            year, _, rest = value.partition("-")
            month, _, day = rest.partition("-")
            return [day.lstrip("0") or day, month.lstrip("0") or month, year]
        if isinstance(value, dt.date):
            return [value.day, value.month, value.year]
        return [None, None, None]

    def value_from_datadict(self, data, files, name):
        day, month, year = (
            (data.get(f"{name}_{part}") or "").strip() for part, _l, _w in self.parts
        )
        if not (day or month or year):
            return None
        numbers = [whole_number(part, max_digits=4) for part in (year, month, day)]
        if None in numbers:
            return f"{year}-{month}-{day}"  # the field reports "Enter a real date"
        year_number, month_number, day_number = numbers
        return f"{year_number:04d}-{month_number:02d}-{day_number:02d}"

    def value_omitted_from_data(self, data, files, name):
        return not any(f"{name}_{part}" in data for part, _l, _w in self.parts)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        labels = {part: label for part, label, _w in self.parts}
        for subwidget in context["widget"]["subwidgets"]:
            part = subwidget["name"].rsplit("_", 1)[-1]
            subwidget["govuk_label"] = labels[part]
            if attrs and attrs.get("id"):  # id_due_day, not id_due_0
                subwidget["attrs"]["id"] = f"{attrs['id']}_{part}"
        return context


class GovukDateField(forms.DateField):
    """A date read from the GOV.UK date input, with GOV.UK error messages."""

    widget = GovukDateInput
    input_formats = ["%Y-%m-%d"]
    default_error_messages = {
        "invalid": "Enter a real date, for example 27 3 2026",
    }


class GovukBoundField(BoundField):
    """Adds the GOV.UK classes and ``aria-describedby`` to each input."""

    @property
    def govuk_kind(self) -> str:
        return govuk_kind(self.field.widget)

    @property
    def hint_id(self) -> str:
        return f"{self.auto_id}-hint"

    @property
    def error_id(self) -> str:
        return f"{self.auto_id}-error"

    @property
    def described_by(self) -> str:
        ids = []
        if self.help_text:
            ids.append(self.hint_id)
        if self.errors:
            ids.append(self.error_id)
        return " ".join(ids)

    @property
    def error_anchor(self) -> str:
        """The id the error summary links to: the first input of the field."""
        if self.govuk_kind == "date":
            return f"{self.auto_id}_day"
        if self.govuk_kind in ("radios", "checkboxes"):
            return f"{self.auto_id}_0"
        return self.auto_id

    def build_widget_attrs(self, attrs, widget=None):
        attrs = super().build_widget_attrs(attrs, widget)
        widget = widget or self.field.widget
        kind = govuk_kind(widget)
        attrs.pop("aria-describedby", None)
        if kind in WIDGET_CLASSES:
            classes = [attrs.get("class", ""), WIDGET_CLASSES[kind]]
            if self.errors:
                classes.append(ERROR_CLASSES[kind])
            attrs["class"] = " ".join(c for c in classes if c).strip()
            if self.described_by:
                attrs["aria-describedby"] = self.described_by
        if kind == "date" and self.errors:
            attrs["govuk_error"] = True  # read by govuk/widgets/date_input.html
        if kind == "checkbox":
            attrs["class"] = "govuk-checkboxes__input"
            if self.described_by:
                attrs["aria-describedby"] = self.described_by
        return attrs


class GovukFormMixin:
    """Render a Django form with GOV.UK markup (see the module docstring)."""

    bound_field_class = GovukBoundField
    template_name = "govuk/forms/form.html"

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.template_name = "govuk/forms/field.html"
            if isinstance(field, forms.DateField) and not isinstance(
                field.widget, GovukDateInput
            ):
                field.widget = GovukDateInput()
                field.input_formats = ["%Y-%m-%d", *(field.input_formats or [])]
                field.error_messages["invalid"] = GovukDateField.default_error_messages[
                    "invalid"
                ]


class GovukForm(GovukFormMixin, forms.Form):
    pass


class GovukModelForm(GovukFormMixin, forms.ModelForm):
    pass
