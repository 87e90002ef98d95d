"""Hostile files in a place's data directory: load_programme loads nothing.

Each case copies the place's directory and spoils one file, generated here (no
fixture files); the command must fail naming the file (and the row where it
can) and write nothing at all.
"""

import pytest
from django.core.management.base import CommandError

from tests.workstreams.fixtures import all_counts, copy_place, load

TEN_MB = 10 * 1024 * 1024
TABLE = "outcome-measures.tsv"


def _truncated(data: bytes) -> bytes:
    return data[: len(data) * 2 // 3]


def _latin1(data: bytes) -> bytes:
    return data.decode().replace("Life expectancy", "Espérance", 1).encode("latin-1")


def _with_nul(data: bytes) -> bytes:
    lines = data.split(b"\n")
    lines[2] = lines[2].replace(b"\t", b"\t\x00", 1)
    return b"\n".join(lines)


def _extra_column(data: bytes) -> bytes:
    lines = data.split(b"\n")
    lines[3] += b"\tsurplus"
    return b"\n".join(lines)


def _duplicate_row(data: bytes) -> bytes:
    lines = data.rstrip(b"\n").split(b"\n")
    return b"\n".join([*lines, b"\t" + lines[2].split(b"\t", 1)[1]])


# name -> (file spoilt, how, texts the message must contain)
CORPUS = {
    "programme truncated": (
        "programme.json",
        _truncated,
        ["programme.json: not valid JSON (line"],
    ),
    "programme in UTF-16": (
        "programme.json",
        lambda data: data.decode().encode("utf-16"),
        ["programme.json: not UTF-8 text (row 1, byte 0: 0xff", "save it as UTF-8"],
    ),
    "programme empty": ("programme.json", lambda data: b"", ["not valid JSON"]),
    "programme 10 MB on one line": (
        "programme.json",
        lambda data: b"[" * TEN_MB,
        ["programme.json: not valid JSON (nested too deeply)"],
    ),
    "programme with NUL bytes": (
        "programme.json",
        lambda data: data.replace(b'"', b'"\x00', 1),
        ["programme.json: row 2 contains NUL characters"],
    ),
    "measures truncated": (
        "measures.json",
        _truncated,
        ["measures.json: not valid JSON (line"],
    ),
    "table truncated mid-row": (
        TABLE,
        _truncated,
        [f"{TABLE}: row ", "but the column headings have 18"],
    ),
    "table in UTF-16": (
        TABLE,
        lambda data: data.decode().encode("utf-16"),
        [f"{TABLE}: not UTF-8 text (row 1, byte 0: 0xff"],
    ),
    "table in Latin-1": (
        TABLE,
        _latin1,
        [f"{TABLE}: not UTF-8 text (row 2, byte", "0xe9"],
    ),
    "table with commas": (
        TABLE,
        lambda data: data.replace(b"\t", b","),
        [f"{TABLE}: row 1 (the column headings) has 1 column; the table should"],
    ),
    "table 10 MB on one line": (
        TABLE,
        lambda data: b"A" * TEN_MB,
        [f"{TABLE}: row 1 (the column headings) has 1 column;"],
    ),
    "table empty": (
        TABLE,
        lambda data: b"",
        [f"{TABLE}: row 1: the file is empty; its first row"],
    ),
    "table header only": (
        TABLE,
        lambda data: data.split(b"\n")[0],
        ['measures["Life expectancy, Male (Years)"]: not in outcome-measures.tsv'],
    ),
    "table with NUL bytes": (
        TABLE,
        _with_nul,
        [f"{TABLE}: row 3 contains NUL characters"],
    ),
    "table with an extra column": (
        TABLE,
        _extra_column,
        [f"{TABLE}: row 4 has 19 columns but the column headings have 18"],
    ),
    "table with a measure twice": (
        TABLE,
        _duplicate_row,
        ["is already on row 3"],
    ),
    "table with a formula for a value": (
        TABLE,
        lambda data: data.replace(b"\t78.1\t", b"\t=cmd|' /C calc'!A0\t", 1),
        [f"{TABLE}: row 2, column 4", "is not a number"],
    ),
}


@pytest.mark.parametrize("case", CORPUS)
def test_a_hostile_file_loads_nothing(case, db, tmp_path):
    name, spoil, expected = CORPUS[case]
    place = copy_place(tmp_path)
    path = place / name
    path.write_bytes(spoil(path.read_bytes()))
    with pytest.raises(CommandError) as raised:
        load("load_programme", str(place))
    message = str(raised.value)
    for text in expected:
        assert text in message, (text, message[:600])
    assert message.endswith("Nothing was loaded.")
    # (the temporary folder's path, repeated per problem, varies by machine)
    without_paths = message.replace(str(place), "")
    assert len(without_paths) < 5000, "a huge cell is quoted in full"
    assert set(all_counts().values()) == {0}
