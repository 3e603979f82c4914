"""A pair's "why" as the staff read it (``{% load review_bids %}``): the expert's bid, stored in
``Assignment.why`` as ``bid:<value>`` next to the matching keywords, in the reader's language.

    {{ pair.why|why_terms|join:", " }}
"""

from __future__ import annotations

from django import template
from django.utils.translation import gettext as _

from ..models import BID_MARK, BidValue

register = template.Library()


@register.filter
def why_terms(why: list[str] | None) -> list[str]:
    """The keywords as they are, the bid as a sentence ("bid: Eager to review it")."""
    terms = []
    for term in why or []:
        value = term[len(BID_MARK) :] if term.startswith(BID_MARK) else None
        if value in BidValue.values:
            terms.append(_("bid: %(bid)s") % {"bid": BidValue(value).label})
        else:
            terms.append(term)
    return terms
