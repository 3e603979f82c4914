"""The directories of people and of organisations: a search box, facets with counts, one page of
results; everything in the query string, so a search is a link to share."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from filiere.ui.page_cache import public_page
from filiere.ui.pagination import page_nav

from . import selectors_directory
from .forms_directory import OrganisationSearchForm, PeopleSearchForm
from .selectors_directory import DirectoryResults
from .visibility import visible_fields


def _page(request: HttpRequest, results: DirectoryResults) -> Page[Any]:
    paginator = Paginator(results.rows, settings.FILIERE_DIRECTORY_PAGE_SIZE)
    # Counted with the facets already: the paginator does not count again.
    paginator.count = results.total
    # get_page() turns page=abc into the first page and page=999 into the last one.
    return paginator.get_page(request.GET.get("page"))


def _is_partial(request: HttpRequest) -> bool:
    htmx = getattr(request, "htmx", None)
    return bool(htmx and not htmx.history_restore_request)


def _search_page(
    request: HttpRequest,
    template: str,
    form: PeopleSearchForm | OrganisationSearchForm,
    results: DirectoryResults,
    label: str,
) -> tuple[Page[Any], Callable[[], HttpResponse]]:
    """The search form, its facets (legends from the form) and one page of results; an htmx
    request gets the results and, out of band, the facets with their new counts."""
    page = _page(request, results)
    results.describe(page.object_list)
    partial = _is_partial(request)
    context = {
        "form": form,
        "page": page,
        "nav": page_nav(request.GET, "page", page, label),
        "facets": [(form.fields[facet.name].label, facet) for facet in results.facets],
        "oob": partial,
        "clear_url": request.path,
    }
    return page, lambda: render(request, template + ("#results" if partial else ""), context)


@public_page("directory", params=("q", "page", *PeopleSearchForm.facet_names))
def directory(request: HttpRequest) -> HttpResponse:
    # permission: public; lists only the profiles the viewer may see (permissions.visibility_q),
    # and searches, filters, counts and shows only the fields the viewer may see (field_access)
    form = PeopleSearchForm(request.GET)
    results = selectors_directory.search_people(request.user, form.search())
    page, respond = _search_page(
        request, "community/directory.html", form, results, _("Pages of the directory")
    )
    for person in page.object_list:
        person.shown = visible_fields(person, request.user)
    return respond()


@public_page("directory", params=("q", "page", *OrganisationSearchForm.facet_names))
def organisations(request: HttpRequest) -> HttpResponse:
    # permission: public (organisations are public; members are not listed here)
    form = OrganisationSearchForm(request.GET)
    results = selectors_directory.search_organisations(form.search())
    _page_shown, respond = _search_page(
        request, "community/organisations.html", form, results, _("Pages of organisations")
    )
    return respond()
