"""Forms of the output-KPI pages (ADR 32): a KPI, retiring it, the "Record
values" grid, the targets of a year, returning and reopening an entry.

They only read what was typed; every rule (whole counts, periods, links to
the workstream's logic model, tolerances) is the services' (`services.kpis`),
whose ValidationErrors the views show on these forms."""

from __future__ import annotations

from django import forms

from indicators.models import Indicator
from marmot.site.forms import GovukForm
from marmot.site.once import OnceFormMixin
from workstreams.forms.common import LabelledModelMultipleChoiceField, date_field
from workstreams.models import LogicModel

CONFLICT = (
    "Someone else changed this KPI since you opened it. Their changes are "
    "shown below; make your changes again."
)
VALUE_TYPES = [
    (Indicator.ValueType.COUNT, "A count (whole numbers: people, businesses)"),
    (Indicator.ValueType.PROPORTION, "A percentage"),
    (Indicator.ValueType.MEAN, "Another figure (a score, an average)"),
]


def item_label(item) -> str:
    if item.logic_model.status == LogicModel.Status.CURRENT:
        return item.text
    return f"{item.text} (logic model version {item.logic_model.version})"


class KpiForm(OnceFormMixin, GovukForm):
    """Add or edit a KPI: its measure and what it counts."""

    name = forms.CharField(
        label="Name",
        max_length=300,
        help_text="What is counted, for example “People enrolling on the "
        "Passport to Entrepreneurship programme”.",
        error_messages={
            "required": "Enter the KPI's name",
            "max_length": "The name must be 300 characters or fewer",
        },
    )
    unit = forms.CharField(
        label="Unit",
        max_length=50,
        required=False,
        help_text="For example people, organisations, businesses, %.",
        error_messages={"max_length": "The unit must be 50 characters or fewer"},
    )
    value_type = forms.ChoiceField(
        label="Kind of figure",
        choices=VALUE_TYPES,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select the kind of figure",
            "invalid_choice": "Select a kind of figure from the list",
        },
    )
    update_frequency = forms.ChoiceField(
        label="How often it is reported",
        choices=[c for c in Indicator.Frequency.choices if c[0] != "irregular"],
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select how often it is reported",
            "invalid_choice": "Select a frequency from the list",
        },
    )
    polarity = forms.ChoiceField(
        label="Which way is good",
        choices=Indicator.Polarity.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select which way is good",
            "invalid_choice": "Select a choice from the list",
        },
    )
    year_to_date = forms.ChoiceField(
        label="Year to date",
        choices=[("", "As the kind of figure says"), *Indicator.YearToDate.choices],
        widget=forms.RadioSelect,
        required=False,
        help_text="A count is entered per period and summed for the year to date; "
        "a percentage takes the latest period.",
        error_messages={"invalid_choice": "Select a choice from the list"},
    )
    values_expected_from = date_field(
        "Values expected from",
        "Periods from this date with no value are shown as overdue. "
        "For example, 1 4 2025",
    )
    definition = forms.CharField(
        label="Definition",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="What counts and what does not.",
    )
    source = forms.CharField(
        label="Data source",
        max_length=300,
        required=False,
        help_text="Where the figures come from.",
        error_messages={"max_length": "The source must be 300 characters or fewer"},
    )
    output = forms.ModelChoiceField(
        queryset=None,
        required=False,
        empty_label="None",
        label="Logic model output it counts",
        error_messages={"invalid_choice": "Select an output from the list"},
    )
    activities = LabelledModelMultipleChoiceField(
        queryset=None,
        required=False,
        label="Logic model activities it counts",
        widget=forms.CheckboxSelectMultiple,
        label_for=item_label,
        error_messages={"invalid_choice": "Select activities from the list"},
    )
    reporting_organisation = forms.ModelChoiceField(
        queryset=None,
        required=False,
        empty_label="None: the chairs record it",
        label="Reporting organisation",
        widget=forms.Select(attrs={"data-marmot-autocomplete": ""}),
        help_text="Its partners record the values; the chairs approve them. Leave "
        "it empty if the chairs record them.",
        error_messages={"invalid_choice": "Select an organisation from the list"},
    )
    row_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    SERVICE_FIELDS = (
        "name",
        "unit",
        "value_type",
        "update_frequency",
        "polarity",
        "year_to_date",
        "values_expected_from",
        "definition",
        "source",
        "output",
        "activities",
        "reporting_organisation",
    )

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        for name, queryset in choices.items():
            self.fields[name].queryset = queryset
        self.fields["output"].label_from_instance = item_label

    def service_values(self) -> dict:
        values = {name: self.cleaned_data[name] for name in self.SERVICE_FIELDS}
        if not values["year_to_date"]:
            values["year_to_date"] = (
                Indicator.YearToDate.SUM
                if values["value_type"] == Indicator.ValueType.COUNT
                else Indicator.YearToDate.LATEST
            )
        return values

    @staticmethod
    def initial_for(kpi) -> dict:
        indicator = kpi.indicator
        return {
            "name": indicator.name,
            "unit": indicator.unit,
            "value_type": indicator.value_type,
            "update_frequency": indicator.update_frequency,
            "polarity": indicator.polarity,
            "year_to_date": indicator.year_to_date,
            "values_expected_from": indicator.values_expected_from,
            "definition": indicator.definition,
            "source": indicator.source,
            "output": kpi.output_id,
            "activities": [a.pk for a in kpi.activities.all()],
            "reporting_organisation": kpi.reporting_organisation_id,
            "row_version": kpi.row_version,
        }

    @staticmethod
    def data_for(kpi) -> dict:
        """The KPI's saved values as if just posted (after a conflict)."""
        data = {}
        for name, value in KpiForm.initial_for(kpi).items():
            if name == "values_expected_from":
                if value:
                    data.update(
                        {
                            f"{name}_day": str(value.day),
                            f"{name}_month": str(value.month),
                            f"{name}_year": str(value.year),
                        }
                    )
            elif isinstance(value, list):
                data[name] = [str(pk) for pk in value]
            else:
                data[name] = "" if value is None else str(value)
        return data


