"""System checks of the platform's own settings (run by `check`, `migrate`, `runserver`)."""

from collections.abc import Sequence
from typing import Any

from django.apps import AppConfig
from django.conf import settings
from django.core.checks import CheckMessage, Error, register
from django.core.exceptions import ImproperlyConfigured


@register()
def secret_key_is_set(app_configs: Sequence[AppConfig] | None, **kwargs: Any) -> list[CheckMessage]:
    # settings.py leaves the key empty when DEBUG is off and DJANGO_SECRET_KEY is missing; Django
    # then refuses to read it, which is exactly what this reports.
    try:
        settings.SECRET_KEY  # noqa: B018
    except ImproperlyConfigured:
        return [
            Error(
                "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off.",
                hint="Set DJANGO_SECRET_KEY to a long random value, or DJANGO_DEBUG=1 to develop.",
                id="filiere.E001",
            )
        ]
    return []
