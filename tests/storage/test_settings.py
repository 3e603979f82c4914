"""FILIERE_STORAGE: the media folder by default, an S3 bucket with private objects when asked;
the deployment check refuses an incomplete choice; every FileField finds the storage when it is
used, not when its model was imported."""

import os
import secrets
import subprocess
import sys

import pytest
from django.apps import apps
from django.core.files.storage import default_storage
from django.db import models
from storages.backends.s3 import S3Storage

from filiere.calls.models import Document

from .conftest import PROJECT, settings_from_environment


def test_the_media_folder_is_the_default():
    assert settings_from_environment() == {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    assert settings_from_environment(FILIERE_STORAGE="local")["BACKEND"].endswith(
        "FileSystemStorage"
    )


def test_s3_reads_every_option_from_the_environment():
    default = settings_from_environment(
        FILIERE_STORAGE="S3",
        FILIERE_S3_BUCKET="filiere-uploads",
        FILIERE_S3_ENDPOINT_URL="https://minio.example.org:9000",
        FILIERE_S3_REGION="eu-west-3",
        FILIERE_S3_ACCESS_KEY_ID="key",
        FILIERE_S3_SECRET_ACCESS_KEY="secret",
        FILIERE_S3_LOCATION="/platform/",
        FILIERE_S3_ADDRESSING_STYLE="path",
    )
    assert default == {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": "filiere-uploads",
            "endpoint_url": "https://minio.example.org:9000",
            "region_name": "eu-west-3",
            "access_key": "key",
            "secret_key": "secret",
            "location": "platform",
            "addressing_style": "path",
            # Private objects, never a signed link, never an overwrite.
            "default_acl": None,
            "querystring_auth": False,
            "file_overwrite": False,
            "max_memory_size": 2_621_440,
        },
    }


def test_empty_values_leave_aws_and_boto3_their_defaults():
    options = settings_from_environment(FILIERE_STORAGE="s3", FILIERE_S3_BUCKET="b")["OPTIONS"]
    for name in ("endpoint_url", "region_name", "access_key", "secret_key", "addressing_style"):
        assert options[name] is None, name
    assert options["location"] == ""


def _check_deploy(**env: str) -> subprocess.CompletedProcess:
    inherited = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("DJANGO_", "FILIERE_", "AWS_"))
    }
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=PROJECT,
        env={
            **inherited,
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
            "DJANGO_ALLOWED_HOSTS": "filiere.example.org",
            **env,
        },
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize(
    ("env", "error"),
    [
        ({"FILIERE_STORAGE": "s3"}, "filiere.E004"),  # no bucket
        ({"FILIERE_STORAGE": "minio", "FILIERE_S3_BUCKET": "b"}, "filiere.E002"),  # a typo
    ],
)
def test_the_deployment_check_refuses_an_incomplete_choice(env, error):
    result = _check_deploy(**env)
    assert result.returncode != 0
    assert error in result.stderr + result.stdout


def test_the_deployment_check_accepts_a_bucket():
    result = _check_deploy(FILIERE_STORAGE="s3", FILIERE_S3_BUCKET="filiere-uploads")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_every_file_field_uses_the_default_storage_lazily():
    # A field given a storage instance at import would keep writing to the disk after
    # STORAGES changed (or the reverse): none is.
    fields = [
        field
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if isinstance(field, models.FileField)
    ]
    assert len(fields) >= 8
    for field in fields:
        assert field.storage is default_storage, field


@pytest.mark.django_db
def test_a_file_field_finds_the_bucket_when_it_is_used(bucket):
    storage = Document._meta.get_field("file").storage
    assert isinstance(storage, S3Storage)  # the lazy object answers as what it wraps
    assert storage.bucket_name == bucket.name
