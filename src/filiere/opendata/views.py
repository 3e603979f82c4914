"""The dataset page and the two files, public: the awards are published for everyone.

The files answer at stable addresses (``/open-data/scdl-subventions.csv``,
``/open-data/360giving.json``; one fund with ``?fund=<slug>``) with their content type, an ETag
and Last-Modified (a conditional request answers 304 from one query) and a public cache period.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, render
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date
from django.views.decorators.http import require_safe

from filiere.calls.models import Fund
from filiere.ui.page_cache import public_page

from . import publication, schemas
from .publisher import LICENCE_NAME, LICENCE_URL, publisher
from .selectors import publication_stamp, published_funds

MAX_AGE = 10 * 60  # harvesters revalidate with the ETag after that


@require_safe
@public_page("opendata")
def dataset(request: HttpRequest) -> HttpResponse:
    # permission: public; the published awards' files and their documentation
    funds = [
        {
            "fund": fund,
            "scdl": publication.file_url(publication.SCDL, fund),
            "giving": publication.file_url(publication.GIVING, fund),
        }
        for fund in published_funds()
    ]
    context = {
        "stamp": publication_stamp(),
        "publisher": publisher(),
        "licence_name": LICENCE_NAME,
        "licence_url": LICENCE_URL,
        "scdl_url": publication.file_url(publication.SCDL),
        "giving_url": publication.file_url(publication.GIVING),
        "funds": funds,
        "scdl_fields": schemas.scdl_fields(),
        "giving_fields": schemas.giving_fields(),
    }
    return render(request, "opendata/dataset.html", context)


def _fund(request: HttpRequest) -> Fund | None:
    slug = request.GET.get("fund")
    if slug is None:
        return None
    return get_object_or_404(Fund, slug=slug)  # an unknown fund: 404, not an empty file


def _file(request: HttpRequest, kind: str) -> HttpResponseBase:
    version = publication.file_version(kind, _fund(request))
    modified = int(version.last_modified.timestamp()) if version.last_modified else None
    response: HttpResponseBase | None = get_conditional_response(
        request, etag=version.etag, last_modified=modified
    )
    if response is None:
        response = HttpResponse(publication.file_content(version), content_type=version.media_type)
        response["Content-Disposition"] = f'inline; filename="{version.filename}"'
    response["ETag"] = version.etag
    if modified is not None:
        response["Last-Modified"] = http_date(modified)
    response["Access-Control-Allow-Origin"] = "*"  # open data: readable from any web page
    patch_cache_control(response, public=True, max_age=MAX_AGE)
    return response


@require_safe
def scdl_file(request: HttpRequest) -> HttpResponseBase:
    # permission: public; the SCDL subventions CSV of all funds, or of one (?fund=<slug>)
    return _file(request, publication.SCDL)


@require_safe
def giving_file(request: HttpRequest) -> HttpResponseBase:
    # permission: public; the 360Giving JSON package of all funds, or of one (?fund=<slug>)
    return _file(request, publication.GIVING)
