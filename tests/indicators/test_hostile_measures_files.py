"""Hostile outcome-measure tables: each is rejected whole, saying where.

Every file is generated here from the place's published table (no fixture
files) and run through ``manage.py import_measures`` and the admin upload page.
A rejected file writes nothing but the failed ImportRun that records why.
"""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from openpyxl import Workbook

from indicators.models import ImportRun
from tests.indicators.fixtures import MEASURES_URL, staff_with
from tests.indicators.measures_helpers import counts, table_lines, xlsx_bytes

pytestmark = pytest.mark.django_db

TEN_MB = 10 * 1024 * 1024


def _tsv(lines: list[str]) -> bytes:
    return "\n".join(lines).encode()


def _width() -> int:
    return len(table_lines()[0].split("\t"))


def _csv(lines: list[str], separator: str = ",") -> bytes:
    rows = (separator.join(f'"{cell}"' for cell in line.split("\t")) for line in lines)
    return "\n".join(rows).encode()


def _cell(row: int, column: int, text: str) -> bytes:
    lines = table_lines()
    cells = lines[row - 1].split("\t")
    cells[column - 1] = text
    lines[row - 1] = "\t".join(cells)
    return _tsv(lines)


def _truncated() -> bytes:
    lines = table_lines()[:4]
    lines[3] = lines[3][: len(lines[3]) // 2]
    return _tsv(lines)


def _extra_and_missing() -> bytes:
    lines = table_lines()
    lines[1] += "\tsurplus"
    lines[2] = lines[2].rsplit("\t", 1)[0]
    return _tsv(lines)


def _duplicate() -> bytes:
    lines = table_lines()
    return _tsv([*lines, "\t" + lines[2].split("\t", 1)[1]])


def _latin1() -> bytes:
    return _cell(3, 2, "Espérance de vie").decode().encode("latin-1")


def _one_column_workbook() -> bytes:
    workbook = Workbook()
    workbook.active.title = "Measures"
    workbook.active["A1"] = "Principle group"
    workbook.active["A2"] = "1"
    stream = io.BytesIO()
    workbook.save(stream)
    return stream.getvalue()


# name -> (file name, file bytes, texts the listed problems must contain)
CORPUS = {
    "truncated mid-row": (
        "t.tsv",
        _truncated,
        [f"but the column headings have {_width()}"],
    ),
    "UTF-16": (
        "t.tsv",
        lambda: _tsv(table_lines()).decode().encode("utf-16"),
        ["t.tsv: not UTF-8 text", "save it as UTF-8"],
    ),
    "Latin-1 bytes": (
        "t.tsv",
        _latin1,
        ["t.tsv: not UTF-8 text (row 3, byte", "0xe9", "save it as UTF-8"],
    ),
    "semicolons in a .csv": (
        "t.csv",
        lambda: _csv(table_lines(), ";"),
        ["row 1 (the column headings) has 1 column; the table should have 2 columns"],
    ),
    "tabs in a .csv": (
        "t.csv",
        lambda: _tsv(table_lines()),
        ["row 1 (the column headings) has 1 column; the table should have 2 columns"],
    ),
    "commas in a .tsv": (
        "t.tsv",
        lambda: _csv(table_lines()),
        ["row 1 (the column headings) has 1 column; the table should have 2 columns"],
    ),
    "10 MB single line (.tsv)": (
        "t.tsv",
        lambda: b"A" * TEN_MB,
        ["row 1 (the column headings) has 1 column; the table should have 2 columns"],
    ),
    "10 MB single line (.csv)": (
        "t.csv",
        lambda: b"A" * TEN_MB,
        ["t.csv: row 1 is longer than 60,360 characters, the most a row may have"],
    ),
    "duplicate measure": (
        "t.tsv",
        _duplicate,
        ["is already on row 3"],
    ),
    "empty": (
        "t.tsv",
        lambda: b"",
        ["row 1: the file is empty; its first row should be the column"],
    ),
    "only a BOM": (
        "t.tsv",
        lambda: b"\xef\xbb\xbf",
        ["row 1: the file is empty; its first row should be the column"],
    ),
    "header only": (
        "t.tsv",
        lambda: _tsv(table_lines()[:1]),
        ["row 2: the table has no measures"],
    ),
    "NUL bytes": (
        "t.tsv",
        lambda: _cell(3, 2, "Life\x00expectancy"),
        ["t.tsv: row(s) 3 contain NUL characters"],
    ),
    "extra and missing columns": (
        "t.tsv",
        _extra_and_missing,
        [
            f"row 2 has {_width() + 1} columns but the column headings have {_width()}",
            f"row 3 has {_width() - 1} columns but the column headings have {_width()}",
        ],
    ),
    "formula in a value cell": (
        "t.tsv",
        lambda: _cell(2, 4, "=cmd|' /C calc'!A0"),
        ["row 2, column 4", "is not a number"],
    ),
    "arithmetic in a value cell": (
        "t.tsv",
        lambda: _cell(2, 4, "-2+3"),
        ["row 2, column 4", '"-2+3" is not a number'],
    ),
    "workbook of one column": (
        "t.xlsx",
        _one_column_workbook,
        ['sheet "Measures", row 1 (the column headings) has 1 column; the table'],
    ),
    "truncated workbook": (
        "t.xlsx",
        lambda: xlsx_bytes()[:2000],
        ["not an XLSX workbook we can read"],
    ),
}


def _nothing_written(before: dict[str, int]) -> None:
    assert counts() == before
    run = ImportRun.objects.get()
    assert run.status == ImportRun.Status.FAILED
    assert (run.values_created, run.values_updated) == (0, 0)
    assert len(str(run.errors)) < 5000


@pytest.mark.parametrize("case", CORPUS)
def test_the_command_rejects_the_file_and_writes_nothing(case, tmp_path, place_loaded):
    name, build, expected = CORPUS[case]
    path = tmp_path / name
    path.write_bytes(build())
    before = counts()
    with pytest.raises(CommandError) as raised:
        call_command("import_measures", str(path), stdout=io.StringIO())
    message = str(raised.value)
    assert message.startswith(f"{name}: rejected,"), message[:300]
    assert "nothing was imported" in message
    for text in expected:
        assert text in message, (text, message[:600])
    assert len(message) < 5000, "a huge cell is quoted in full"
    _nothing_written(before)


@pytest.mark.parametrize("case", CORPUS)
def test_the_admin_upload_rejects_the_file_and_writes_nothing(
    case, client, place_loaded
):
    name, build, expected = CORPUS[case]
    client.force_login(staff_with("add_indicatorvalue", "view_importrun"))
    before = counts()
    response = client.post(
        reverse(MEASURES_URL), {"file": SimpleUploadedFile(name, build())}
    )
    assert response.status_code == 200
    if case == "empty":  # the form refuses it before the importer sees it
        assert response.context["form"].errors["file"] == [
            "The submitted file is empty."
        ]
        assert counts() == before and not ImportRun.objects.exists()
        return
    problems = "\n".join(response.context["problems"])
    for text in expected:
        assert text in problems, (text, problems[:600])
    assert len(response.content) < 100_000
    _nothing_written(before)


def test_deeply_nested_metadata_is_refused_by_the_command(tmp_path, place_loaded):
    table = tmp_path / "t.tsv"
    table.write_bytes(_tsv(table_lines()))
    measures = tmp_path / "measures.json"
    measures.write_bytes(b"[" * TEN_MB)
    before = counts()
    with pytest.raises(CommandError, match=r"measures.json: not valid JSON \(nested"):
        call_command(
            "import_measures",
            str(table),
            "--measures",
            str(measures),
            stdout=io.StringIO(),
        )
    assert counts() == before and not ImportRun.objects.exists()


def test_deeply_nested_metadata_is_refused_by_the_upload(client, place_loaded):
    client.force_login(staff_with("add_indicatorvalue", "view_importrun"))
    before = counts()
    response = client.post(
        reverse(MEASURES_URL),
        {
            "file": SimpleUploadedFile("t.tsv", _tsv(table_lines())),
            "measures": SimpleUploadedFile("m.json", b"[" * 100_000),
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["measures"] == [
        "Not a valid JSON file: nested too deeply"
    ]
    assert counts() == before and not ImportRun.objects.exists()
