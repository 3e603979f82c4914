"""Reading and checking the published files in the tests: frictionless for the SCDL CSV
(Table Schema, plus the standard's row checks), jsonschema for the 360Giving package."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import jsonschema
from frictionless import Checklist, Dialect, Resource, Schema, checks, formats

from filiere.engine.identifiers import check_siret
from filiere.opendata.schemas import GIVING_SCHEMA, SCDL_SCHEMA, load

SCDL_URL = "/open-data/scdl-subventions.csv"
GIVING_URL = "/open-data/360giving.json"


def scdl_errors(content: bytes) -> list[str]:
    """What frictionless finds wrong with ``content`` against the project's Table Schema, and
    the SCDL's two row checks a Table Schema cannot say: idBeneficiaire or rnaBeneficiaire is
    present, and every SIRET has a valid check digit (Validata's ``french-siret-value``)."""
    resource = Resource(
        data=content,
        format="csv",
        encoding="utf-8",
        schema=Schema.from_descriptor(load(SCDL_SCHEMA)),
        # The standard's separator is the comma: no sniffing of another one.
        dialect=Dialect(controls=[formats.CsvControl(delimiter=",")]),
    )
    one_identifier = checks.row_constraint(formula="idBeneficiaire or rnaBeneficiaire")
    report = resource.validate(Checklist(checks=[one_identifier]))
    errors = [f"{error.type}: {error.message}" for task in report.tasks for error in task.errors]
    errors += [f"{error.type}: {error.message}" for error in report.errors]
    for row in scdl_rows(content):
        for column in ("idAttribuant", "idBeneficiaire"):
            if row.get(column) and not check_siret(row[column]).ok:
                errors.append(f"french-siret-value: {column} {row[column]}")
    return errors


def scdl_rows(content: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(content.decode("utf-8"))))


def giving_errors(data: Any) -> list[str]:
    validator = jsonschema.Draft202012Validator(
        load(GIVING_SCHEMA), format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )
    return [f"{list(error.path)}: {error.message}" for error in validator.iter_errors(data)]


def get_json(client, url: str) -> Any:
    return json.loads(client.get(url).content)
