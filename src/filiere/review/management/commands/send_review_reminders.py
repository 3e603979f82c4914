"""E-mail the experts whose accepted reviews are not submitted: 7 and 2 days before the call's
review deadline, and once when late (``services_reminders``). Run it every hour or so."""

from typing import Any

from django.core.management.base import BaseCommand

from filiere.review.models import ReminderKind
from filiere.review.services_reminders import send_review_reminders

AUTOMATIC = (ReminderKind.SEVEN_DAYS, ReminderKind.TWO_DAYS, ReminderKind.LATE)


class Command(BaseCommand):
    help = (
        "Send the review reminders that are due (each at most once per assignment and kind), "
        "one e-mail per expert, call and kind."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        report = send_review_reminders()
        # The kinds' codes (7d, 2d, late): the operator's log, in no particular language.
        kinds = ", ".join(
            f"{kind}: {report.emails[kind]}" for kind in AUTOMATIC if report.emails[kind]
        )
        self.stdout.write(
            f"{report.total} reminder e-mail(s) sent about {report.assignments} review(s)"
            + (f" ({kinds})." if kinds else ".")
        )
