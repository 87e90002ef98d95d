"""GOV.UK form rendering: date input, radios, checkboxes, hints and errors."""

import datetime as dt

from django import forms

from marmot.site.forms import GovukForm


class ExampleForm(GovukForm):
    due = forms.DateField(label="Due date", help_text="For example, 27 3 2026")
    status = forms.ChoiceField(
        choices=[("a", "Alpha"), ("b", "Beta")], widget=forms.RadioSelect
    )
    tags = forms.MultipleChoiceField(
        choices=[("x", "Ex"), ("y", "Why")],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    note = forms.CharField(widget=forms.Textarea, required=False)
    agree = forms.BooleanField(label="I agree", required=False)


def test_date_input_reads_day_month_year():
    form = ExampleForm(
        {"due_day": "5", "due_month": "11", "due_year": "2026", "status": "a"}
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["due"] == dt.date(2026, 11, 5)


def test_an_impossible_date_is_a_real_date_error_and_is_redisplayed():
    form = ExampleForm(
        {"due_day": "31", "due_month": "2", "due_year": "2026", "status": "a"}
    )
    assert not form.is_valid()
    assert form.errors["due"] == ["Enter a real date, for example 27 3 2026"]
    html = str(form)
    assert 'value="31"' in html and "govuk-input--error" in html
    assert 'aria-describedby="id_due-hint id_due-error"' in html
    assert "<legend" in html


def test_letters_in_a_date_are_an_error_not_a_crash():
    form = ExampleForm(
        {"due_day": "x", "due_month": "2", "due_year": "2026", "status": "a"}
    )
    assert not form.is_valid()
    assert "due" in form.errors


def test_a_missing_date_is_required():
    form = ExampleForm({"status": "a"})
    assert not form.is_valid()
    assert form.errors["due"] == ["This field is required."]


def test_radios_checkboxes_and_textarea_get_govuk_markup():
    html = str(ExampleForm(initial={"status": "b", "tags": ["y"]}))
    assert (
        'class="govuk-radios__input" id="id_status_1" name="status" type="radio" '
        'value="b" checked'
    ) in html
    assert (
        'class="govuk-checkboxes__input" id="id_tags_1" name="tags" '
        'type="checkbox" value="y" checked'
    ) in html
    assert 'class="govuk-textarea"' in html
    assert 'class="govuk-checkboxes__input"' in html and "I agree" in html


def test_error_anchor_points_at_the_first_input():
    form = ExampleForm({})
    form.is_valid()
    assert form["due"].error_anchor == "id_due_day"
    assert 'id="id_due_day"' in str(form)
    assert form["status"].error_anchor == "id_status_0"
    assert form["note"].error_anchor == "id_note"
