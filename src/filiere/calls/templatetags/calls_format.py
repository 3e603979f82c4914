"""Template filters of the calls app, in the reader's language (all through ``calls.phrases``):
amounts, percentages, moments, phases, budget chapters."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from django import template

from .. import phrases
from ..models import Call

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

register = template.Library()


@register.filter
def eur(value: Decimal | int | None) -> str:
    """``1 400 000 €`` / ``€1,400,000`` / ``€ 1.400.000`` per the active language."""
    return phrases.format_money(value)


@register.filter
def percent(value: Decimal | int | float | None) -> str:
    return phrases.format_percent(value)


@register.filter
def moment(value: datetime | None) -> str:
    """A date and time to the second in Europe/Paris, with the zone's abbreviation."""
    return phrases.format_datetime(value)


@register.filter
def phase_label(value: str) -> StrOrPromise:
    try:
        return Call.Phase(value).label
    except ValueError:
        return value


@register.filter
def chapter_label(code: str) -> StrOrPromise:
    return phrases.BUDGET_CHAPTERS.get(code, code)
