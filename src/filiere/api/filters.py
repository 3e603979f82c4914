"""Strict query parameters for list operations: unknown names and unknown values are refused.

A web page may quietly ignore a filter it does not know; an API client is better served by a
422 that names the mistake than by an unfiltered list that looks like an answer. Both checks
raise ``invalid_input`` (see ``errors``) with a message per offending parameter.

A filter over a closed set of values (territory codes, sector slugs, organisation kinds...) is
declared ``str | None = Field(None, json_schema_extra=one_of(...))``: absent means "any", the
OpenAPI document lists the accepted values as the parameter's ``enum`` (read when the document
is served, as they are rows of reference tables: ``fill_enums``), and any other value, the empty
one included, is refused by ``check_filters``.
"""

from collections.abc import Callable, Iterable
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Schema

from .errors import invalid_input


def not_null(schema: dict[str, Any]) -> None:
    """``json_schema_extra`` of an optional query parameter (``X | None = None``): a query string
    has no null, the parameter is simply absent, so the document says ``X`` only."""
    branches = [b for b in schema.pop("anyOf", []) if b.get("type") != "null"]
    if len(branches) == 1:
        schema.update(branches[0])


#: Value sources of closed filters, by the marker ``one_of`` leaves in the document.
_VALUE_SOURCES: dict[str, Callable[[], Iterable[str]]] = {}
_MARKER = "x-filiere-values"


def _register(values: Callable[[], Iterable[str]]) -> str:
    key = f"values-{len(_VALUE_SOURCES)}"
    _VALUE_SOURCES[key] = values
    return key


def one_of(values: Callable[[], Iterable[str]]) -> Callable[[dict[str, Any]], None]:
    """``json_schema_extra`` that lists ``values()`` as the parameter's enum (empty while the
    table is: every value is then refused).

    The values are rows of reference tables: the schema only gets a marker here, and
    ``fill_enums`` reads the rows when the document is served, so that building the operations
    (at import, or to list the routes) never touches the database."""
    key = _register(values)

    def extra(schema: dict[str, Any]) -> None:
        not_null(schema)
        schema[_MARKER] = key

    return extra


def items_one_of(values: Callable[[], Iterable[str]]) -> Callable[[dict[str, Any]], None]:
    """``one_of`` for a repeated parameter (``list[str]``): each item is one of ``values()``."""
    key = _register(values)

    def extra(schema: dict[str, Any]) -> None:
        schema.setdefault("items", {})[_MARKER] = key

    return extra


def fill_enums(node: Any) -> None:
    """Replace every ``one_of`` marker of an OpenAPI document by the enum of current values."""
    if isinstance(node, dict):
        key = node.pop(_MARKER, None)
        if key is not None:
            node["enum"] = sorted(_VALUE_SOURCES[key]())
        for value in node.values():
            fill_enums(value)
    elif isinstance(node, list):
        for value in node:
            fill_enums(value)


def check_filters(
    request: HttpRequest,
    schema: type[Schema],
    values: dict[str, tuple[str | None, QuerySet | list[str], str]],
) -> None:
    """Refuse query parameters that ``schema`` does not declare (``?sectors=`` for ``sector``),
    and filter values that name nothing: ``{"sector": (value, Sector.objects.all(), "slug")}``
    (or, with a list of choices instead of a queryset, ``(value, ["company", ...], "")``).
    Every mistake is reported at once; one query per value given."""
    fields = {}
    for name in sorted(set(request.GET) - set(schema.model_fields)):
        fields[name] = [_("Unknown parameter.")]
    for name, (value, known, lookup) in values.items():
        if value is not None and not _known(value, known, lookup):
            fields[name] = [_unknown_value(value)]
    if fields:
        raise invalid_input(fields)


def _known(value: str, known: QuerySet | list[str], lookup: str) -> bool:
    if isinstance(known, list):
        return value in known
    return known.filter(**{lookup: value}).exists()


def _unknown_value(value: str) -> str:
    return _("Unknown value “%(value)s”.") % {"value": value}


def reject_unknown_parameters(request: HttpRequest, schema: type[Schema]) -> None:
    """Only the first half of ``check_filters``: unknown parameter names."""
    check_filters(request, schema, {})


def reject_unknown_values(
    values: dict[str, tuple[str | None, QuerySet | list[str], str]],
) -> None:
    """Only the second half of ``check_filters``: values that name nothing."""
    fields = {}
    for name, (value, known, lookup) in values.items():
        if value is not None and not _known(value, known, lookup):
            fields[name] = [_unknown_value(value)]
    if fields:
        raise invalid_input(fields)
