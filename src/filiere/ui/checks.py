"""System checks of the platform's own settings (run by `check`, `migrate`, `runserver`)."""

import importlib.util
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


@register()
def file_storage_is_complete(
    app_configs: Sequence[AppConfig] | None, **kwargs: Any
) -> list[CheckMessage]:
    # settings.py keeps the media folder for any value but "s3": a typo must not send the
    # uploads to a local disk the other app servers never see.
    choice = getattr(settings, "FILIERE_STORAGE", "local")
    if choice not in {"local", "s3"}:
        return [
            Error(
                f"FILIERE_STORAGE={choice!r} is neither 'local' nor 's3'.",
                hint="Leave it empty for the media folder, or set s3 (docs/deploy/storage.md).",
                id="filiere.E002",
            )
        ]
    if choice != "s3":
        return []
    errors: list[CheckMessage] = []
    if importlib.util.find_spec("storages") is None or importlib.util.find_spec("boto3") is None:
        errors.append(
            Error(
                "FILIERE_STORAGE=s3 needs django-storages and boto3.",
                hint='Install the s3 extra: pip install -c requirements/constraints.txt -e ".[s3]"',
                id="filiere.E003",
            )
        )
    options: Any = settings.STORAGES["default"].get("OPTIONS") or {}
    if not options.get("bucket_name"):
        errors.append(
            Error(
                "FILIERE_STORAGE=s3 without a bucket.",
                hint="Set FILIERE_S3_BUCKET (and FILIERE_S3_ENDPOINT_URL outside AWS).",
                id="filiere.E004",
            )
        )
    return errors
