"""Reading and checking the published files in the tests: ``filiere.opendata.validation``
(frictionless for the SCDL CSV against the project's Table Schema and the standard's row
checks, jsonschema for the 360Giving package against the project's JSON Schema)."""

from __future__ import annotations

import csv
import io

from filiere.opendata.validation import giving_errors, scdl_errors

SCDL_URL = "/open-data/scdl-subventions.csv"
GIVING_URL = "/open-data/360giving.json"


def scdl_rows(content: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(content.decode("utf-8"))))


__all__ = ["GIVING_URL", "SCDL_URL", "giving_errors", "scdl_errors", "scdl_rows"]
