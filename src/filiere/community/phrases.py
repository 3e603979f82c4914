"""Codes from the engine and the services, turned into translated sentences."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

IDENTIFIER_ERRORS = {
    "siren.invalid_format": _("A SIREN number has 9 digits."),
    "siren.invalid_length": _("A SIREN number has 9 digits."),
    "siren.invalid_checksum": _("This SIREN number is not valid: check its digits."),
    "siret.invalid_format": _("A SIRET number has 14 digits."),
    "siret.invalid_length": _("A SIRET number has 14 digits."),
    "siret.invalid_checksum": _("This SIRET number is not valid: check its digits."),
    "bce.invalid_format": _("A Belgian enterprise number has 10 digits, e.g. 0403.019.261."),
    "bce.invalid_length": _("A Belgian enterprise number has 10 digits, e.g. 0403.019.261."),
    "bce.invalid_component": _("A Belgian enterprise number starts with 0 or 1."),
    "bce.invalid_checksum": _(
        "This Belgian enterprise number is not valid: its last two digits do not match."
    ),
    "rna.invalid_format": _("An RNA number is the letter W followed by 9 digits."),
    "rna.invalid_length": _("An RNA number is the letter W followed by 9 digits."),
    "naf.invalid_format": _("A NAF/APE code looks like 59.11C."),
    "naf.invalid_length": _("A NAF/APE code looks like 59.11C."),
    "nace.invalid_format": _("A NACE-BEL code has 5 digits, e.g. 59.111."),
    "nace.invalid_length": _("A NACE-BEL code has 5 digits, e.g. 59.111."),
    "nace.unknown_division": _(
        "This NACE-BEL code does not exist: its first two digits are not a NACE division."
    ),
}

GENERIC_IDENTIFIER_ERROR = _("This identifier is not valid.")

# Codes of the self-service services (organisations and affiliations).
SERVICE_ERRORS = {
    # Who acts: the pages check first, so these reach people only through a race.
    "community.not_profile_editor": _("You are not allowed to do this."),
    "community.members_only": _("You are not allowed to do this."),
    "community.not_manager": _("You are not allowed to do this."),
    "community.own_request": _("You are not allowed to do this."),
    "community.staff_only": _("You are not allowed to do this."),
    "community.own_affiliation": _("You are not allowed to do this."),
    "community.too_many_works": _(
        "Your profile lists the most works it can show: remove one to add another."
    ),
    # The staff's curation of the skills vocabulary.
    "community.skill_cycle": _(
        "An entry cannot be placed under itself or under one of its narrower entries."
    ),
    "community.skill_merge_self": _("An entry cannot be merged into itself."),
    "community.skill_merge_under": _(
        "An entry cannot be merged into one of its narrower entries: move that one first."
    ),
    "community.skill_slug_taken": _("Another entry already has this short name."),
    "organisation.duplicate": _("This organisation is already registered."),
    "organisation.name_missing": _("Give the organisation's name."),
    "organisation.kind_unknown": _("Choose a kind of organisation."),
    "organisation.seat_missing": _("Give the seat of the organisation."),
    "organisation.country_unknown": _("Only French and Belgian organisations can be registered."),
    "affiliation.role_unknown": _("Choose your role."),
    "affiliation.already_member": _("You already work for this organisation on the platform."),
    "affiliation.already_pending": _(
        "You already asked to join this organisation: your request is waiting for confirmation."
    ),
    "affiliation.not_pending": _("This request has already been decided."),
    "affiliation.recently_refused": _(
        "Your last request to join this organisation was refused less than 30 days ago."
    ),
    "affiliation.already_ended": _("This affiliation has already ended."),
    "affiliation.reason_missing": _("Give a reason: it is kept in the audit log."),
}


#: The code prefixes whose sentences :func:`refusal` says (``CommunityConfig`` registers them).
REFUSAL_PREFIXES = ("community.", "organisation.", "affiliation.")


def refusal(code: str, params: Mapping[str, Any] | None = None) -> str:
    """The sentence of a community service's refusal (``filiere.errors`` calls this); an
    identifier check's code (``siret.invalid_checksum``) says what is wrong with the number."""
    return str(SERVICE_ERRORS.get(code) or IDENTIFIER_ERRORS.get(code, GENERIC_IDENTIFIER_ERROR))


def identifier_error(code: str) -> StrOrPromise:
    return IDENTIFIER_ERRORS.get(code, GENERIC_IDENTIFIER_ERROR)


# NAF rév. 2 labels of the codes most common in the cluster (the rest are shown as codes).
NAF_LABELS = {
    "59.11A": _("Production of television films and programmes"),
    "59.11B": _("Production of institutional and advertising films"),
    "59.11C": _("Motion picture production"),
    "59.12Z": _("Film, video and television post-production"),
    "59.13A": _("Motion picture distribution"),
    "59.14Z": _("Motion picture projection"),
    "59.20Z": _("Sound recording and music publishing"),
    "58.21Z": _("Publishing of computer games"),
    "62.01Z": _("Computer programming"),
    "72.19Z": _("Research and experimental development on natural sciences and engineering"),
    "74.10Z": _("Specialised design activities"),
    "85.42Z": _("Tertiary education"),
    "85.59A": _("Continuing adult education"),
    "90.01Z": _("Performing arts"),
    "94.99Z": _("Other membership organisations"),
}
