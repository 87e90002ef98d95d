"""Hostile Fingertips files: each is rejected whole, with a message saying where.

Every file is generated here from the sample (no fixture files), then run
through the paths officers take: ``manage.py import_fingertips`` and the admin
upload page. A rejected file writes nothing but the failed ImportRun that
records why (the design of :mod:`indicators.import_runs`).
"""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from indicators.models import Area, ImportRun, Indicator, IndicatorValue
from tests.indicators.fingertips.helpers import (
    csv_bytes,
    data_row_counts,
    sample_header,
    sample_rows,
)
from tests.indicators.fixtures import FINGERTIPS_URL, staff_with

pytestmark = pytest.mark.django_db

WIDTH = len(sample_header())
TEN_MB = 10 * 1024 * 1024


def _rows(count: int = 3) -> list[dict[str, str]]:
    return sample_rows()[:count]


def _changed(index: int, cells: dict[str, str]) -> bytes:
    rows = _rows()
    rows[index].update(cells)
    return csv_bytes(rows)


def _truncated() -> bytes:
    data = csv_bytes(_rows())
    last_row = data.rstrip(b"\r\n").rfind(b"\n") + 1
    return data[: last_row + 40]  # cut inside the third data row


def _latin1() -> bytes:
    rows = _rows()
    rows[1]["Area Name"] = "Englând"
    return csv_bytes(rows, encoding="latin-1")


def _with_nul() -> bytes:
    return csv_bytes(_rows()).replace(b"England", b"Eng\x00land", 2)[:]


def _delimited(separator: str) -> bytes:
    text = csv_bytes(_rows()).decode()
    return text.replace(",", separator).encode()


def _extra_and_missing_fields() -> bytes:
    lines = csv_bytes(_rows()).split(b"\r\n")
    lines[1] += b",surplus"
    lines[2] = lines[2].rsplit(b",", 2)[0]
    return b"\r\n".join(lines)


def _duplicate() -> bytes:
    rows = _rows(2)
    return csv_bytes([*rows, dict(rows[0])])


def _header_only() -> bytes:
    return csv_bytes([])


# name -> (file bytes, text every listed problem together must contain)
CORPUS = {
    "truncated mid-row": (
        _truncated,
        ["line 4: has", f"fields but the header has {WIDTH}"],
    ),
    "UTF-16 with a BOM": (
        lambda: csv_bytes(_rows(), encoding="utf-16"),
        ["file: the file is UTF-16, not UTF-8: save it as 'CSV UTF-8'"],
    ),
    "UTF-16 without a BOM": (
        lambda: csv_bytes(_rows(), encoding="utf-16-le"),
        ["line 1: contains NUL characters"],
    ),
    "Latin-1 bytes": (
        _latin1,
        ["line 3: byte 0xe2 at character", "is not UTF-8", "Latin-1"],
    ),
    "semicolons": (
        lambda: _delimited(";"),
        ["line 1, column 'Indicator ID;Indicator Name", "unexpected column"],
    ),
    "tabs": (
        lambda: _delimited("\t"),
        ["line 1, column 'Indicator ID\\tIndicator Name", "unexpected column"],
    ),
    "10 MB single line, no newline": (
        lambda: b"A" * TEN_MB,
        ["line 1: is longer than 100,000 characters, the most a row may have"],
    ),
    "10 MB last row, no newline": (
        lambda: csv_bytes(_rows()) + b"1," + b"A" * TEN_MB,
        ["line 5: is longer than 100,000 characters, the most a row may have"],
    ),
    "duplicate key": (
        _duplicate,
        ["line 4: duplicates line 2: same Indicator ID, Area Code, Time period"],
    ),
    "lower limit above the value": (
        lambda: _changed(0, {"Lower CI 95.0 limit": "79.85"}),
        ["line 2, column 'Value': value 79.8 is outside its 95% confidence"],
    ),
    "upper limit below the value": (
        lambda: _changed(1, {"Upper CI 99.8 limit": "79.85"}),
        ["line 3, column 'Value': value 79.9 is outside its 99.8% confidence"],
    ),
    "empty": (lambda: b"", ["file: the file is empty"]),
    "only a BOM and blank lines": (
        lambda: b"\xef\xbb\xbf\r\n\r\n",
        ["file: the file is empty"],
    ),
    "header only": (_header_only, ["file: the file has a header but no data rows"]),
    "NUL bytes": (_with_nul, ["line 2: contains NUL characters, so it is not text"]),
    "extra and missing fields": (
        _extra_and_missing_fields,
        [
            f"line 2: has {WIDTH + 1} fields but the header has {WIDTH}",
            f"line 3: has {WIDTH - 2} fields but the header has {WIDTH}",
        ],
    ),
    "formula in a number column": (
        lambda: _changed(0, {"Value": "-2+3"}),
        ["line 2, column 'Value': '-2+3' is not a number"],
    ),
}


