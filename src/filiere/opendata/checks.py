"""Deployment check of the publisher's identity: the SCDL file needs the operator's SIRET."""

from collections.abc import Sequence
from typing import Any

from django.apps import AppConfig
from django.core.checks import CheckMessage, Tags, Warning, register

from filiere.engine.identifiers import check_siret

from .publisher import publisher


@register(Tags.compatibility, deploy=True)
def publisher_siret_is_valid(
    app_configs: Sequence[AppConfig] | None, **kwargs: Any
) -> list[CheckMessage]:
    siret = publisher().siret
    if siret and check_siret(siret).ok and siret != DEVELOPMENT_SIRET:
        return []
    return [
        Warning(
            "The open-data files need the publisher's SIRET (FILIERE_OPEN_DATA_PUBLISHER_SIRET).",
            hint="Set it to the operator's 14-digit SIRET: the SCDL file's idAttribuant.",
            id="filiere.opendata.W001",
        )
    ]


# The fictitious number settings.py gives while DEBUG is on (SIREN 000000000).
DEVELOPMENT_SIRET = "00000000000018"
