"""Officers and the data imports: reachable from the admin index, problems
said in words that tell them what to fix, and admin names that read well."""

import pytest
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from indicators.measures.table import header_width_problem, row_width_problem
from marmot import roles
from tests.conftest import user_with_role
from tests.workstreams.factories import PlaceFactory, UserFactory

IMPORT_LINKS = [
    "admin:indicators_import_measures",
    "admin:indicators_import_fingertips",
    "admin:indicators_measures_template",
    "admin:indicators_importrun_changelist",
]


@pytest.mark.django_db
def test_the_admin_index_links_to_the_imports_for_officers_only(client):
    officer = user_with_role(roles.OFFICER, username="officer", is_staff=True)
    client.force_login(officer)
    page = client.get(reverse("admin:index")).content.decode()
    assert "Import data" in page
    for name in IMPORT_LINKS:
        assert f'href="{reverse(name)}"' in page, name
    for name in IMPORT_LINKS[:2] + IMPORT_LINKS[3:]:  # each page opens
        assert client.get(reverse(name)).status_code == 200, name

    client.force_login(UserFactory(is_staff=True))  # staff, but no permissions
    page = client.get(reverse("admin:index")).content.decode()
    assert "Import data" not in page
    assert reverse("admin:indicators_import_measures") not in page


def test_table_shape_problems_say_what_to_fix():
    assert header_width_problem(5) == (
        "row 1 (the column headings) has 5 columns; the table should have 2 "
        "columns (principle group, measure description) and then 8 columns for "
        "each snapshot (date of measure, the three areas' values, the three "
        "comparisons, trend), so 10, 18, 26 … columns in all. Check that this is "
        "the outcome-measure table, saved as tab-separated (.tsv) or "
        "comma-separated (.csv) text"
    )
    assert header_width_problem(1).startswith(
        "row 1 (the column headings) has 1 column;"
    )
    assert row_width_problem(4, 19, 18) == (
        "row 4 has 19 columns but the column headings have 18: a cell in this "
        "row has a tab or comma too many or too few"
    )


@pytest.mark.django_db
def test_the_measures_upload_shows_the_problem_in_words(client):
    officer = user_with_role(roles.OFFICER, username="officer", is_staff=True)
    client.force_login(officer)
    PlaceFactory()
    upload = ("t.tsv", b"Group\tMeasure\tDate\tLuton\tEngland\n")
    response = client.post(
        reverse("admin:indicators_import_measures"),
        {"file": SimpleUploadedFile(*upload)},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "row 1 (the column headings) has 5 columns" in page
    assert "expected 2 columns then snapshots" not in page


def test_admin_names_read_well():
    names = {
        model._meta.label: str(model._meta.verbose_name_plural)
        for model in admin.site._registry
    }
    assert names["workstreams.ReminderSent"] == "reminders sent"
    assert names["workstreams.KpiEntry"] == "KPI entries"
    assert names["indicators.ImportRun"] == "data imports"
    assert names["indicators.MarmotPrinciple"] == "Marmot principles"
    for label, plural in names.items():
        assert not plural.endswith(("sents", "ys", "datas")), (label, plural)
