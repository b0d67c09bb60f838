"""Billing extracts on both engines: invoices and readings imported, re-imported, exported."""

from __future__ import annotations

import io
import subprocess
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import select

from kiosk.domain.import_rows import ImportFileError
from kiosk.runtime import Runtime
from kiosk.storage.models import Invoice, MeterReading
from tests.support.database import stored
from tests.support.installation import TEST_SECRET_KEY

INVOICES = (
    "contract,number,issued_on,period_start,period_end,volume_m3,amount_excl_tax,"
    "amount_incl_tax,due_on,status\n"
)
READINGS = "contract,meter,read_on,index_m3,kind\n"
GOOD_INVOICE = (
    "1234567,T-000001,2026-10-01,2026-07-01,2026-09-30,9,1234.5,1302.40,2026-10-31,a_payer"
)


async def invoice(runtime: Runtime, number: str) -> Invoice | None:
    rows = await stored(runtime, select(Invoice).where(Invoice.number == number))
    return rows[0] if rows else None


async def test_the_demo_extracts_are_loaded(runtime: Runtime) -> None:
    mine = await stored(runtime, select(Invoice).where(Invoice.contract == "1234567"))
    assert len(mine) == 6
    readings = await stored(runtime, select(MeterReading).where(MeterReading.contract == "1234567"))
    assert len(readings) == 7


async def test_bad_invoice_lines_are_reported_by_number_and_skipped(runtime: Runtime) -> None:
    lines = [
        GOOD_INVOICE,
        "1234567,T-000002,2026-02-30,2026-07-01,2026-09-30,9,1.00,1.05,2026-10-31,payee",  # 3
        "1234567,T-000003,2026-10-01,2026-07-01,2026-09-30,9,1,5,1.05,2026-10-31,payee",  # 4
        "1234567,T-000004,2026-10-01,2026-07-01,2026-09-30,9,1.005,1.05,2026-10-31,payee",  # 5
        "1234567,T-000005,2026-10-01,2026-07-01,2026-09-30,9,1.00,1.05,2026-10-31,paid",  # 6
        "123456,T-000006,2026-10-01,2026-07-01,2026-09-30,9,1.00,1.05,2026-10-31,payee",  # 7
        "1234567,T-000007,2026-10-01,2026-09-30,2026-07-01,9,1.00,1.05,2026-10-31,payee",  # 8
        "1234567,T/../8,2026-10-01,2026-07-01,2026-09-30,9,1.00,1.05,2026-10-31,payee",  # 9
        "1234567,T-000009,01/10/2026,2026-07-01,2026-09-30,9,1.00,1.05,2026-10-31,payee",  # 10
    ]
    report = await runtime.billing_imports.import_invoices(io.StringIO(INVOICES + "\n".join(lines)))
    assert report.written == 1 and report.skipped == 8
    reasons = dict(report.errors)
    assert list(reasons) == [3, 4, 5, 6, 7, 8, 9, 10]
    assert "issued_on" in reasons[3] and "amount_excl_tax" in reasons[5]
    assert "status" in reasons[6] and "period_end" in reasons[8]
    stored_invoice = await invoice(runtime, "T-000001")
    assert stored_invoice is not None
    assert stored_invoice.amount_excl_tax == Decimal("1234.50")
    assert stored_invoice.amount_incl_tax == Decimal("1302.40")
    assert isinstance(stored_invoice.amount_incl_tax, Decimal)
    assert await invoice(runtime, "T-000002") is None


async def test_a_reimport_updates_the_status_and_never_duplicates(runtime: Runtime) -> None:
    await runtime.billing_imports.import_invoices(io.StringIO(INVOICES + GOOD_INVOICE + "\n"))
    paid = GOOD_INVOICE.replace("a_payer", "payee")
    again = await runtime.billing_imports.import_invoices(io.StringIO(INVOICES + paid + "\n"))
    assert again.written == 1
    rows = await stored(runtime, select(Invoice).where(Invoice.number == "T-000001"))
    assert [row.status for row in rows] == ["payee"]


