"""Uploaded files in an S3 bucket: moto's S3 served over HTTP on a free loopback port (the real
protocol through boto3, as against MinIO or AWS), one server per test module, one new bucket per
test, and ``STORAGES["default"]`` as settings.py builds it from the environment.

Django caches the default storage (``default_storage`` and ``storages``); the ``settings``
fixture's change of ``STORAGES`` sends ``setting_changed``, which empties both caches, and every
FileField of the project holds the lazy ``default_storage`` (test_settings.py checks it), so
the fields write to and read from the bucket of the test."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3
import pytest
from moto.server import ThreadedMotoServer

PROJECT = Path(__file__).resolve().parents[2]
ACCESS_KEY = "filiere-test-key"
SECRET_KEY = "filiere-test-secret"  # moto accepts any pair of keys
REGION = "eu-west-3"


def settings_from_environment(**env: str) -> dict[str, Any]:
    """``STORAGES["default"]`` of settings.py imported with ``env`` (a fresh interpreter: the
    module reads the environment at import)."""
    inherited = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("DJANGO_", "FILIERE_", "AWS_"))
    }
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import json, filiere.settings as s; print(json.dumps(s.STORAGES['default']))",
        ],
        cwd=PROJECT,
        env={**inherited, "PYTHONPATH": str(PROJECT / "src"), **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def s3_server() -> Iterator[str]:
    """moto's S3 on 127.0.0.1, a port the kernel chose; its address."""
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture(scope="module")
def s3_storage_settings(s3_server: str) -> dict[str, Any]:
    """What production's environment gives, pointed at the test server (MinIO's shape: an
    endpoint, path-style addressing, keys, a prefix)."""
    return settings_from_environment(
        FILIERE_STORAGE="s3",
        FILIERE_S3_BUCKET="set-per-test",
        FILIERE_S3_ENDPOINT_URL=s3_server,
        FILIERE_S3_REGION=REGION,
        FILIERE_S3_ACCESS_KEY_ID=ACCESS_KEY,
        FILIERE_S3_SECRET_ACCESS_KEY=SECRET_KEY,
        FILIERE_S3_LOCATION="filiere",
        FILIERE_S3_ADDRESSING_STYLE="path",
    )


@dataclass
class Bucket:
    name: str
    client: Any
    prefix: str

    def object_keys(self) -> list[str]:
        """Every object's key, prefix included."""
        answer = self.client.list_objects_v2(Bucket=self.name)
        return sorted(item["Key"] for item in answer.get("Contents", []))

    def read(self, key: str) -> bytes:
        return self.client.get_object(Bucket=self.name, Key=key)["Body"].read()

    def acl_grants(self, key: str) -> list[dict[str, Any]]:
        return self.client.get_object_acl(Bucket=self.name, Key=key)["Grants"]


@pytest.fixture
def bucket(s3_server: str, s3_storage_settings: dict[str, Any], settings) -> Bucket:
    """A new, empty bucket of its own for the test, the platform's default storage."""
    name = f"filiere-{uuid.uuid4().hex[:12]}"
    client = boto3.client(
        "s3",
        endpoint_url=s3_server,
        region_name=REGION,
        aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=SECRET_KEY,
    )
    client.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": REGION})
    default = json.loads(json.dumps(s3_storage_settings))
    default["OPTIONS"]["bucket_name"] = name
    settings.STORAGES = {**settings.STORAGES, "default": default}
    return Bucket(name=name, client=client, prefix=default["OPTIONS"]["location"] + "/")