def _assert_nothing_written(before: dict[str, int]) -> ImportRun:
    assert data_row_counts() == before
    run = ImportRun.objects.get()
    assert run.status == ImportRun.Status.FAILED
    assert (run.values_created, run.values_updated) == (0, 0)
    return run


@pytest.mark.parametrize("case", CORPUS)
def test_the_command_rejects_the_file_and_writes_nothing(case, tmp_path):
    build, expected = CORPUS[case]
    path = tmp_path / "hostile.csv"
    path.write_bytes(build())
    before = data_row_counts()
    with pytest.raises(CommandError) as raised:
        call_command("import_fingertips", str(path), "--quiet", stdout=io.StringIO())
    message = str(raised.value)
    assert message.startswith("hostile.csv: rejected,"), message[:300]
    assert "nothing was imported" in message
    for text in expected:
        assert text in message, (text, message[:600])
    assert len(message) < 5000, "a huge cell is quoted in full"
    run = _assert_nothing_written(before)
    assert len(str(run.errors)) < 5000


@pytest.mark.parametrize("case", CORPUS)
def test_the_admin_upload_rejects_the_file_and_writes_nothing(case, client):
    build, expected = CORPUS[case]
    client.force_login(staff_with("add_indicatorvalue", "view_importrun"))
    before = data_row_counts()
    response = client.post(
        reverse(FINGERTIPS_URL),
        {"file": SimpleUploadedFile("hostile.csv", build())},
    )
    assert response.status_code == 200
    if case == "empty":  # the form refuses it before the importer sees it
        assert response.context["form"].errors["file"] == [
            "The submitted file is empty."
        ]
        assert data_row_counts() == before and not ImportRun.objects.exists()
        return
    problems = "\n".join(response.context["problems"])
    for text in expected:
        assert text in problems, (text, problems[:600])
    assert "nothing was saved" in response.content.decode()
    assert len(response.content) < 100_000
    _assert_nothing_written(before)


def test_a_bom_before_a_good_file_is_accepted(tmp_path):
    path = tmp_path / "bom.csv"
    path.write_bytes(b"\xef\xbb\xbf" + csv_bytes(_rows()))
    call_command("import_fingertips", str(path), "--quiet", stdout=io.StringIO())
    assert IndicatorValue.objects.count() == 3


FORMULAS = ["=cmd|' /C calc'!A0", "+SUM(1)", "-2+3", '@HYPERLINK("x")']


def test_formula_text_is_stored_as_text_and_neutralised_on_export(tmp_path, client):
    """Formula-looking text is data (names may start with "-"); exports defuse it."""
    rows = _rows(1)
    rows[0].update(
        {
            "Indicator Name": FORMULAS[0],
            "Area Name": FORMULAS[1],
            "Value note": FORMULAS[2],
            "Sex": FORMULAS[3],
        }
    )
    path = tmp_path / "formulas.csv"
    path.write_bytes(csv_bytes(rows))
    call_command("import_fingertips", str(path), "--quiet", stdout=io.StringIO())
    value = IndicatorValue.objects.select_related("indicator", "area").get()
    assert value.indicator.name == FORMULAS[0]
    assert Area.objects.get().name == FORMULAS[1]
    assert (value.value_note, value.sex) == (FORMULAS[2], FORMULAS[3])

    indicator = Indicator.objects.get()
    indicator.is_published = True
    indicator.save()
    response = client.get(f"/indicators/{indicator.code}/download.csv")
    assert response.status_code == 200
    cells = {
        cell
        for row in csv.reader(io.StringIO(response.content.decode("utf-8-sig")))
        for cell in row
    }
    for formula in FORMULAS:
        assert f"'{formula}" in cells and formula not in cells, formula
