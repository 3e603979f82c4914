"""The payments ledger as files for the finance department: CSV (UTF-8 with a BOM, ``;`` as
Excel in French expects) and XLSX (openpyxl, amounts as numbers with two decimals)."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from decimal import Decimal

from django.utils.translation import gettext as _
from openpyxl import Workbook

from .selectors_payments import LedgerRow


def _header(cofunders: Sequence[str]) -> list[str]:
    return [
        _("Date paid"),
        _("Fund"),
        _("Call"),
        _("Application"),
        _("Beneficiary"),
        _("SIRET / SIREN / BCE"),
        _("Tranche"),
        _("Amount paid (EUR)"),
        _("Fund's part (EUR)"),
        *[_("Part of %(cofunder)s (EUR)") % {"cofunder": name} for name in cofunders],
    ]


def _cells(row: LedgerRow, cofunders: Sequence[str]) -> list[object]:
    return [
        row.paid_on,
        row.fund,
        row.call,
        row.reference,
        row.organisation,
        row.company_id,
        row.tranche_label,
        row.amount,
        row.fund_part,
        *[row.cofunders.get(name, Decimal(0)) for name in cofunders],
    ]


def _cofunders(rows: Sequence[LedgerRow]) -> list[str]:
    return sorted({name for row in rows for name in row.cofunders})


def ledger_csv(rows: Sequence[LedgerRow]) -> bytes:
    cofunders = _cofunders(rows)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(_header(cofunders))
    for row in rows:
        writer.writerow(
            [c.isoformat() if hasattr(c, "isoformat") else c for c in _cells(row, cofunders)]
        )
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def ledger_xlsx(rows: Sequence[LedgerRow]) -> bytes:
    cofunders = _cofunders(rows)
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = _("Payments")[:31]
    sheet.append(_header(cofunders))
    for row in rows:
        cells = _cells(row, cofunders)
        sheet.append([float(c) if isinstance(c, Decimal) else c for c in cells])
    money_columns = range(8, 10 + len(cofunders))
    for line in sheet.iter_rows(min_row=2):
        line[0].number_format = "yyyy-mm-dd"
        for index in money_columns:
            line[index - 1].number_format = "#,##0.00"
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
