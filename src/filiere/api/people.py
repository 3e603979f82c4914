"""People of the directory: ``/api/v1/people`` and ``/api/v1/people/{slug}``.

The same rules as the directory pages, through the same selectors: an anonymous caller sees the
public profiles, a member (API token or session) the members-only ones too, the staff every
profile. A profile hidden from the caller is absent from the list and from its ``count``, and its
detail answers the same 404 as a slug that does not exist.
"""

from datetime import date
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from filiere.community import selectors
from filiere.community.forms import MAX_QUERY_LENGTH
from filiere.community.models import Affiliation, OrganisationKind, Person
from filiere.community.selectors import PeopleFilters

from .auth import OPTIONAL
from .errors import DETAIL_ERRORS, READ_ERRORS
from .filters import check_filters, one_of
from .pagination import PageQuery, page_of, paginate
from .reference import ProfessionOut, SectorOut, TerritoryRef

router = Router(tags=["people"])


class SkillOut(Schema):
    slug: str
    name: str


class OrganisationRef(Schema):
    slug: str
    name: str
    kind: str


class CurrentAffiliationOut(Schema):
    organisation: OrganisationRef
    role: str
    role_label: str
    title: str

    @staticmethod
    def resolve_role_label(affiliation: Affiliation) -> str:
        return str(affiliation.get_role_display())


class AffiliationOut(CurrentAffiliationOut):
    start_date: date | None
    end_date: date | None
    is_current: bool


class PersonOut(Schema):
    slug: str
    first_name: str
    last_name: str
    display_name: str
    headline: str
    territory: TerritoryRef | None
    professions: list[ProfessionOut]
    sectors: list[SectorOut]
    skills: list[SkillOut]
    current_affiliations: list[CurrentAffiliationOut]

    @staticmethod
    def resolve_current_affiliations(person: Person) -> list[Affiliation]:
        current = getattr(person, "current_affiliations", None)
        if current is None:
            current = [a for a in person.affiliations.all() if a.is_current]
        return current


class PersonDetailOut(PersonOut):
    bio: str
    languages: list[str]
    affiliations: list[AffiliationOut]


class PeopleQuery(PageQuery):
    q: str = Field(
        "",
        max_length=MAX_QUERY_LENGTH,
        description="Words to find in the name, headline, skills or professions (all of them).",
    )
    skill: str | None = Field(
        None,
        description="A skill's slug, e.g. `blender`.",
        json_schema_extra=one_of(lambda: selectors.skills().values_list("slug", flat=True)),
    )
    profession: str | None = Field(
        None,
        description="A profession's slug.",
        json_schema_extra=one_of(lambda: selectors.professions().values_list("slug", flat=True)),
    )
    sector: str | None = Field(
        None,
        description="A sector's slug, e.g. `animation`.",
        json_schema_extra=one_of(lambda: selectors.sectors().values_list("slug", flat=True)),
    )
    territory: str | None = Field(
        None,
        description="A territory's code, e.g. `mel`.",
        json_schema_extra=one_of(lambda: selectors.territories().values_list("code", flat=True)),
    )
    organisation_kind: str | None = Field(
        None,
        description="Works in an organisation of this kind, e.g. `company`.",
        json_schema_extra=one_of(lambda: OrganisationKind.values),
    )


def _filters(request: HttpRequest, query: PeopleQuery) -> PeopleFilters:
    check_filters(
        request,
        PeopleQuery,
        {
            "skill": (query.skill, selectors.skills(), "slug"),
            "profession": (query.profession, selectors.professions(), "slug"),
            "sector": (query.sector, selectors.sectors(), "slug"),
            "territory": (query.territory, selectors.territories(), "code"),
            "organisation_kind": (query.organisation_kind, list(OrganisationKind.values), ""),
        },
    )
    return PeopleFilters(
        q=query.q,
        skill=query.skill or "",
        profession=query.profession or "",
        sector=query.sector or "",
        territory=query.territory or "",
        organisation_kind=query.organisation_kind or "",
    )


@router.get(
    "",
    response={200: page_of(PersonOut), **READ_ERRORS},
    auth=OPTIONAL,
    summary="Search the directory",
    description=(
        "The profiles the caller may see, matching every filter given, by last name. "
        "Unknown parameters or filter values are refused (422)."
    ),
)
def list_people(request: HttpRequest, query: Query[PeopleQuery]) -> dict[str, Any]:
    # permission: public; only the profiles the caller may see (community.permissions.
    # visibility_q): public ones when anonymous, members-only too when signed in, all for staff
    filters = _filters(request, query)
    return paginate(request, selectors.search_people(request.user, filters), query)


@router.get(
    "/{slug}",
    response={200: PersonDetailOut, **DETAIL_ERRORS},
    auth=OPTIONAL,
    summary="One profile",
)
def person_detail(request: HttpRequest, slug: str) -> Person:
    # permission: public profiles for everyone, members-only ones for signed-in callers, private
    # ones for their owner and the staff; 404 otherwise, the same as for a missing slug
    return selectors.get_person_for_viewer(request.user, slug)
