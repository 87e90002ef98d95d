"""Officer upload pages: Fingertips CSV and the outcome-measure table."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from indicators.admin import imports
from indicators.models import ImportRun, IndicatorValue
from tests.indicators.fingertips.helpers import SAMPLE
from tests.indicators.fixtures import FINGERTIPS_URL, MEASURES_URL, staff_with
from tests.indicators.measures_helpers import TABLE, counts, table_lines

pytestmark = pytest.mark.django_db

TEMPLATE_URL = "admin:indicators_measures_template"
UPLOAD_URLS = [FINGERTIPS_URL, MEASURES_URL, TEMPLATE_URL]


@pytest.fixture
def uploader_client(client):
    client.force_login(
        staff_with("add_indicatorvalue", "view_importrun", "view_indicatorvalue")
    )
    return client


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


@pytest.mark.parametrize("url_name", UPLOAD_URLS)
def test_anonymous_users_are_sent_to_log_in(client, url_name):
    response = client.get(reverse(url_name))
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


@pytest.mark.parametrize("url_name", UPLOAD_URLS)
def test_officer_without_the_permission_is_refused(client, url_name):
    client.force_login(staff_with("view_importrun", "view_indicatorvalue"))
    assert client.get(reverse(url_name)).status_code == 403
    if url_name != TEMPLATE_URL:
        response = client.post(
            reverse(url_name), {"file": upload("x.csv", b"Indicator ID\n")}
        )
        assert response.status_code == 403
    assert not ImportRun.objects.exists()


def test_import_log_shows_the_upload_buttons_only_with_the_permission(
    client, uploader_client
):
    url = reverse("admin:indicators_importrun_changelist")
    content = uploader_client.get(url).content.decode()
    assert "Import a Fingertips CSV" in content
    assert "Import the outcome-measure table (TSV/CSV/XLSX)" in content
    assert reverse(TEMPLATE_URL) in content
    client.force_login(staff_with("view_importrun"))
    assert "Import a Fingertips CSV" not in client.get(url).content.decode()


def test_upload_page_has_a_file_field_and_csrf(uploader_client):
    content = uploader_client.get(reverse(MEASURES_URL)).content.decode()
    assert 'type="file"' in content
    assert 'enctype="multipart/form-data"' in content
    assert "csrfmiddlewaretoken" in content


def test_post_without_csrf_token_is_refused():
    client = Client(enforce_csrf_checks=True)
    client.force_login(staff_with("add_indicatorvalue"))
    response = client.post(
        reverse(FINGERTIPS_URL), {"file": upload("f.csv", SAMPLE.read_bytes())}
    )
    assert response.status_code == 403
    assert not IndicatorValue.objects.exists()


def test_fingertips_upload_imports_and_redirects_to_the_run(uploader_client):
    response = uploader_client.post(
        reverse(FINGERTIPS_URL),
        {"file": upload("sample.csv", SAMPLE.read_bytes())},
        follow=True,
    )
    run = ImportRun.objects.get()
    assert run.status == ImportRun.Status.SUCCEEDED
    assert run.kind == ImportRun.Kind.FINGERTIPS
    assert response.redirect_chain[-1][0] == reverse(
        "admin:indicators_importrun_change", args=[run.pk]
    )
    messages = [str(m) for m in response.context["messages"]]
    assert any(f"{run.values_created} created" in m for m in messages)
    assert IndicatorValue.objects.count() == run.values_created > 0


def test_fingertips_upload_with_a_bad_row_lists_it_and_writes_nothing(
    uploader_client,
):
    lines = SAMPLE.read_text(encoding="utf-8-sig").splitlines()
    header = lines[0].split(",")
    value_at = header.index("Value")
    cells = lines[1].split(",")
    cells[value_at] = "lots"
    lines[1] = ",".join(cells)
    response = uploader_client.post(
        reverse(FINGERTIPS_URL),
        {"file": upload("bad.csv", "\n".join(lines).encode())},
    )
    assert response.status_code == 200
    problems = response.context["problems"]
    assert any(p.startswith("line 2, column 'Value'") for p in problems)
    assert "nothing was saved" in response.content.decode()
    assert not IndicatorValue.objects.exists()


def test_too_large_a_file_is_refused_with_a_clear_message(uploader_client, monkeypatch):
    monkeypatch.setattr(imports, "MAX_UPLOAD_BYTES", 10)
    response = uploader_client.post(
        reverse(MEASURES_URL), {"file": upload("t.tsv", b"x" * 11)}
    )
    assert response.status_code == 200
    errors = response.context["form"].errors["file"]
    assert f"files up to {imports.MAX_UPLOAD_MB} MB" in errors[0]
    assert not ImportRun.objects.exists()


def test_wrong_file_type_is_refused(uploader_client):
    response = uploader_client.post(
        reverse(MEASURES_URL), {"file": upload("t.pdf", b"x")}
    )
    assert response.context["form"].errors["file"] == [
        "Choose a .tsv, .csv or .xlsx file."
    ]


def test_measures_upload_succeeds_and_redirects(uploader_client, place_loaded):
    response = uploader_client.post(
        reverse(MEASURES_URL), {"file": upload(TABLE.name, TABLE.read_bytes())}
    )
    run = ImportRun.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "admin:indicators_importrun_change", args=[run.pk]
    )
    assert run.kind == ImportRun.Kind.MEASURES_TABLE
    assert run.status == ImportRun.Status.SUCCEEDED
    assert run.started_by is not None


def test_measures_upload_with_bad_cells_lists_every_problem(
    uploader_client, place_loaded
):
    lines = table_lines()
    for row_index, column_index in ((2, 3), (5, 12)):
        cells = lines[row_index].split("\t")
        cells[column_index] = "oops"
        lines[row_index] = "\t".join(cells)
    before = counts()
    response = uploader_client.post(
        reverse(MEASURES_URL),
        {"file": upload("table.tsv", "\n".join(lines).encode())},
    )
    assert response.status_code == 200
    problems = response.context["problems"]
    assert any(p.startswith('row 3, column 4 "') for p in problems)
    assert any(p.startswith('row 6, column 13 "') for p in problems)
    content = response.content.decode()
    assert "&quot;oops&quot; is not a number" in content
    assert counts() == before


def test_template_download_is_the_prefilled_workbook(uploader_client, place_loaded):
    response = uploader_client.get(reverse(TEMPLATE_URL))
    assert response.status_code == 200
    assert "spreadsheetml" in response["Content-Type"]
    assert "attachment" in response["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook["Measures"].max_row == 28
