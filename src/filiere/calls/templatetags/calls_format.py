"""Template filters of the calls app, in the reader's language (all through ``calls.phrases``):
amounts, percentages, moments, phases, budget chapters."""

from django import template

from .. import phrases
from ..models import Call

register = template.Library()


@register.filter
def eur(value):
    """``1 400 000 €`` / ``€1,400,000`` / ``€ 1.400.000`` per the active language."""
    return phrases.format_money(value)


@register.filter
def percent(value):
    return phrases.format_percent(value)


@register.filter
def moment(value):
    """A date and time to the second in Europe/Paris, with the zone's abbreviation."""
    return phrases.format_datetime(value)


@register.filter
def phase_label(value):
    try:
        return Call.Phase(value).label
    except ValueError:
        return value


@register.filter
def chapter_label(code):
    return phrases.BUDGET_CHAPTERS.get(code, code)
