"""The schemas the project writes for its two files (``schemas/``), and the field documentation
the dataset page reads from them: one source for the files' checks and their description."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

SCHEMA_DIR = Path(__file__).resolve().parent / "schemas"
SCDL_SCHEMA = SCHEMA_DIR / "scdl-subventions.json"
GIVING_SCHEMA = SCHEMA_DIR / "360giving-package.json"


@dataclass(frozen=True)
class FieldDoc:
    name: str
    title: str
    type: str
    required: bool
    description: str


@cache
def load(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def scdl_columns() -> tuple[str, ...]:
    """The SCDL columns, in the standard's order."""
    return tuple(field["name"] for field in load(SCDL_SCHEMA)["fields"])


def scdl_fields() -> list[FieldDoc]:
    return [
        FieldDoc(
            name=field["name"],
            title=field.get("title", ""),
            type=field["type"],
            required=bool(field.get("constraints", {}).get("required")),
            description=field.get("description", ""),
        )
        for field in load(SCDL_SCHEMA)["fields"]
    ]


def _json_type(spec: dict[str, Any]) -> str:
    if "$ref" in spec:
        return spec["$ref"].rsplit("/", 1)[-1].lower()
    kind = spec.get("type", "")
    return " | ".join(kind) if isinstance(kind, list) else str(kind)


def giving_fields() -> list[FieldDoc]:
    """The fields of one grant in the 360Giving package."""
    grant = load(GIVING_SCHEMA)["$defs"]["Grant"]
    required = set(grant["required"])
    return [
        FieldDoc(
            name=name,
            title="",
            type=_json_type(spec),
            required=name in required,
            description=spec.get("description", ""),
        )
        for name, spec in grant["properties"].items()
    ]
