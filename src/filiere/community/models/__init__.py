"""The cluster's community: reference data, organisations and people."""

from .organisations import Organisation, OrganisationKind
from .people import Affiliation, AffiliationRole, Language, Person, Visibility
from .reference import Commune, Profession, Sector, Skill, Territory, TerritoryKind

__all__ = [
    "Affiliation",
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