async def test_the_demo_load_never_overwrites(runtime: Runtime) -> None:
    changed = (
        "1234567,F202607-000006,2026-07-15,2026-01-01,2026-06-30,38,1.00,1.00,2026-08-14,payee"
    )
    report = await runtime.billing_imports.import_invoices(
        io.StringIO(INVOICES + changed + "\n"), keep_existing=True
    )
    assert report.written == 0 and report.kept == 1
    kept = await invoice(runtime, "F202607-000006")
    assert kept is not None and kept.status == "a_payer"
    assert kept.amount_incl_tax == Decimal("171.29")


async def test_readings_import_is_keyed_by_meter_date_and_kind(runtime: Runtime) -> None:
    text = READINGS + "\n".join(
        [
            "1234567,a12b 345678,2026-09-30,500,releve",  # meter normalised
            "1234567,A12B345678,2026-09-30,501,estime",  # another kind: another reading
            "1234567,A12B345678,2026-13-01,502,releve",  # line 4
            "1234567,A12B345678,2026-10-01,-3,releve",  # line 5
            "1234567,A12B345678,2026-10-01,503,guess",  # line 6
        ]
    )
    report = await runtime.billing_imports.import_readings(io.StringIO(text))
    assert report.written == 2 and [line for line, _ in report.errors] == [4, 5, 6]
    again = READINGS + "1234567,A12B345678,2026-09-30,510,releve\n"
    await runtime.billing_imports.import_readings(io.StringIO(again))
    rows = await stored(
        runtime, select(MeterReading).where(MeterReading.read_on == date(2026, 9, 30))
    )
    assert sorted((row.index_m3, row.kind) for row in rows) == [(501, "estime"), (510, "releve")]


async def test_wrong_header_is_refused_whole(runtime: Runtime) -> None:
    with pytest.raises(ImportFileError, match="header"):
        await runtime.billing_imports.import_invoices(io.StringIO(READINGS + "1,2,3,4,5\n"))


async def test_export_writes_only_the_customers_own_readings(runtime: Runtime) -> None:
    text = READINGS + "1234567,A12B345678,2026-11-02,499,autoreleve\n"
    text += "7654321,K09C112233,2026-09-01,1100,autoreleve\n"
    text += "7654321,K09C112233,2026-11-03,1120,teleleve\n"
    await runtime.billing_imports.import_readings(io.StringIO(text))
    output = io.StringIO()
    count = await runtime.billing_imports.export_readings(date(2026, 10, 1), output)
    assert count == 1
    assert output.getvalue() == READINGS + "1234567,A12B345678,2026-11-02,499,autoreleve\n"
    reread = await runtime.billing_imports.import_readings(io.StringIO(output.getvalue()))
    assert reread.written == 1 and reread.skipped == 0  # the export reads back as an import


def test_billing_commands(tmp_path: Path) -> None:
    env = {
        "KIOSK_DATA_DIR": str(tmp_path / "data"),
        "KIOSK_SECRET_KEY": TEST_SECRET_KEY,
        "PATH": "/usr/bin:/bin",
    }
    invoices = tmp_path / "invoices.csv"
    invoices.write_text(INVOICES + GOOD_INVOICE + "\n1234567,BAD,x\n", encoding="utf-8")
    readings = tmp_path / "readings.csv"
    readings.write_text(READINGS + "1234567,A12B345678,2026-11-02,499,autoreleve\n")

    def kiosk(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "kiosk", *args],
            env=env,
            text=True,
            capture_output=True,
            check=False,
        )

    result = kiosk("import-invoices", str(invoices))
    assert result.returncode == 1
    assert "1 row(s) written, 1 skipped" in result.stdout and "line 3" in result.stdout
    assert kiosk("import-readings", str(readings)).returncode == 0
    exported = kiosk("export-readings", "--since", "2026-11-01")
    assert exported.returncode == 0
    assert exported.stdout == READINGS + "1234567,A12B345678,2026-11-02,499,autoreleve\n"
    target = tmp_path / "out.csv"
    assert (
        kiosk("export-readings", "--since", "2026-11-03", "--output", str(target)).returncode == 0
    )
    assert target.read_text() == READINGS
    bad_date = kiosk("export-readings", "--since", "03/11/2026")
    assert bad_date.returncode == 2 and "YYYY-MM-DD" in bad_date.stderr
