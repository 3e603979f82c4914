"""The showcase of funded works: ``GET /api/v1/showcase`` and ``/api/v1/showcase/{slug}``,
public. Only published pages of funded projects (``filiere.showcase``); the genre, year,
territory, team (organisations, never people), award and status come from the platform's
records."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from filiere.calls.models import Genre
from filiere.community.models import Territory
from filiere.showcase import selectors
from filiere.showcase.access import published_entry
from filiere.showcase.funded_by import mention
from filiere.showcase.models import Entry

from .auth import OPTIONAL
from .errors import DETAIL_ERRORS, READ_ERRORS, invalid_input
from .filters import items_one_of, reject_unknown_parameters
from .pagination import PageQuery, page_of, paginate

router = Router(tags=["showcase"])


class LinkOut(Schema):
    url: str
    label: str


class ImageOut(Schema):
    url: str
    alt: str
    width: int
    height: int


class ShowcaseOut(Schema):
    slug: str
    url: str
    title: str
    summary: str
    fund: str
    call: str
    genre: str
    year: int
    territory: str
    amount_awarded: Decimal
    #: ``in_progress`` or ``completed`` (the agreement is closed).
    project_status: str
    published_at: datetime
    images: list[ImageOut]


class ShowcaseDetailOut(ShowcaseOut):
    #: The applicant organisation, then the accepted partners' organisations.
    team: list[str]
    links: list[LinkOut]
    credit: str
    funded_by: str


class ShowcaseQuery(PageQuery):
    q: str = Field(
        "", max_length=200, description="Words, each found in the title, summary or organisation."
    )
    genre: list[str] = Field(
        default_factory=list,
        description="Genres' codes (any of them).",
        json_schema_extra=items_one_of(lambda: Genre.objects.values_list("code", flat=True)),
    )
    year: list[Annotated[int, Field(ge=1000, le=9999)]] = Field(
        default_factory=list, description="Years of the calls (any of them)."
    )
    territory: list[str] = Field(
        default_factory=list,
        description="Territories' codes (any of them).",
        json_schema_extra=items_one_of(lambda: Territory.objects.values_list("code", flat=True)),
    )


def _row(request: HttpRequest, entry: Entry, images: list[Any]) -> dict[str, Any]:
    facts = selectors.facts(entry.application)
    assert entry.published_at is not None
    return {
        "slug": entry.slug,
        "url": request.build_absolute_uri(reverse("showcase:project", args=[entry.slug])),
        "title": entry.published_title,
        "summary": entry.published_summary,
        "fund": facts.fund,
        "call": facts.call,
        "genre": facts.genre,
        "year": facts.year,
        "territory": facts.territory,
        "amount_awarded": facts.amount,
        "project_status": "completed" if facts.completed else "in_progress",
        "published_at": entry.published_at,
        "images": [
            {
                "url": request.build_absolute_uri(reverse("showcase:image", args=[image.pk])),
                "alt": image.alt,
                "width": image.width,
                "height": image.height,
            }
            for image in images
        ],
    }


@router.get(
    "",
    response={200: page_of(ShowcaseOut), **READ_ERRORS},
    auth=OPTIONAL,
    summary="Showcase of funded works",
    description=(
        "The published pages of funded projects, newest first, searched by words and filtered "
        "by genre, year and territory (each may be repeated: any of the values). Unknown "
        "parameters, genres or territories are refused (422)."
    ),
)
def list_showcase(request: HttpRequest, query: Query[ShowcaseQuery]) -> dict[str, Any]:
    # permission: public; published entries of funded projects only (published_entries)
    reject_unknown_parameters(request, ShowcaseQuery)
    # A known genre or territory without a published page, or a year without one, finds none.
    fields = {}
    for name, values, model in (
        ("genre", query.genre, Genre),
        ("territory", query.territory, Territory),
    ):
        known = set(model.objects.filter(code__in=values).values_list("code", flat=True))
        unknown = [value for value in values if value not in known]
        if unknown:
            fields[name] = [_("Unknown value “%(value)s”.") % {"value": v} for v in unknown]
    if fields:
        raise invalid_input(fields)
    rows = selectors.gallery(
        words=query.q, genres=query.genre, years=query.year, territories=query.territory
    )
    page = paginate(request, rows, query)
    return {
        **page,
        "results": [_row(request, e, e.public_images) for e in page["results"]],
    }


@router.get(
    "/{slug}",
    response={200: ShowcaseDetailOut, **DETAIL_ERRORS},
    auth=OPTIONAL,
    summary="One funded project's showcase page",
)
def showcase_detail(request: HttpRequest, slug: str) -> dict[str, Any]:
    # permission: public; a published entry of a funded project (published_entry: 404)
    entry = published_entry(slug)
    images = [i for i in selectors.entry_images(entry, published=True) if i.scan_status == "clean"]
    facts = selectors.facts(entry.application)
    return {
        **_row(request, entry, images),
        "team": selectors.team_organisations(entry.application),
        "links": [
            {"url": link["url"], "label": link.get("label", "")} for link in entry.published_links
        ],
        "credit": entry.published_credit,
        "funded_by": mention(facts.fund),
    }
