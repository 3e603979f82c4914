"""Input of the award commands (tranches, spend, de-minimis): rows, amounts, flags, dates.

Rows come from a CSV file with a header line or, when the name ends in ``.jsonl``, from JSON
Lines (one object per line, the same keys as the CSV columns). Amounts are plain decimal numbers
with a dot and at most two decimals (``1400000.50``): these files are written by programs, so the
thousands separators people type are refused rather than guessed.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from filiere.engine.awards import AwardsError
from filiere.engine.cli.errors import InputError
from filiere.engine.cli.io import read_csv, read_jsonl

TRUE = frozenset({"1", "true", "yes", "oui", "ja"})
FALSE = frozenset({"0", "false", "no", "non", "nee"})


def read_rows(path: str, required: Sequence[str]) -> Iterator[tuple[int, dict[str, str]]]:
    """(line, row) from a CSV or ``.jsonl`` file; every value as text (``""`` when missing)."""
    if not path.lower().endswith(".jsonl"):
        yield from read_csv(path, required)
        return
    for line, item in read_jsonl(path):
        missing = [name for name in required if name not in item]
        if missing:
            raise InputError(path, f"missing key(s) {', '.join(missing)}", line=line)
        yield line, {key: _text(value) for key, value in item.items()}


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def amount(
    where: str, raw: str | None, *, line: int | None = None, field: str | None = None
) -> Decimal:
    """A non-negative amount in euros with at most two decimals."""
    text = (raw or "").strip()
    if not text:
        raise InputError(where, "an amount is required", line=line, field=field)
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise InputError(where, f"'{text}' is not an amount", line=line, field=field) from None
    if not value.is_finite():
        raise InputError(where, f"'{text}' is not an amount", line=line, field=field)
    if value < 0:
        raise InputError(where, "must not be negative", line=line, field=field)
    if value != value.quantize(Decimal("0.01"), rounding="ROUND_DOWN"):
        raise InputError(where, "at most two decimals (cents)", line=line, field=field)
    return value


def decimal(
    where: str, raw: str | None, *, line: int | None = None, field: str | None = None
) -> Decimal:
    """A finite decimal number (a share, a ratio)."""
    text = (raw or "").strip()
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise InputError(where, f"'{text}' is not a number", line=line, field=field) from None
    if not value.is_finite():
        raise InputError(where, f"'{text}' is not a number", line=line, field=field)
    return value


def flag(where: str, raw: str | None, *, line: int, field: str) -> bool:
    text = (raw or "").strip().lower()
    if text in TRUE:
        return True
    if text in FALSE:
        return False
    raise InputError(where, f"'{raw}' is not true or false", line=line, field=field)


def iso_date(
    where: str, raw: str | None, *, line: int | None = None, field: str | None = None
) -> date:
    text = (raw or "").strip()
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InputError(
            where, f"'{text}' is not a date (YYYY-MM-DD)", line=line, field=field
        ) from None


def refused(
    where: str, error: AwardsError, *, line: int | None = None, field: str | None = None
) -> InputError:
    """An engine refusal as a CLI input error that keeps the code and its parameters."""
    params = ", ".join(f"{key}={value}" for key, value in sorted(error.params.items()))
    message = error.code + (f" ({params})" if params else "")
    return InputError(where, message, line=line, field=field)


def money_text(value: Decimal) -> str:
    """An amount in the summary: a string with two decimals (JSON numbers would be floats)."""
    return str(value.quantize(Decimal("0.01")))
