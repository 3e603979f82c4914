"""``manage.py refresh_observatory``: recompute the observatory's published figures now, in this
process (for a daily cron; the staff's button runs the same refresh in the background)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from filiere.errors import ServiceError
from filiere.observatory.services import refresh_now


class Command(BaseCommand):
    help = "Recompute the observatory's figures (small counts suppressed) and publish them."

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            snapshot = refresh_now(by=None)
        except ServiceError as error:
            raise CommandError(error.message) from error
        if snapshot.status != snapshot.Status.DONE:
            raise CommandError(f"The refresh failed ({snapshot.error}).")
        self.stdout.write(f"Observatory figures published in {snapshot.seconds:.1f} s.")
