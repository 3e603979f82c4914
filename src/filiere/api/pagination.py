"""The API's pagination convention, shared by every list operation.

Request: ``?page=`` (from 1, default 1) and ``?page_size=`` (from 1, default and maximum
``settings.FILIERE_API_PAGE_SIZE``). A ``page_size`` above the maximum is *clamped* to it (the
answer's ``page_size`` says which size was applied); ``page`` or ``page_size`` below 1, above
``MAX_PAGE`` or not a whole number is refused with 422 ``invalid_input``.

Answer::

    {"count": 132, "page": 2, "page_size": 50,
     "next": "https://…/api/v1/people?page=3&sector=animation",
     "previous": "https://…/api/v1/people?page=1&sector=animation",
     "results": [...]}

``count`` is the number of rows the caller may see across all pages. A page past the last one is
answered with an empty ``results`` (200, not 404), ``next`` null, and ``previous`` pointing to
the last page that has rows. ``next``/``previous`` keep the other query parameters.

Usage in an operation::

    class PeopleQuery(PageQuery):
        q: str = ""

    @router.get("", response={200: page_of(PersonOut), **READ_ERRORS}, ...)
    def list_people(request, query: Query[PeopleQuery]):
        return paginate(request, selectors.search_people(...), query)
"""

import math
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Schema

from .filters import not_null

# Past this page number the request is refused: it can only be a mistake.
MAX_PAGE = 100_000


class PageQuery(Schema):
    page: int = Field(1, ge=1, le=MAX_PAGE, description="Page number, from 1.")
    page_size: int | None = Field(
        None,
        ge=1,
        description=(
            "Rows per page. Default and maximum: the platform's API page size (50); "
            "a larger value is clamped to it."
        ),
        json_schema_extra=not_null,
    )


class Page(Schema):
    count: int
    page: int
    page_size: int
    next: str | None
    previous: str | None
    results: list[Any]


_page_schemas: dict[type, type[Page]] = {}


def page_of(item: type[Schema]) -> type[Page]:
    """The page schema for ``item`` rows (``PersonOut`` → ``PersonOutPage``), made once."""
    if item not in _page_schemas:
        # A class made at run time for pydantic: mypy cannot check a type held in a variable.
        results = list[item]  # type: ignore[valid-type]
        _page_schemas[item] = type(
            f"{item.__name__}Page", (Page,), {"__annotations__": {"results": results}}
        )
    return _page_schemas[item]


def applied_page_size(requested: int | None) -> int:
    maximum = settings.FILIERE_API_PAGE_SIZE
    return maximum if requested is None else min(requested, maximum)


def _link(request: HttpRequest, page: int) -> str:
    query = request.GET.copy()
    query["page"] = str(page)
    return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")


def paginate(
    request: HttpRequest, rows: QuerySet | Sequence[Any], query: PageQuery
) -> dict[str, Any]:
    """One page of ``rows`` (ordered) in the shape above: for a queryset, two queries (a count
    and a slice); a list already read (filtered in Python) is sliced as it is."""
    size = applied_page_size(query.page_size)
    count = rows.count() if isinstance(rows, QuerySet) else len(rows)
    last = max(1, math.ceil(count / size))
    offset = (query.page - 1) * size
    results = list(rows[offset : offset + size]) if offset < count else []
    previous = min(query.page - 1, last) if query.page > 1 else None
    return {
        "count": count,
        "page": query.page,
        "page_size": size,
        "next": _link(request, query.page + 1) if query.page < last else None,
        "previous": _link(request, previous) if previous else None,
        "results": results,
    }
