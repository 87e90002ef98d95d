"""Recording output-KPI values as a spreadsheet (ADR 32): download the
template for a workstream and period, fill it in, upload it; all or nothing,
with problems by row and column; partners record their organisation's KPIs
only; files that cannot be read safely are refused with a 400."""

import html as htmllib
import io
import re
import zipfile

import pytest
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from indicators.models import IndicatorValue
from marmot import roles
from tests.conftest import user_with_role
from tests.workstreams.factories import OrganisationMembershipFactory
from tests.workstreams.kpi_fixtures import TODAY, build_kpi_world
from workstreams.kpi_spreadsheet import HEADERS, SHEET_NAME
from workstreams.models import KpiEntry
from workstreams.services.kpis import kpi_create, kpi_entry_record, kpi_entry_reopen

pytestmark = pytest.mark.django_db
PERIOD = "2026/27 Q2"  # ended before TODAY (and before any later day)
Status = KpiEntry.Status


@pytest.fixture
def world(role_users):
    world = build_kpi_world(role_users)
    other_partner = user_with_role(roles.PARTNER, username="other_partner")
    OrganisationMembershipFactory(user=other_partner, organisation=world.other_org)
    world.users["other_partner"] = other_partner
    return world


def url(world):
    return reverse("kpi-spreadsheet", args=[world.own.slug])


def download(client, world, period=PERIOD):
    response = client.get(url(world), {"period": period})
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert "attachment;" in response["Content-Disposition"]
    return load_workbook(io.BytesIO(response.content))


def rows_of(workbook):
    return [
        ["" if v is None else v for v in row]
        for row in workbook[SHEET_NAME].iter_rows(values_only=True)
    ]


def fill(workbook, values: dict[str, tuple]) -> bytes:
    """Set (value, note, evidence, reason) on the row of each KPI code."""
    sheet = workbook[SHEET_NAME]
    for row in sheet.iter_rows(min_row=2):
        given = values.get(row[0].value)
        if given is None:
            continue
        for offset, cell_value in enumerate(given):
            row[4 + offset].value = cell_value
    return save(workbook)


def save(workbook) -> bytes:
    stream = io.BytesIO()
    workbook.save(stream)
    return stream.getvalue()


def upload(client, world, data: bytes, name="kpis.xlsx"):
    file = io.BytesIO(data)
    file.name = name
    return client.post(url(world), {"file": file})


def page_text(response) -> str:
    html = response.content.decode()
    return htmllib.unescape(" ".join(re.sub(r"<[^>]+>", " ", html).split()))


def code(kpi):
    return kpi.indicator.code


def entries():
    return list(
        KpiEntry.objects.order_by("kpi_id", "period__sort_key").values_list(
            "kpi__indicator__name", "period__label", "value", "status"
        )
    )


# --- the round trip ------------------------------------------------------------


def test_a_chair_downloads_fills_in_and_uploads_the_spreadsheet(world, client_as):
    client = client_as(world.users["chair"])
    page = client.get(url(world))
    assert page.status_code == 200
    assert "Record KPI values with a spreadsheet" in page_text(page)
    workbook = download(client, world)
    rows = rows_of(workbook)
    assert rows[0] == list(HEADERS)
    assert [r[:5] for r in rows[1:]] == [
        [code(world.reported), world.reported.indicator.name, "homes", PERIOD, ""],
        [
            code(world.chairs_own),
            world.chairs_own.indicator.name,
            "households",
            PERIOD,
            "",
        ],
    ]
    data = fill(
        workbook,
        {
            code(world.reported): (
                12,
                "From the trust's returns",
                "https://example.org/q2",
            ),
            code(world.chairs_own): (7,),
        },
    )
    response = upload(client, world, data)
    assert response.status_code == 302
    assert response["Location"] == url(world)
    assert "2 values are recorded (2 approved)" in page_text(client.get(url(world)))
    assert entries() == [
        (world.reported.indicator.name, PERIOD, 12.0, Status.APPROVED),
        (world.chairs_own.indicator.name, PERIOD, 7.0, Status.APPROVED),
    ]
    entry = KpiEntry.objects.get(kpi=world.reported)
    assert (entry.note, entry.evidence_url) == (
        "From the trust's returns",
        "https://example.org/q2",
    )
    assert (
        IndicatorValue.objects.filter(indicator=world.reported.indicator).count() == 1
    )
    # Downloaded again, it holds what is recorded; uploading it unchanged
    # changes nothing.
    again = download(client, world)
    assert [r[4:7] for r in rows_of(again)[1:]] == [
        [12, "From the trust's returns", "https://example.org/q2"],
        [7, "", ""],
    ]
    versions = list(
        KpiEntry.objects.order_by("pk").values_list("row_version", flat=True)
    )
    assert upload(client, world, save(again)).status_code == 302
    assert (
        list(KpiEntry.objects.order_by("pk").values_list("row_version", flat=True))
        == versions
    )


