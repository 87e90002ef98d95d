"""Forms for a workplan's priorities: adding or renaming one, their order (a
position per priority, all at once), which priority each action is under, and
starting next year's workplan from this one."""

from __future__ import annotations

from django import forms

from marmot.site.forms import GovukForm
from marmot.site.once import OnceFormMixin
from workstreams.forms.common import date_field

NO_PRIORITY = ""
NO_PRIORITY_LABEL = "Not under a priority"


class PriorityForm(OnceFormMixin, GovukForm):
    title = forms.CharField(
        label="Title",
        max_length=200,
        error_messages={
            "required": "Enter the priority's title",
            "max_length": "The title must be 200 characters or fewer",
        },
    )
    description = forms.CharField(
        label="Description (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="What the workstream means to achieve under this priority.",
    )
    row_version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class RemoveForm(GovukForm):
    row_version = forms.IntegerField(widget=forms.HiddenInput, required=False)


def order_form(priorities, data=None, *, row_version=None) -> forms.Form:
    """One box per priority, ``position_<id>``, for its number in the new
    order (1 to n, each once); and the workplan's ``row_version``. Errors
    name the priority they are about."""
    count = len(priorities)
    titles = {priority.pk: priority.title for priority in priorities}

    def clean(self):
        cleaned = GovukForm.clean(self)
        by_position = {}
        for pk in titles:
            position = cleaned.get(f"position_{pk}")
            if position is not None:
                by_position.setdefault(position, []).append(pk)
        for position, pks in sorted(by_position.items()):
            if len(pks) > 1:
                names = " and ".join(f"“{titles[pk]}”" for pk in pks)
                for pk in pks:
                    self.add_error(
                        f"position_{pk}",
                        f"“{titles[pk]}”: {names} are both number {position}; "
                        "give each priority a different number",
                    )
        return cleaned

    fields = {
        "row_version": forms.IntegerField(widget=forms.HiddenInput, required=False)
    }
    for position, priority in enumerate(priorities, start=1):
        message = f"“{priority.title}”: enter a whole number from 1 to {count}"
        fields[f"position_{priority.pk}"] = forms.IntegerField(
            label=f"Position of {priority.title}",
            min_value=1,
            max_value=count,
            initial=position,
            error_messages={
                "required": f"“{priority.title}”: enter its position, "
                f"from 1 to {count}",
                "invalid": message,
                "min_value": message,
                "max_value": message,
            },
            widget=forms.TextInput(
                attrs={"inputmode": "numeric", "autocomplete": "off"}
            ),
        )
    form_class = type("PriorityOrderForm", (GovukForm,), {**fields, "clean": clean})
    return form_class(data, initial={"row_version": row_version})


def order_from(form, priorities) -> list[int]:
    """The priority ids in the order the (valid) form gives."""
    return sorted(
        (priority.pk for priority in priorities),
        key=lambda pk: form.cleaned_data[f"position_{pk}"],
    )


def assign_form(actions, priorities, data=None) -> forms.Form:
    """A select per action, ``priority_<action id>`` (its priority, or none),
    and the action's ``row_version_<action id>``."""
    choices = [(NO_PRIORITY, NO_PRIORITY_LABEL)] + [
        (str(priority.pk), priority.title) for priority in priorities
    ]
    fields = {}
    initial = {}
    for action in actions:
        fields[f"priority_{action.pk}"] = forms.ChoiceField(
            label=f"Priority of {action.title}",
            choices=choices,
            required=False,
            error_messages={
                "invalid_choice": f"“{action.title}”: choose one of this "
                "workplan's priorities, or none"
            },
        )
        fields[f"row_version_{action.pk}"] = forms.IntegerField(
            widget=forms.HiddenInput, required=False
        )
        initial[f"priority_{action.pk}"] = str(action.priority_id or NO_PRIORITY)
        initial[f"row_version_{action.pk}"] = action.row_version
    form_class = type("PriorityAssignForm", (GovukForm,), fields)
    return form_class(data, initial=initial)


class CheckboxesField(forms.TypedMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple


class CarryForwardForm(OnceFormMixin, GovukForm):
    year_label = forms.CharField(
        label="Year",
        max_length=9,
        help_text="As the workplan names it, for example 2025/26.",
        error_messages={
            "required": "Enter the year of the new workplan, for example 2025/26",
            "max_length": "The year must be 9 characters or fewer, for example 2025/26",
        },
        widget=forms.TextInput(attrs={"class": "govuk-input--width-5"}),
    )
    starts_on = date_field("Starts on", "For example, 1 4 2025")
    ends_on = date_field("Ends on", "For example, 31 3 2026")
    actions = CheckboxesField(
        label="Unfinished actions to carry forward",
        coerce=int,
        required=False,
        help_text="Completed, cancelled and archived actions stay in this year's "
        "workplan. A carried action keeps its status, lead, dates and links; its "
        "progress updates stay with this year's action, which it links to.",
        error_messages={"invalid_choice": "Choose actions from the list"},
    )
    priorities = CheckboxesField(
        label="Priorities to carry forward",
        coerce=int,
        required=False,
        help_text="A carried action goes under its priority if that priority is "
        "carried too, otherwise under none.",
        error_messages={"invalid_choice": "Choose priorities from the list"},
    )

    def __init__(self, *args, actions, priorities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["actions"].choices = [
            (action.pk, f"{action.title} ({action.get_status_display().lower()})")
            for action in actions
        ]
        self.fields["priorities"].choices = [
            (priority.pk, priority.title) for priority in priorities
        ]

    def clean(self):
        cleaned = super().clean()
        for name, words in (("starts_on", "start"), ("ends_on", "end")):
            if name in cleaned and cleaned[name] is None:
                self.add_error(name, f"Enter the date the new workplan {words}s")
        starts, ends = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts and ends and ends <= starts:
            self.add_error("ends_on", "The end date must be after the start date")
        return cleaned
