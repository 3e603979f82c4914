"""The cluster's community: reference data, organisations and people."""

from .organisations import Organisation, OrganisationKind
from .people import (
    Affiliation,
    AffiliationRequest,
    AffiliationRole,
    Availability,
    Language,
    Person,
    Visibility,
    Work,
)
from .reference import Commune, Profession, Sector, Skill, SkillStatus, Territory, TerritoryKind

__all__ = [
    "Affiliation",
    "AffiliationRequest",
    "AffiliationRole",
    "Availability",
    "Commune",
    "Language",
    "Organisation",
    "OrganisationKind",
    "Person",
    "Profession",
    "Sector",
    "Skill",
    "SkillStatus",
    "Territory",
    "TerritoryKind",
    "Visibility",
    "Work",
]