def test_an_annual_kpi_gets_its_own_period_on_a_quarters_sheet(world, client_as):
    annual = kpi_create(
        workstream=world.own,
        user=world.users["officer"],
        name="Landlord forums held",
        update_frequency="annual",
    )
    client = client_as(world.users["chair"])
    rows = rows_of(download(client, world))
    period = {r[0]: r[3] for r in rows[1:]}
    # Open on this page's day: the last financial year that has ended.
    assert period[code(annual)] in {"2025/26", "2026/27"}
    assert period[code(world.reported)] == PERIOD


def test_a_partner_records_only_their_organisations_kpis(world, client_as):
    client = client_as(world.users["partner"])
    workbook = download(client, world)
    assert [r[0] for r in rows_of(workbook)[1:]] == [code(world.reported)]
    sheet = workbook[SHEET_NAME]
    sheet.append([code(world.chairs_own), "", "", PERIOD, 3])
    sheet["E2"] = 9
    response = upload(client, world, save(workbook))
    assert response.status_code == 400
    text = page_text(response)
    assert "Row 3 A (KPI code)" in text
    assert "is not the code of a Housing and communities KPI you may record" in text
    assert entries() == []
    sheet.delete_rows(3)
    response = upload(client, world, save(workbook))
    assert response.status_code == 302
    assert entries() == [(world.reported.indicator.name, PERIOD, 9.0, Status.SUBMITTED)]
    assert "1 value is recorded (1 waiting for the chair's approval)" in page_text(
        client.get(url(world))
    )


# --- problems by row and column, all or nothing --------------------------------------


def test_every_problem_is_listed_by_row_and_column_and_nothing_is_recorded(
    world, client_as
):
    client = client_as(world.users["chair"])
    workbook = download(client, world)
    sheet = workbook[SHEET_NAME]
    sheet["E2"] = -3  # a negative count
    sheet["E3"] = 4  # fine on its own
    sheet["G3"] = "javascript:alert(1)"
    sheet.append([code(world.reported), "", "", "2030/31 Q1", 5])  # future
    sheet.append([code(world.chairs_own), "", "", PERIOD, "twelve"])
    sheet.append([code(world.chairs_own), "", "", "", "", "a note without a value"])
    sheet.append(["no-such-kpi", "", "", PERIOD, 1])
    response = upload(client, world, save(workbook))
    assert response.status_code == 400
    text = page_text(response)
    assert "There is a problem: nothing was recorded" in text
    for expected in (
        "Row 5 E (Value) Enter a number (not 'twelve').",
        "Row 6 E (Value) Enter the value, or clear the note",
        "Row 7 A (KPI code) “no-such-kpi” is not the code",
    ):
        assert expected in text
    assert entries() == []
    # Once the reading problems are fixed, the service's are listed the same way.
    sheet.delete_rows(5, 3)
    response = upload(client, world, save(workbook))
    assert response.status_code == 400
    text = page_text(response)
    assert "Row 2 E (Value) A count cannot be negative: enter 0 or more." in text
    assert "Row 3 G (Evidence link) Enter a link that starts with http://" in text
    assert "Row 4 D (Period) 2030/31 Q1 has not started yet" in text
    assert entries() == []  # row 3's good value is not recorded either


def test_a_period_given_twice_and_a_locked_value(world, client_as):
    chair = world.users["chair"]
    kpi_entry_record(
        kpi=world.reported, user=chair, period=PERIOD, value=5, today=TODAY
    )
    client = client_as(chair)
    workbook = download(client, world)
    sheet = workbook[SHEET_NAME]
    sheet["E2"] = 6  # approved at 5: locked
    sheet["E3"] = 1
    sheet.append([code(world.chairs_own), "", "", PERIOD, 2])
    response = upload(client, world, save(workbook))
    assert response.status_code == 400
    text = page_text(response)
    assert "Row 2 The whole row The 2026/27 Q2 value is approved and locked." in text
    assert f"Row 4 D (Period) {PERIOD} of this KPI is already given in row 3." in text
    assert entries() == [(world.reported.indicator.name, PERIOD, 5.0, Status.APPROVED)]


def test_a_reopened_value_is_corrected_with_a_reason(world, client_as):
    chair = world.users["chair"]
    entry = kpi_entry_record(
        kpi=world.reported, user=chair, period=PERIOD, value=5, today=TODAY
    )
    kpi_entry_reopen(entry=entry, user=world.users["officer"], reason="Miscounted.")
    client = client_as(chair)
    workbook = download(client, world)
    data = fill(workbook, {code(world.reported): (6,)})
    response = upload(client, world, data)
    assert response.status_code == 400
    assert "Row 2 H (Correction reason) Say why the approved 2026/27 Q2 value" in (
        page_text(response)
    )
    data = fill(workbook, {code(world.reported): (6, None, None, "Two were missed.")})
    assert upload(client, world, data).status_code == 302
    entry.refresh_from_db()
    assert (entry.value, entry.status, entry.correction_reason) == (
        6.0,
        Status.APPROVED,
        "Two were missed.",
    )


