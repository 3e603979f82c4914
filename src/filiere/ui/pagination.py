"""The navigation of a paged table, shared by the staff's and the committee's lists: the links
built here, the markup in ``ui/pagination.html`` (``{% include "ui/pagination.html" with
nav=... %}``)."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Page
from django.http import QueryDict


def page_nav(
    query: QueryDict, key: str, page: Page[Any], label: str, anchor: str = ""
) -> dict[str, Any]:
    """The links of a paged table (first, previous, next, last), each keeping the rest of
    ``query`` (the filters and the other tables' pages); ``label`` names the navigation for
    screen readers, ``anchor`` the table the links return to."""

    def link(number: int) -> str:
        moved = query.copy()
        moved[key] = str(number)
        return "?" + moved.urlencode()

    last = page.paginator.num_pages
    return {
        "label": label,
        "page": page,
        "anchor": f"#{anchor}" if anchor else "",
        "first": link(1) if page.number > 2 else "",
        "previous": link(page.number - 1) if page.has_previous() else "",
        "next": link(page.number + 1) if page.has_next() else "",
        "last": link(last) if page.number < last - 1 else "",
    }
