"""``manage.py close_expired_corrections``: record the end of correction windows that passed.

Editing is already refused at read time once ``correction_until`` has passed
(``engine.workflow.is_editable_by_applicant``); this command, run periodically (cron or a
scheduler), closes the correction requests and writes the audit entry.
"""

from typing import Any

from django.core.management.base import BaseCommand

from filiere.calls.services.instruction import close_expired_corrections


class Command(BaseCommand):
    help = "Close the correction windows of applications whose date has passed."

    def handle(self, *args: Any, **options: Any) -> None:
        closed = close_expired_corrections()
        self.stdout.write(f"{closed} correction window(s) closed.")