class RetireForm(GovukForm):
    retired_on = date_field(
        "Retired from",
        "No value is taken for periods starting on or after this "
        "date. For example, 1 4 2027",
    )
    reason = forms.CharField(
        label="Why it is retired",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Say why the KPI is retired"},
    )

    def clean_retired_on(self):
        day = self.cleaned_data.get("retired_on")
        if day is None:
            raise forms.ValidationError("Enter the date it is retired from")
        return day


class ReasonForm(GovukForm):
    """A reason, for returning a partner's value or reopening an approved one."""

    reason = forms.CharField(
        label="Reason",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter a reason"},
    )
    row_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, label="Reason", required_message="Enter a reason",
                 **kwargs):  # fmt: skip
        super().__init__(*args, **kwargs)
        self.fields["reason"].label = label
        self.fields["reason"].error_messages["required"] = required_message


def grid_form(rows, data=None) -> forms.Form:
    """The "Record values" grid: for each editable row a value, a note, an
    evidence link and a correction reason, named ``value_<kpi id>`` …, and the
    entry's row version (a value changed by someone else is refused). The
    value box starts with the entry's value only where ``row.prefill``."""
    fields = {}
    for row in rows:
        if row.locked:
            continue
        name = row.kpi.indicator.name
        pk = row.kpi.pk
        fields[f"value_{pk}"] = forms.CharField(
            label=f"Value of {name}", required=False, max_length=40
        )
        fields[f"note_{pk}"] = forms.CharField(
            label=f"Note on {name}",
            required=False,
            widget=forms.Textarea(attrs={"rows": 2}),
        )
        fields[f"evidence_url_{pk}"] = forms.CharField(
            label=f"Link to evidence for {name}", required=False, max_length=500
        )
        fields[f"reason_{pk}"] = forms.CharField(
            label=f"Reason for correcting {name}", required=False
        )
        fields[f"row_version_{pk}"] = forms.IntegerField(
            widget=forms.HiddenInput, required=False
        )
    form_class = type("KpiGridForm", (GovukForm,), fields)
    initial = {}
    for row in rows:
        entry = row.entry
        if entry is not None and not row.locked:
            pk = row.kpi.pk
            if row.prefill:
                initial[f"value_{pk}"] = f"{entry.value:g}"
            initial.update(
                {
                    f"note_{pk}": entry.note,
                    f"evidence_url_{pk}": entry.evidence_url,
                    f"row_version_{pk}": entry.row_version,
                }
            )
    return form_class(data, initial=initial)


def targets_form(kpis, targets, year_label: str, data=None) -> forms.Form:
    """Each KPI's annual target and tolerance (%), and for a quarterly KPI
    its quarters' targets, named ``target_<kpi id>``, ``tolerance_<kpi id>``,
    ``q1_<kpi id>`` …"""
    fields = {}
    initial = {}
    for kpi in kpis:
        name = kpi.indicator.name
        pk = kpi.pk
        own = targets.get(kpi.indicator_id, {})
        fields[f"target_{pk}"] = forms.CharField(
            label=f"Annual target for {name}", required=False, max_length=40
        )
        fields[f"tolerance_{pk}"] = forms.CharField(
            label=f"Tolerance for {name} (%)", required=False, max_length=40
        )
        annual = own.get(year_label)
        if annual is not None:
            initial[f"target_{pk}"] = f"{annual.value:g}"
            initial[f"tolerance_{pk}"] = f"{annual.amber_tolerance:g}"
        if kpi.indicator.update_frequency == Indicator.Frequency.QUARTERLY:
            for q in range(1, 5):
                fields[f"q{q}_{pk}"] = forms.CharField(
                    label=f"Quarter {q} target for {name}",
                    required=False,
                    max_length=40,
                )
                quarter = own.get(f"{year_label} Q{q}")
                if quarter is not None:
                    initial[f"q{q}_{pk}"] = f"{quarter.value:g}"
    form_class = type("KpiTargetsForm", (GovukForm,), fields)
    return form_class(data, initial=initial)