def test_a_spreadsheet_with_no_value_records_nothing(world, client_as):
    client = client_as(world.users["chair"])
    response = upload(client, world, save(download(client, world)))
    assert response.status_code == 400
    assert "The spreadsheet has no values to record" in page_text(response)


def test_no_file_is_the_form_again(world, client_as):
    response = client_as(world.users["chair"]).post(url(world), {})
    assert response.status_code == 200
    assert "Choose the spreadsheet to upload" in page_text(response)


# --- files that cannot be read ---------------------------------------------------


def far_cells() -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET_NAME
    sheet.append(list(HEADERS))
    sheet["XFD1"] = "far right"
    sheet["XFD1048576"] = "far down"
    return save(workbook)


def huge_shared_string(megabytes=21) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET_NAME
    sheet.append(list(HEADERS))
    sheet["A2"] = "placeholder"
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(save(workbook))) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            if info.filename != "xl/sharedStrings.xml":
                target.writestr(info, source.read(info.filename))
        with target.open("xl/sharedStrings.xml", "w", force_zip64=True) as part:
            part.write(b'<sst xmlns="http://schemas.openxmlformats.org/')
            part.write(b'spreadsheetml/2006/main" count="1" uniqueCount="1"><si><t>')
            for _ in range(megabytes):
                part.write(b"A" * (1024 * 1024))
            part.write(b"</t></si></sst>")
    return out.getvalue()


def other_sheet() -> bytes:
    workbook = Workbook()
    workbook.active.title = "Sheet1"
    return save(workbook)


def changed_header() -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET_NAME
    sheet.append(["Code", *HEADERS[1:]])
    return save(workbook)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"KPI code,Value\nx,1\n", "The file cannot be read: not an XLSX workbook"),
        (b"PK\x03\x04" + b"\x00" * 100, "The file cannot be read"),
        (far_cells, 'sheet "KPI values" has cells up to column XFD and row 1,048,576'),
        (huge_shared_string, "uncompressed; at most 20 MB is read"),
        (other_sheet, 'The workbook has no sheet called "KPI values"'),
        (changed_header, 'Row 1 of sheet "KPI values" is not the template\'s header'),
        (lambda: b"x" * (5 * 1024 * 1024 + 1), "spreadsheets up to 5 MB"),
    ],
)
def test_a_file_that_cannot_be_read_is_refused(world, client_as, data, message):
    data = data() if callable(data) else data
    response = upload(client_as(world.users["chair"]), world, data)
    assert response.status_code == 400
    text = page_text(response)
    assert message in text, text[:2000]
    assert "Nothing was recorded." in text
    assert entries() == []


def test_an_empty_file_is_the_form_with_its_error(world, client_as):
    response = upload(client_as(world.users["chair"]), world, b"")
    assert response.status_code == 200
    assert "The file is empty" in page_text(response)
    assert entries() == []


# --- who may ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("anonymous", "login"),
        ("partner", 200),
        ("other_partner", 403),
        ("chair", 200),
        ("other_chair", 403),
        ("oversight", 403),
        ("officer", 200),
    ],
)
def test_who_may_use_the_spreadsheet(world, client_as, role, expected):
    client = client_as(world.users[role])
    for response in (
        client.get(url(world)),
        client.get(url(world), {"period": PERIOD}),
        client.post(url(world), {}),
    ):
        if expected == "login":
            assert response.status_code == 302
            assert response["Location"].startswith(reverse("login"))
        else:
            assert response.status_code == expected
    assert entries() == []


@pytest.mark.parametrize(
    ("period", "message"),
    [
        ("next year", "is not a reporting period"),
        ("2030/31 Q1", "2030/31 Q1 has not started yet"),
    ],
)
def test_a_period_that_cannot_be_downloaded(world, client_as, period, message):
    response = client_as(world.users["chair"]).get(url(world), {"period": period})
    assert response.status_code == 400
    assert message in response.content.decode()


@pytest.mark.parametrize("extra", [0, 8])
def test_download_and_upload_are_a_fixed_number_of_queries(
    world, client_as, extra, django_assert_max_num_queries
):
    for n in range(extra):
        kpi_create(workstream=world.own, user=world.users["officer"], name=f"Extra {n}")
    client = client_as(world.users["chair"])
    client.get(url(world))  # the session and roles, once
    with django_assert_max_num_queries(8):
        workbook = download(client, world)
    assert len(rows_of(workbook)) == 3 + extra
