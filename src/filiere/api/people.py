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

from filiere.community import selectors, selectors_directory
from filiere.community.models import (
    Affiliation,
    Availability,
    Language,
    OrganisationKind,
    Person,
)
from filiere.community.models.people import FIELDS_WITH_VISIBILITY
from filiere.community.selectors_directory import MAX_QUERY_LENGTH, PEOPLE_FACETS
from filiere.community.visibility import visible_fields

from .auth import OPTIONAL
from .directory import each_one_of, results_page, search_of, with_facets
from .errors import DETAIL_ERRORS, READ_ERRORS
from .pagination import PageQuery
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


class WorkOut(Schema):
    title: str
    year: int | None
    role: str
    description: str
    url: str


def _shown(person: Person, context: Any) -> set[str]:
    """The fields the caller may see (community.visibility): a hidden one reads as empty.
    Worked out once per row of the answer (every resolver asks)."""
    shown: set[str] | None = getattr(person, "_api_shown", None)
    if shown is None:
        request = (context or {}).get("request")
        shown = person._api_shown = visible_fields(  # type: ignore[attr-defined]
            person, getattr(request, "user", None)
        )
    return shown


def _listed(person: Person, relation: str) -> object:
    """What a directory search gave the row (``listed_skills``…), else the relation itself."""
    listed = getattr(person, f"listed_{relation}", None)
    return getattr(person, relation).all() if listed is None else listed


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
    def resolve_headline(person: Person, context: Any) -> str:
        return person.headline if "headline" in _shown(person, context) else ""

    @staticmethod
    def resolve_territory(person: Person, context: Any) -> object:
        return person.territory if "territory" in _shown(person, context) else None

    @staticmethod
    def resolve_professions(person: Person) -> object:
        return _listed(person, "professions")

    @staticmethod
    def resolve_sectors(person: Person) -> object:
        return _listed(person, "sectors")

    @staticmethod
    def resolve_skills(person: Person, context: Any) -> object:
        return _listed(person, "skills") if "skills" in _shown(person, context) else []

    @staticmethod
    def resolve_current_affiliations(person: Person, context: Any) -> list[Affiliation]:
        if "organisations" not in _shown(person, context):
            return []
        current = getattr(person, "current_affiliations", None)
        if current is None:
            current = [a for a in person.affiliations.all() if a.is_current]
        return current


class PersonDetailOut(PersonOut):
    bio: str
    languages: list[str]
    affiliations: list[AffiliationOut]
    availability: str = Field(description="`open`, `limited`, `unavailable`, or empty.")
    works: list[WorkOut]
    hidden_fields: list[str] = Field(
        description="The fields its owner keeps from the caller: they read as empty here."
    )

    @staticmethod
    def resolve_bio(person: Person, context: Any) -> str:
        return person.bio if "bio" in _shown(person, context) else ""

    @staticmethod
    def resolve_languages(person: Person, context: Any) -> list[str]:
        return list(person.languages) if "languages" in _shown(person, context) else []

    @staticmethod
    def resolve_affiliations(person: Person, context: Any) -> object:
        return person.affiliations.all() if "organisations" in _shown(person, context) else []

    @staticmethod
    def resolve_availability(person: Person, context: Any) -> str:
        return person.availability if "availability" in _shown(person, context) else ""

    @staticmethod
    def resolve_works(person: Person, context: Any) -> object:
        return person.works.all() if "works" in _shown(person, context) else []

    @staticmethod
    def resolve_hidden_fields(person: Person, context: Any) -> list[str]:
        shown = _shown(person, context)
        return [field for field in FIELDS_WITH_VISIBILITY if field not in shown]


class PeopleQuery(PageQuery):
    q: str = Field(
        "",
        max_length=MAX_QUERY_LENGTH,
        description=(
            "Words to find in what the caller may see of a profile: name, headline, biography, "
            "works, skills (in French, English and Dutch, and their synonyms), professions, "
            "organisations. Every word must match (on PostgreSQL, in one of the three languages, "
            "stemmed). With words, rows come by relevance; without, by last name."
        ),
    )
    skill: list[str] = Field(
        [],
        description="Skills' slugs, e.g. `blender`; a domain also matches its narrower skills.",
        json_schema_extra=each_one_of(lambda: selectors.skills().values_list("slug", flat=True)),
    )
    profession: list[str] = Field(
        [],
        description="Professions' slugs.",
        json_schema_extra=each_one_of(
            lambda: selectors.professions().values_list("slug", flat=True)
        ),
    )
    sector: list[str] = Field(
        [],
        description="Sectors' slugs, e.g. `animation`.",
        json_schema_extra=each_one_of(lambda: selectors.sectors().values_list("slug", flat=True)),
    )
    territory: list[str] = Field(
        [],
        description="Territories' codes, e.g. `mel`, `wallonia`.",
        json_schema_extra=each_one_of(
            lambda: selectors.territories().values_list("code", flat=True)
        ),
    )
    organisation_kind: list[str] = Field(
        [],
        description="Works now in an organisation of this kind, e.g. `company`.",
        json_schema_extra=each_one_of(lambda: OrganisationKind.values),
    )
    language: list[str] = Field(
        [],
        description="Speaks this language: `fr`, `en`, `nl`, `de`, `other`.",
        json_schema_extra=each_one_of(lambda: Language.values),
    )
    availability: list[str] = Field(
        [],
        description="`open`, `limited` or `unavailable`.",
        json_schema_extra=each_one_of(lambda: Availability.values),
    )


@router.get(
    "",
    response={200: with_facets(PersonOut), **READ_ERRORS},
    auth=OPTIONAL,
    summary="Search the directory",
    description=(
        "The profiles the caller may see, matching `q` and every facet given (a facet repeated, "
        "`?skill=a&skill=b`, matches either value), by relevance with `q`, else by last name; "
        "`facets` gives each facet's values with their count, the other facets applied. A field "
        "its owner keeps from the caller is neither searched, filtered nor counted. "
        "Unknown parameters or filter values are refused (422)."
    ),
)
def list_people(request: HttpRequest, query: Query[PeopleQuery]) -> dict[str, Any]:
    # permission: public; only the profiles the caller may see (community.permissions.
    # visibility_q): public ones when anonymous, members-only too when signed in, all for staff;
    # only the fields the caller may see are searched and counted (community.field_access)
    search = search_of(request, query, PeopleQuery, PEOPLE_FACETS)
    return results_page(request, selectors_directory.search_people(request.user, search), query)


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
