"""The cluster's community: reference data, organisations and people."""

from .organisations import Organisation, OrganisationKind
from .people import (
    Affiliation,
    AffiliationRequest,
    AffiliationRole,
    Language,
    Person,
    Visibility,
)
from .reference import Commune, Profession, Sector, Skill, Territory, TerritoryKind

__all__ = [
    "Affiliation",
    "AffiliationRequest",
    "AffiliationRole",
    "Commune",
    "Language",
    "Organisation",
    "OrganisationKind",
    "Person",
    "Profession",
    "Sector",
    "Skill",
    "Territory",
    "TerritoryKind",
    "Visibility",
]
