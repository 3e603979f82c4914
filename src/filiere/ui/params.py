"""Numbers read from a request (a page, an id in a form or a query string)."""

from __future__ import annotations

#: Digits a bigint id holds: more cannot name a row (and Python refuses to read 4,300+).
MAX_ID_DIGITS = 18


def as_id(value: str | None) -> int | None:
    """``value`` as a positive whole number, or ``None`` when it is not one. ``str.isdigit``
    alone accepts "²" and other digits ``int`` refuses: only ASCII digits pass."""
    if value and value.isascii() and value.isdigit() and len(value) <= MAX_ID_DIGITS:
        return int(value)
    return None
