"""What the people and organisations lists share: the directory's search (``q``, facets with
several values each, ``?skill=a&skill=b``) and its ``facets`` block (each value with its label
and its count, the other facets applied), as on the pages (``community.selectors_directory``).
"""

from collections.abc import Callable, Iterable, Sequence
from typing import Any, overload

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Schema

from filiere.community.selectors_directory import (
    DirectoryResults,
    DirectorySearch,
    Facet,
    known_values,
)

from .filters import check_filters, one_of
from .pagination import Page, PageQuery, page_of, paginate


class FacetValueOut(Schema):
    value: str
    label: str
    count: int
    selected: bool
    depth: int


class FacetOut(Schema):
    name: str
    values: list[FacetValueOut]


def each_one_of(values: Callable[[], Iterable[str]]) -> Callable[[dict[str, Any]], None]:
    """``json_schema_extra`` of a repeated parameter: each item is one of ``values()``."""
    mark = one_of(values)

    def extra(schema: dict[str, Any]) -> None:
        mark(schema.setdefault("items", {"type": "string"}))

    return extra


def search_of(
    request: HttpRequest, query: PageQuery, schema: type[Schema], facets: Iterable[str]
) -> DirectorySearch:
    """The search in ``query``; refuses unknown parameters and values naming nothing (422, one
    message per parameter; one query per facet given)."""
    chosen = {name: tuple(getattr(query, name)) for name in facets if getattr(query, name)}
    checks: dict[str, tuple[str | None, QuerySet[Any] | list[str], str]] = {}
    for name, values in chosen.items():
        known = known_values(name, values)
        unknown = next((value for value in values if value not in known), None)
        checks[name] = (unknown, sorted(known), "")
    check_filters(request, schema, checks)
    return DirectorySearch(q=getattr(query, "q", ""), chosen=chosen)


def with_facets(item: type[Schema]) -> type[Page]:
    """The page of ``item`` rows with the ``facets`` block (named as the plain page would be:
    each list has one)."""
    page = page_of(item)
    return type(
        page.__name__,
        (page,),
        {"__annotations__": {"facets": list[FacetOut]}},
    )


class _Counted(Sequence[Any]):
    """The rows of a search, counted already with its facets: paging reads only its slice
    (no second count)."""

    def __init__(self, results: DirectoryResults):
        self.results = results

    def __len__(self) -> int:
        return self.results.total

    @overload
    def __getitem__(self, index: int) -> Any: ...
    @overload
    def __getitem__(self, index: slice) -> list[Any]: ...
    def __getitem__(self, index: int | slice) -> Any:
        if isinstance(index, slice):
            rows = list(self.results.rows[index])
            self.results.describe(rows)
            return rows
        row = self.results.rows[index]
        self.results.describe([row])
        return row


def results_page(
    request: HttpRequest, results: DirectoryResults, query: PageQuery
) -> dict[str, Any]:
    return paginate(request, _Counted(results), query) | {
        "facets": [_facet(facet) for facet in results.facets]
    }


def _facet(facet: Facet) -> dict[str, Any]:
    return {"name": facet.name, "values": [value.__dict__ for value in facet.values]}
