"""E-mail the holders of unsubmitted drafts 7 days and 48 hours before their call closes."""

from typing import Any

from django.core.management.base import BaseCommand

from filiere.calls.services.reminders import send_deadline_reminders


class Command(BaseCommand):
    help = "Send the deadline reminders that are due (each at most once per draft and kind)."

    def handle(self, *args: Any, **options: Any) -> None:
        sent = send_deadline_reminders()
        self.stdout.write(f"{sent} reminder e-mail(s) sent.")
