"""E-mail the beneficiaries' teams about the reports not yet submitted: once when one is due
within two weeks, once when it is overdue (``services_reports.send_report_reminders``). Run it
once a day; it also schedules the reports of newly signed agreements."""

from typing import Any

from django.core.management.base import BaseCommand

from filiere.awards.services_reports import send_report_reminders


class Command(BaseCommand):
    help = (
        "Send the report reminders that are due (each at most once per report and kind: due "
        "soon, overdue), one e-mail per member of the beneficiary's team."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        run = send_report_reminders()
        kinds = ", ".join(f"{kind}: {count}" for kind, count in sorted(run.emails.items()))
        self.stdout.write(
            f"{sum(run.emails.values())} reminder e-mail(s) sent about {run.reports} report(s)"
            + (f" ({kinds})." if kinds else ".")
        )
