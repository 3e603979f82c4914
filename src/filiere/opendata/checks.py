"""Deployment check of the publisher's identity: a SIRET that is set must be a real one.

Left empty (a platform whose operator does not publish SCDL data), the SCDL file's idAttribuant
is empty and ``manage.py check_opendata`` says the file is not valid SCDL."""

from collections.abc import Sequence
from typing import Any

from django.apps import AppConfig
from django.conf import settings
from django.core.checks import CheckMessage, Tags, Warning, register

from filiere.engine.identifiers import check_siret

from .publisher import publisher

# The fictitious number settings.py gives while DEBUG is on (SIREN 000000000).
DEVELOPMENT_SIRET = "00000000000018"


@register(Tags.compatibility, deploy=True)
def publisher_siret_is_valid(
    app_configs: Sequence[AppConfig] | None, **kwargs: Any
) -> list[CheckMessage]:
    siret = publisher().siret
    if not siret:
        return []
    if check_siret(siret).ok and (settings.DEBUG or siret != DEVELOPMENT_SIRET):
        return []
    return [
        Warning(
            f"FILIERE_OPEN_DATA_PUBLISHER_SIRET is not the operator's SIRET ({siret!r}).",
            hint="Set it to the operator's 14-digit SIRET: the SCDL file's idAttribuant.",
            id="filiere.opendata.W001",
        )
    ]
