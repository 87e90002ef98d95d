"""Admin forms and display helpers for the indicators app."""

from django import forms

from indicators import formatting
from indicators.models import Area, IndicatorValue, Method
from indicators.models.values import FIGURE_FIELDS
from marmot.admin_helpers import EMPTY

MANUAL_NEEDS_REASON = "Say why: a judgement set by hand needs a reason."


def format_measure(number: float | None, indicator) -> str:
    """A number with the indicator's display decimals and unit, e.g. 40.0%."""
    return formatting.indicator_value(number, indicator, blank=EMPTY)


def format_interval(lower: float | None, upper: float | None, indicator) -> str:
    return formatting.format_interval(lower, upper, indicator) or EMPTY


def breakdown_label(value: IndicatorValue) -> str:
    parts = []
    if value.category_type:
        parts.append(f"{value.category_type}: {value.category}")
    if value.sex:
        parts.append(value.sex)
    if value.age:
        parts.append(value.age)
    return "; ".join(parts) or "Whole population"


class ManualJudgementForm(forms.ModelForm):
    """For assessments and trends: one set by hand must give a reason.

    The model's check constraint would otherwise surface as a bare "constraint
    violated" message (or an IntegrityError from an inline).
    """

    def clean(self):
        cleaned_data = super().clean()
        reason = (cleaned_data.get("reason") or "").strip()
        if cleaned_data.get("method") == Method.MANUAL and not reason:
            self.add_error("reason", MANUAL_NEEDS_REASON)
        return cleaned_data


class AreaForm(forms.ModelForm):
    def clean(self):
        cleaned_data = super().clean()
        members = cleaned_data.get("members")
        area_type = cleaned_data.get("area_type")
        if (
            area_type
            and area_type != Area.Type.COMPARATOR_GROUP
            and members
            and members.exists()
        ):
            self.add_error("members", "Only a comparator group has member areas.")
        return cleaned_data


#: The value's figures; changing one by hand makes it "as published".
FIGURES = set(FIGURE_FIELDS)


class IndicatorValueForm(forms.ModelForm):
    """Turn the model's interval and breakdown constraints into field errors."""

    def clean(self):
        data = super().clean()
        for lower, upper in (("lower95", "upper95"), ("lower998", "upper998")):
            low, high = data.get(lower), data.get(upper)
            if low is not None and high is not None and low > high:
                self.add_error(lower, "The lower limit is above the upper limit.")
        value, low, high = data.get("value"), data.get("lower95"), data.get("upper95")
        if None not in (value, low, high) and low <= high and not low <= value <= high:
            self.add_error("value", "The value lies outside its 95% interval.")
        if data.get("count") is not None and data["count"] < 0:
            self.add_error("count", "A count cannot be negative.")
        if data.get("denominator") is not None and data["denominator"] <= 0:
            self.add_error("denominator", "A denominator must be above zero.")
        if data.get("category") and not data.get("category_type"):
            self.add_error("category_type", "Give the breakdown type of a category.")
        if set(self.changed_data) & FIGURES:
            # Figures typed in are as published: no longer the calculation's.
            self.instance.method = IndicatorValue.Method.PUBLISHED
        return data
