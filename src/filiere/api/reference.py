"""Reference data: ``/api/v1/territories``, ``/api/v1/sectors``, ``/api/v1/professions``.

Public, and short enough to be answered whole (no pagination). Every labelled row carries its
labels in the three platform languages (``label_fr``, ``label_en``, ``label_nl``) and ``label``,
the one of the caller's language (Accept-Language, else French).

The schemas below are also used inside the people and organisations answers.
"""

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Router, Schema

from filiere.community import selectors
from filiere.community.models import Commune, Profession, Sector, Territory

from .auth import OPTIONAL
from .errors import AUTH_ERRORS, DETAIL_ERRORS

router = Router(tags=["reference"])


class Labelled(Schema):
    label: str
    label_fr: str
    label_en: str
    label_nl: str


class SectorOut(Labelled):
    slug: str


class ProfessionOut(Labelled):
    slug: str
    rome_code: str
    isco_code: str


class TerritoryRef(Labelled):
    code: str
    kind: str


class CommuneRef(Schema):
    insee_code: str
    name: str


class CommuneOut(CommuneRef):
    population: int


class TerritoryOut(TerritoryRef):
    kind_label: str
    country: str
    commune_count: int
    population: int

    @staticmethod
    def resolve_kind_label(territory: Territory) -> str:
        return str(territory.get_kind_display())


class TerritoryDetailOut(TerritoryOut):
    siren: str
    communes: list[CommuneOut]

    @staticmethod
    def resolve_communes(territory: Territory) -> list[Commune]:
        return list(territory.communes.all())


@router.get(
    "/territories",
    response={200: list[TerritoryOut], **AUTH_ERRORS},
    auth=OPTIONAL,
    summary="Territories",
    description=(
        "The cluster's three EPCI, then the partner territories (Belgian regions, rest of "
        "France, other), with their number of communes and total population (0 outside "
        "the EPCI)."
    ),
)
def list_territories(request: HttpRequest) -> QuerySet[Territory]:
    # permission: public (reference data)
    return selectors.territories_with_population()


@router.get(
    "/territories/{code}",
    response={200: TerritoryDetailOut, **DETAIL_ERRORS},
    auth=OPTIONAL,
    summary="One territory with its communes",
)
def territory_detail(request: HttpRequest, code: str) -> Territory:
    # permission: public (reference data); 404 if unknown
    return selectors.get_territory_with_communes(code)


@router.get(
    "/sectors",
    response={200: list[SectorOut], **AUTH_ERRORS},
    auth=OPTIONAL,
    summary="Sectors",
)
def list_sectors(request: HttpRequest) -> QuerySet[Sector]:
    # permission: public (reference data)
    return selectors.sectors()


@router.get(
    "/professions",
    response={200: list[ProfessionOut], **AUTH_ERRORS},
    auth=OPTIONAL,
    summary="Professions",
    description=(
        "The sector's professions, with their French ROME code and ISCO-08 group when known "
        "(empty otherwise)."
    ),
)
def list_professions(request: HttpRequest) -> QuerySet[Profession]:
    # permission: public (reference data)
    return selectors.professions()
