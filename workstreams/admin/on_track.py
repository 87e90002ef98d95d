"""The workstream admin's "Is it on track?" section (ADR 19): the rule's
judgement, and the override, set or cleared through the same services as the
site's form (`services.workstream_on_track_set` / `_clear`)."""

from django import forms
from django.core.exceptions import ValidationError

from workstreams import services
from workstreams.on_track import Judgement
from workstreams.page_selectors.on_track import on_track_judgement
from workstreams.services.on_track import REASON_MAX, workstream_on_track_check

FIELDS = ("override_judgement", "override_reason")
ERROR_FIELDS = {"judgement": "override_judgement", "reason": "override_reason"}
READONLY = ["on_track_rule_said", "on_track_set_by", "on_track_set_at"]
FIELDSET = ("Is it on track?", {"fields": [*FIELDS, *READONLY]})


class OnTrackAdminForm(forms.ModelForm):
    override_judgement = forms.ChoiceField(
        label="Override the rule's judgement",
        choices=[("", "No override: the rule decides"), *Judgement.choices],
        required=False,
    )
    override_reason = forms.CharField(
        label="Reason for the override",
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        max_length=REASON_MAX,
        required=False,
        help_text="Shown next to the judgement, with who set it and when.",
    )
    user = None  # set by `OnTrackAdminMixin.get_form`

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        instance = self.instance
        if instance.pk is None:
            self.fields["override_judgement"].disabled = True
            self.fields["override_reason"].disabled = True
            self.fields[
                "override_judgement"
            ].help_text = "Save the workstream first: there is nothing to judge yet."
            return
        self.initial.setdefault("override_judgement", instance.on_track_override)
        self.initial.setdefault("override_reason", instance.on_track_reason)
        on_track, workplan = on_track_judgement(user=self.user, workstream=instance)
        computed = on_track.computed
        year = f"the {workplan.year_label} workplan" if workplan else "it"
        self.fields["override_judgement"].help_text = (
            f"The rule judges {year} “{computed.label}”: {computed.reason}."
            + (
                " The override shown here no longer applies: the rule has changed "
                "its judgement since."
                if on_track.override and not on_track.override.applies
                else ""
            )
        )

    def override_changed(self) -> bool:
        return bool(set(FIELDS) & set(self.changed_data))

    def clean(self):
        cleaned = super().clean()
        judgement = cleaned.get("override_judgement")
        if self.instance.pk is None or not self.override_changed() or not judgement:
            return cleaned
        try:
            workstream_on_track_check(
                workstream=self.instance,
                user=self.user,
                judgement=judgement,
                reason=cleaned.get("override_reason", ""),
            )
        except ValidationError as error:
            if not hasattr(error, "error_dict"):
                raise
            for name, errors in error.error_dict.items():
                for item in errors:
                    self.add_error(ERROR_FIELDS.get(name), item.messages)
        return cleaned


class OnTrackAdminMixin:
    """Give the form its user; save a changed override through the services."""

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        return type(form.__name__, (form,), {"user": request.user})

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change or not form.override_changed():
            return
        data = form.cleaned_data
        if data["override_judgement"]:
            services.workstream_on_track_set(
                workstream=obj,
                user=request.user,
                judgement=data["override_judgement"],
                reason=data["override_reason"],
            )
        else:
            services.workstream_on_track_clear(workstream=obj, user=request.user)
