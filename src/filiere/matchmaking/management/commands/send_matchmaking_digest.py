"""E-mail this week's matchmaking digests ("calls you could answer", "needs matching your
skills") to the members who asked for them (``matchmaking.digest``). Run it weekly; a second
run in the same week sends nothing twice."""

from typing import Any

from django.core.management.base import BaseCommand

from filiere.matchmaking.digest import send_digests


class Command(BaseCommand):
    help = (
        "Send the weekly matchmaking digests to the members who consented (at most one per "
        "member and week)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        report = send_digests()
        self.stdout.write(
            f"{report.sent} digest(s) sent; {report.nothing_to_say} member(s) with nothing to "
            "suggest this time."
        )
