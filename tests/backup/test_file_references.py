"""file-references.sql names every stored upload whose SHA-256 the database records, so that a
restore checks (and brings back) each of them: a new FileField with a hash must be added."""

import re

from django.apps import apps
from django.db import models

from .scripts import SCRIPTS

#: The recorded hash is not the stored file's: the image is re-encoded after hashing.
NOT_THE_FILES_HASH = {"showcase.Image"}


def recorded_hashes():
    for model in apps.get_models():
        names = {field.name for field in model._meta.concrete_fields}
        for field in model._meta.concrete_fields:
            if not isinstance(field, models.FileField):
                continue
            sha_field = "sha256" if field.name == "file" else f"{field.name}_sha256"
            if sha_field in names and model._meta.label not in NOT_THE_FILES_HASH:
                yield model._meta.db_table, field.column, model._meta.get_field(sha_field).column


def test_every_file_with_a_recorded_hash_is_listed():
    sql = (SCRIPTS / "file-references.sql").read_text()
    listed = set(re.findall(r"SELECT (\w+), (\w+) FROM (\w+)", sql))
    wanted = {(column, sha, table) for table, column, sha in recorded_hashes()}
    assert wanted, "no model records a file's hash?"
    assert wanted <= listed, wanted - listed
