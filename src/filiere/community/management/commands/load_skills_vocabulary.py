"""``manage.py load_skills_vocabulary``: apply data/skills.csv to this database again.

Idempotent: entries are matched on their slug and updated from the file (synonyms gained from
merges are kept); tags that an entry's name or synonym names are merged into it. Run it after
an upgrade that changes the file; ``--propose-unknown`` also turns the remaining curated
entries that the file does not know into proposed ones (as the first load did).
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction

from filiere.community.models import Skill
from filiere.community.skills_data import DATA_FILE, apply_vocabulary, read_vocabulary


class Command(BaseCommand):
    help = "Load the skills vocabulary from its seed file (idempotent)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--propose-unknown",
            action="store_true",
            help="Mark curated entries that the file does not know as proposed.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        entries = read_vocabulary(DATA_FILE)
        with transaction.atomic():
            report = apply_vocabulary(Skill, entries, propose_unknown=options["propose_unknown"])
        self.stdout.write(
            f"{len(entries)} entries in the file: {report.created} created, "
            f"{report.updated} updated, {len(report.merged)} tags merged, "
            f"{report.proposed} marked proposed."
        )
        for source, target in report.merged:
            self.stdout.write(f"  merged {source} -> {target}")
