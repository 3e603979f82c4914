"""Template filters of the applying pages: amounts, dates and engine codes in the reader's
language (all through ``calls.phrases``)."""

from django import template

from .. import phrases

register = template.Library()


@register.filter
def money(value):
    return phrases.format_money(value)


@register.filter
def when(value):
    return phrases.format_datetime(value)


@register.filter
def chapter_label(code):
    return phrases.BUDGET_CHAPTERS.get(code, code)
