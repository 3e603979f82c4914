"""``manage.py rebuild_search_text``: rebuild every text the directory searches (once after an
upgrade, or after rows were written in bulk without ``search_text.refresh_search_text``)."""

from typing import Any

from django.core.management.base import BaseCommand

from filiere.community.search_text import rebuild_all


class Command(BaseCommand):
    help = "Rebuild the directory's search texts of every person and organisation."

    def handle(self, *args: Any, **options: Any) -> None:
        people, organisations = rebuild_all()
        self.stdout.write(
            f"Search texts rebuilt: {people} people and {organisations} organisations changed."
        )
