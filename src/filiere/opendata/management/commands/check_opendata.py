"""Check the open-data files as they are published now: the SCDL CSV against the project's
Table Schema, the 360Giving package against the project's JSON Schema and, with
``--360giving-schema PATH``, against the official 360Giving schema (the package schema file, or
its folder). For development: it needs the ``dev`` extra (frictionless, jsonschema)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from filiere.calls.models import Fund
from filiere.opendata import publication
from filiere.opendata.validation import giving_errors, official_giving_errors, scdl_errors


class Command(BaseCommand):
    help = (
        "Validate the published SCDL and 360Giving files (all funds, or one with --fund) "
        "against the project's schemas, and the official 360Giving schema if given."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--fund", help="The short name (slug) of one fund.")
        parser.add_argument(
            "--360giving-schema",
            dest="official",
            type=Path,
            help="The official 360-giving-package-schema.json, or the folder holding it.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        fund = None
        if options["fund"]:
            fund = Fund.objects.filter(slug=options["fund"]).first()
            if fund is None:
                raise CommandError(f"No fund with the short name {options['fund']!r}.")
        official: Path | None = options["official"]
        if official is not None and not official.exists():
            raise CommandError(f"{official} does not exist.")
        scope = f"fund {fund.slug}" if fund else "all funds"
        problems = 0

        scdl = publication.file_content(publication.file_version(publication.SCDL, fund))
        rows = max(scdl.decode("utf-8").count("\r\n") - 1, 0)
        problems += self._report(
            f"SCDL ({scope}, {rows} rows), project's Table Schema", scdl_errors(scdl)
        )

        data = json.loads(
            publication.file_content(publication.file_version(publication.GIVING, fund))
        )
        label = f"360Giving ({scope}, {len(data['grants'])} grants)"
        problems += self._report(f"{label}, project's JSON Schema", giving_errors(data))
        if official is not None:
            errors = official_giving_errors(data, official)
            problems += self._report(f"{label}, official schema {official}", errors)
        if problems:
            raise CommandError(f"{problems} problem(s) found.")

    def _report(self, what: str, errors: list[str]) -> int:
        if not errors:
            self.stdout.write(self.style.SUCCESS(f"{what}: valid."))
            return 0
        self.stdout.write(self.style.ERROR(f"{what}: {len(errors)} problem(s)."))
        for error in errors[:50]:
            self.stdout.write(f"  - {error}")
        return len(errors)
