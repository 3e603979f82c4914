"""``manage.py scan_pending_files``: scan again every file still waiting for a verdict.

Documents, message attachments and rules PDFs are scanned by a task after their upload; a file
stays ``pending`` when no scanner was configured, and ``error`` when the scanner failed. Both are
never served. Run this once a scanner is reachable (and after upgrading: attachments and rules
PDFs stored before they were scanned start ``pending``), or periodically.
"""

from typing import Any

from django.core.management.base import BaseCommand

from filiere.calls.services import scanning


class Command(BaseCommand):
    help = "Scan the documents, message attachments and rules PDFs still pending or in error."

    def handle(self, *args: Any, **options: Any) -> None:
        if scanning.configured_client() is None:
            self.stderr.write(
                "No antivirus configured (FILIERE_CLAMD_SOCKET or _HOST): nothing done."
            )
            return
        scan = {
            "document": lambda pk: scanning.scan_document(document_id=pk),
            "attachment": lambda pk: scanning.scan_message_attachment(message_id=pk),
            "rules_pdf": lambda pk: scanning.scan_rules_pdf(call_id=pk),
        }
        for kind, ids in scanning.pending_scans().items():
            verdicts: dict[str, int] = {}
            for pk in ids:
                status = scan[kind](pk)
                verdicts[status] = verdicts.get(status, 0) + 1
            summary = ", ".join(f"{count} {status}" for status, count in sorted(verdicts.items()))
            self.stdout.write(f"{kind}: {len(ids)} scanned" + (f" ({summary})" if summary else ""))
