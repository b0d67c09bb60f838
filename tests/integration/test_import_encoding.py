"""A line that is not valid UTF-8 is reported with its own number; only that line is skipped."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

from kiosk import utf8_lines
from kiosk.domain.import_rows import ImportFileError, ImportReport
from kiosk.runtime import Runtime
from kiosk.services.imports import open_csv
from kiosk.storage.models import Operator, Subscriber
from tests.support.installation import TEST_SECRET_KEY

HEADER = b"contract,meter,commune,holder\n"
ROWS = 2000
BAD_LINE = 1002
"""The line (counting the header as line 1) that carries the invalid byte."""


def subscriber_line(number: int, holder: bytes = b"ABONN\xc3\x89") -> bytes:
    """The line for CSV line ``number``: contract 90xxxxx, a meter, a commune, a holder."""
    return b"%07d,S%09d,Velaux,%s %d\n" % (9_000_000 + number, number, holder, number)


def extract(bad_lines: dict[int, bytes], rows: int = ROWS, newline: bytes = b"\n") -> bytes:
    """A subscribers extract of ``rows`` rows; ``bad_lines`` replaces some lines whole."""
    lines = [HEADER] + [subscriber_line(n) for n in range(2, rows + 2)]
    for number, line in bad_lines.items():
        lines[number - 1] = line
    return b"".join(line.replace(b"\n", newline) for line in lines)


async def contracts(runtime: Runtime) -> dict[str, str]:
    async with runtime.engine.connect() as connection:
        result = await connection.execute(select(Subscriber.contract, Subscriber.holder))
        return {contract: holder for contract, holder in result if contract >= "9000000"}


async def import_file(runtime: Runtime, path: Path) -> ImportReport:
    with open_csv(path) as stream:
        return await runtime.imports.import_subscribers(stream)


async def test_one_invalid_byte_loses_one_line_only(runtime: Runtime, tmp_path: Path) -> None:
    path = tmp_path / "extract.csv"
    path.write_bytes(extract({BAD_LINE: subscriber_line(BAD_LINE, holder=b"ABONN\xff")}))
    report = await import_file(runtime, path)
    assert report.written == ROWS - 1 and report.skipped == 1
    [(line, reason)] = report.errors
    assert line == BAD_LINE and "UTF-8" in reason
    imported = await contracts(runtime)
    assert len(imported) == ROWS - 1
    assert f"{9_000_000 + BAD_LINE:07d}" not in imported
    assert imported[f"{9_000_000 + BAD_LINE + 1:07d}"] == f"ABONNÉ {BAD_LINE + 1}"


@pytest.mark.parametrize("newline", [b"\n", b"\r\n", b"\r"], ids=["lf", "crlf", "cr"])
async def test_line_numbers_stay_right_after_an_invalid_line(
    runtime: Runtime, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, newline: bytes
) -> None:
    """Several bad lines, other errors after them, and chunks far smaller than a line."""
    monkeypatch.setattr(utf8_lines, "CHUNK_BYTES", 7)  # every boundary falls somewhere odd
    bad = {
        5: b"\xff\xfe,,,\n",
        6: subscriber_line(6, holder=b"\xc3"),  # a character cut short
        300: b"123,S000000300,Velaux,SHORT CONTRACT\n",  # a plain error, after them
        1500: subscriber_line(1500, holder=b"\xed\xa0\x80"),  # an encoded surrogate
        ROWS + 1: subscriber_line(ROWS + 1, holder=b"\x80"),  # the last line
    }
    path = tmp_path / "extract.csv"
    path.write_bytes(extract(bad, newline=newline))
    report = await import_file(runtime, path)
    assert [line for line, _ in report.errors] == sorted(bad)
    assert ["UTF-8" in reason for _, reason in report.errors] == [True, True, False, True, True]
    assert report.written == ROWS - len(bad) and report.skipped == len(bad)
    imported = await contracts(runtime)
    assert len(imported) == ROWS - len(bad)
    assert imported[f"{9_000_000 + 7:07d}"] == "ABONNÉ 7"  # accents survive the small chunks


async def test_a_file_without_a_final_line_break(runtime: Runtime, tmp_path: Path) -> None:
    path = tmp_path / "extract.csv"
    path.write_bytes(extract({ROWS + 1: subscriber_line(ROWS + 1, b"\xff")}).rstrip(b"\n"))
    report = await import_file(runtime, path)
    assert [line for line, _ in report.errors] == [ROWS + 1]
    assert report.written == ROWS - 1


async def test_an_invalid_operator_line_is_skipped_alone(runtime: Runtime, tmp_path: Path) -> None:
    path = tmp_path / "operators.csv"
    path.write_bytes(
        b"operator_code,name,served_here,phone,website\n"
        b"OPA,Op\xe9rateur A,yes,,\n"  # Latin-1, not UTF-8
        b"OPB,Op\xc3\xa9rateur B,yes,,\n"
    )
    with open_csv(path) as stream:
        report = await runtime.imports.import_operators(stream)
    assert report.written == 1 and [line for line, _ in report.errors] == [2]
    async with runtime.engine.connect() as connection:
        names = set((await connection.execute(select(Operator.name))).scalars())
    assert "Opérateur B" in names and not any(name.startswith("Op\udce9") for name in names)


async def test_an_invalid_header_refuses_the_file(runtime: Runtime, tmp_path: Path) -> None:
    path = tmp_path / "extract.csv"
    path.write_bytes(b"contract,meter,commune,holder\xff\n" + subscriber_line(2))
    with pytest.raises(ImportFileError, match=r"line 1 .*UTF-8"):
        await import_file(runtime, path)


def test_the_command_reports_the_line(tmp_path: Path) -> None:
    path = tmp_path / "extract.csv"
    path.write_bytes(extract({BAD_LINE: subscriber_line(BAD_LINE, holder=b"ABONN\xff")}))
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "KIOSK_DATA_DIR": str(tmp_path / "data"),
        "KIOSK_SECRET_KEY": TEST_SECRET_KEY,
    }
    result = subprocess.run(
        [sys.executable, "-m", "kiosk", "import-subscribers", str(path)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 1, result.stderr
    assert f"{ROWS - 1} row(s) written, 1 skipped" in result.stdout
    assert f"line {BAD_LINE}: not valid UTF-8" in result.stdout


async def test_an_invalid_line_inside_a_quoted_field(runtime: Runtime, tmp_path: Path) -> None:
    """A record over two lines whose second is invalid: that record goes, named by that line."""
    bad = {10: b'9000010,S000000010,Velaux,"HOLDER\n', 11: b'CONTINUED \xff"\n'}
    path = tmp_path / "extract.csv"
    path.write_bytes(extract(bad, rows=20))
    report = await import_file(runtime, path)
    assert [line for line, _ in report.errors] == [11]
    assert report.written == 18  # 20 lines of rows, two of them one record
    assert f"{9_000_000 + 12:07d}" in await contracts(runtime)
