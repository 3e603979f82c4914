"""Organisations: ``/api/v1/organisations`` and ``/api/v1/organisations/{slug}``.

Organisations are public. An organisation's ``members`` are only the people whose profile the
caller may see (the directory's rules), so a private profile never appears there; no member
count is given, as it would reveal that hidden profiles exist.
"""

from datetime import date
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from filiere.community import selectors, selectors_directory
from filiere.community.models import Affiliation, Organisation, OrganisationKind
from filiere.community.selectors_directory import MAX_QUERY_LENGTH, ORGANISATION_FACETS

from .auth import OPTIONAL
from .directory import each_one_of, results_page, search_of, with_facets
from .errors import DETAIL_ERRORS, READ_ERRORS
from .pagination import PageQuery
from .reference import CommuneRef, SectorOut, TerritoryRef

router = Router(tags=["organisations"])


class OrganisationOut(Schema):
    slug: str
    name: str
    kind: str
    kind_label: str
    country: str
    website: str
    territory: TerritoryRef | None
    seat_commune: CommuneRef | None
    sectors: list[SectorOut]

    @staticmethod
    def resolve_kind_label(organisation: Organisation) -> str:
        return str(organisation.get_kind_display())


class PersonRef(Schema):
    slug: str
    first_name: str
    last_name: str
    display_name: str
    headline: str


class MemberOut(Schema):
    person: PersonRef
    role: str
    role_label: str
    title: str
    start_date: date | None
    end_date: date | None
    is_current: bool

    @staticmethod
    def resolve_role_label(affiliation: Affiliation) -> str:
        return str(affiliation.get_role_display())


class OrganisationDetailOut(OrganisationOut):
    description: str
    siren: str
    siret: str
    bce_number: str
    rna: str
    naf_code: str
    naf_label: str
    nace_code: str = Field(description="Belgian activity code (NACE-BEL), e.g. `59.111`.")
    members: list[MemberOut] = Field(
        description="Current and past members whose profile the caller may see."
    )

    @staticmethod
    def resolve_members(organisation: Organisation) -> list[Affiliation]:
        # Prefetched (to_attr) by selectors.get_organisation_for_viewer: not a model attribute.
        return organisation.visible_members  # type: ignore[attr-defined]


class OrganisationsQuery(PageQuery):
    q: str = Field(
        "",
        max_length=MAX_QUERY_LENGTH,
        description=(
            "Words to find in the name, description, skills (three languages and synonyms) or "
            "sectors; every word must match (on PostgreSQL, stemmed in French, English or "
            "Dutch). With words, rows come by relevance; without, by name."
        ),
    )
    skill: list[str] = Field(
        [],
        description="Skills' slugs; a domain also matches its narrower skills.",
        json_schema_extra=each_one_of(lambda: selectors.skills().values_list("slug", flat=True)),
    )
    sector: list[str] = Field(
        [],
        description="Sectors' slugs, e.g. `video-games`.",
        json_schema_extra=each_one_of(lambda: selectors.sectors().values_list("slug", flat=True)),
    )
    territory: list[str] = Field(
        [],
        description="Territories' codes, e.g. `wallonia`.",
        json_schema_extra=each_one_of(
            lambda: selectors.territories().values_list("code", flat=True)
        ),
    )
    kind: list[str] = Field(
        [],
        description="e.g. `company`, `research_lab`, `school`.",
        json_schema_extra=each_one_of(lambda: OrganisationKind.values),
    )


@router.get(
    "",
    response={200: with_facets(OrganisationOut), **READ_ERRORS},
    auth=OPTIONAL,
    summary="Search organisations",
    description=(
        "Organisations matching `q` and every facet given (a facet repeated matches either "
        "value), by relevance with `q`, else by name; `facets` gives each facet's values with "
        "their count, the other facets applied. "
        "Unknown parameters or filter values are refused (422)."
    ),
)
def list_organisations(request: HttpRequest, query: Query[OrganisationsQuery]) -> dict[str, Any]:
    # permission: public (organisations are public; no people are listed here)
    search = search_of(request, query, OrganisationsQuery, ORGANISATION_FACETS)
    return results_page(request, selectors_directory.search_organisations(search), query)


@router.get(
    "/{slug}",
    response={200: OrganisationDetailOut, **DETAIL_ERRORS},
    auth=OPTIONAL,
    summary="One organisation with its members",
)
def organisation_detail(request: HttpRequest, slug: str) -> Organisation:
    # permission: public; its members are listed only when the caller may see their profile
    return selectors.get_organisation_for_viewer(request.user, slug)
