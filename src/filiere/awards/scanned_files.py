"""Files the beneficiary uploads in the follow-up (payment proofs, reports): checked like
calls' documents (name, size, content sniffed, never the user's name on disk), stored
``pending``, and scanned after the commit; only a ``clean`` file is served or accepted."""

from __future__ import annotations

import logging
from typing import BinaryIO, TypeVar, cast

from django.conf import settings
from django.core.files.base import File
from django.db import transaction

from filiere.audit.services import record
from filiere.calls.models import ScanStatus
from filiere.calls.services.documents import CheckedUpload, check_upload
from filiere.calls.services.scanning import ScanResult, Verdict, configured_client

from .models import PaymentProof, Report, ScannedFile

logger = logging.getLogger(__name__)

#: What a proof or a report may be (by its content).
FOLLOW_UP_KINDS = ("pdf", "png", "jpeg", "xlsx", "ods", "docx", "odt")

Row = TypeVar("Row", bound=ScannedFile)


def follow_up_max_bytes() -> int:
    return int(getattr(settings, "FILIERE_FOLLOW_UP_FILE_MAX_BYTES", 20 * 1024 * 1024))


def check(uploaded_file: File) -> CheckedUpload:
    """Every check of calls' documents; raises ``UploadError`` (``upload.*``)."""
    return check_upload(
        uploaded_file, document_type=None, kinds=FOLLOW_UP_KINDS, limit=follow_up_max_bytes()
    )


def store(row: Row, uploaded_file: File, checked: CheckedUpload) -> Row:
    """Put a checked file on ``row`` (not saved), ``pending`` until the antivirus answers."""
    row.file.save("file", uploaded_file, save=False)
    row.original_name = checked.name
    row.content_type = checked.kind.content_type
    row.size = checked.size
    row.sha256 = checked.sha256
    row.scan_status = ScanStatus.PENDING
    return row


_STATUS = {
    Verdict.CLEAN: ScanStatus.CLEAN,
    Verdict.INFECTED: ScanStatus.INFECTED,
    Verdict.ERROR: ScanStatus.ERROR,
}
_RESCANNABLE = (ScanStatus.PENDING, ScanStatus.ERROR)


def scan(model: type[PaymentProof] | type[Report], pk: int, action: str) -> str:
    """Scan one stored file and record the verdict (fail closed: anything but a clear "OK" is
    not clean; without a scanner it stays pending). Returns the status."""
    row: ScannedFile | None = model.objects.filter(pk=pk).first()
    if row is None or not row.file:
        return "missing"
    if row.scan_status not in _RESCANNABLE:
        return row.scan_status
    client = configured_client()
    if client is None:
        return row.scan_status
    stored = row.file.name
    try:
        with row.file.open("rb") as handle:
            result = client.scan_file(cast(BinaryIO, handle))
    except OSError as error:
        result = ScanResult(Verdict.ERROR, f"storage: {error}"[:200])
    status = _STATUS[result.verdict]
    with transaction.atomic():
        updated = model.objects.filter(pk=pk, file=stored, scan_status__in=_RESCANNABLE).update(
            scan_status=status
        )
        if updated:
            record(
                actor=None,
                action=f"{action}_{result.verdict.value}",
                obj=row,
                data={"detail": result.detail, "sha256": row.sha256},
            )
    if result.verdict is Verdict.ERROR:
        logger.warning("Antivirus scan failed for %s %s: %s", action, pk, result.detail)
    return status
