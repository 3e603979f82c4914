"""The published files checked against schemas: the project's own (``schemas/``) and, during
development, the official 360Giving schema given as a path (``manage.py check_opendata``).

frictionless and jsonschema are development tools (the ``dev`` extra): they are imported by the
functions that use them, so the platform itself runs without them.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

from filiere.engine.identifiers import check_siret

from .schemas import GIVING_SCHEMA, SCDL_SCHEMA, load

# The SCDL's row rule a Table Schema cannot say (Validata's "one-of-required").
ONE_IDENTIFIER = "idBeneficiaire or rnaBeneficiaire"
SIRET_COLUMNS = ("idAttribuant", "idBeneficiaire")
OFFICIAL_PACKAGE = "360-giving-package-schema.json"


def scdl_errors(content: bytes) -> list[str]:
    """What is wrong with an SCDL CSV: the project's Table Schema (read as the standard says:
    UTF-8, comma-separated), a beneficiary identified by SIRET or RNA, valid SIRET check digits
    (Validata's ``french-siret-value``)."""
    # Development libraries, imported on this path only (see the module's note).
    from frictionless import Checklist, Dialect, Resource, Schema, checks, formats

    resource = Resource(
        data=content,
        format="csv",
        encoding="utf-8",
        schema=Schema.from_descriptor(load(SCDL_SCHEMA)),
        dialect=Dialect(controls=[formats.CsvControl(delimiter=",")]),  # no sniffing
    )
    report = resource.validate(Checklist(checks=[checks.row_constraint(formula=ONE_IDENTIFIER)]))
    errors = [f"{error.type}: {error.message}" for task in report.tasks for error in task.errors]
    errors += [f"{error.type}: {error.message}" for error in report.errors]
    for number, row in enumerate(csv.DictReader(io.StringIO(content.decode("utf-8"))), start=2):
        for column in SIRET_COLUMNS:
            value = row.get(column) or ""
            if value and not check_siret(value).ok:
                errors.append(f"french-siret-value: row {number}, {column} {value}")
    return errors


def _json_errors(data: Any, schema: dict[str, Any], registry: Any = None) -> list[str]:
    # A development library, imported on this path only (see the module's note).
    import jsonschema

    options: dict[str, Any] = {"format_checker": jsonschema.Draft202012Validator.FORMAT_CHECKER}
    if registry is not None:
        options["registry"] = registry
    validator = jsonschema.Draft202012Validator(schema, **options)
    return [
        f"{'/'.join(str(part) for part in error.absolute_path) or '(package)'}: "
        f"{_shortened(error.message)}"
        for error in validator.iter_errors(data)
    ]


def _shortened(message: str, limit: int = 300) -> str:
    # A "not valid under any of the given schemas" message quotes the whole grant.
    return message if len(message) <= limit else f"{message[: limit - 1]}…"


def giving_errors(data: Any) -> list[str]:
    """What is wrong with a 360Giving package against the project's JSON Schema."""
    return _json_errors(data, load(GIVING_SCHEMA))


def official_giving_errors(data: Any, path: Path) -> list[str]:
    """What is wrong with a 360Giving package against the official schema: ``path`` is its
    package schema (``360-giving-package-schema.json``) or the folder holding it with the grant
    schema. The package refers to the grant schema by a web address: every schema of the folder
    is registered under its ``$id`` and under the addresses that name its file, so nothing is
    fetched."""
    # A development library as well (jsonschema's own), imported on this path only.
    from referencing import Registry
    from referencing.jsonschema import DRAFT202012

    package_path = path / OFFICIAL_PACKAGE if path.is_dir() else path
    schemas = {
        file.name: json.loads(file.read_text(encoding="utf-8"))
        for file in package_path.parent.glob("*.json")
    }
    package = schemas[package_path.name]
    resources = []
    for name, schema in schemas.items():
        # Read as draft 2020-12 whatever its $schema says (the official one writes http://).
        resource = DRAFT202012.create_resource(schema)
        if "$id" in schema:
            resources.append((schema["$id"], resource))
        for address in _references(package):
            if address.rsplit("/", 1)[-1] == name:
                resources.append((address, resource))
    return _json_errors(data, package, Registry().with_resources(resources))


def _references(schema: Any) -> set[str]:
    """The web addresses a schema refers to (``$ref`` outside itself)."""
    found: set[str] = set()
    if isinstance(schema, dict):
        for key, value in schema.items():
            if key == "$ref" and isinstance(value, str) and value.startswith("http"):
                found.add(value.split("#", 1)[0])
            else:
                found |= _references(value)
    elif isinstance(schema, list):
        for item in schema:
            found |= _references(item)
    return found
