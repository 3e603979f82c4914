"""Antivirus: a small client of clamd's INSTREAM protocol, and the scan of stored files.

Application documents, message attachments (both directions) and a call's rules PDF all go
through :func:`_scan`: stored as ``pending``, then ``clean``, ``infected`` or ``error``.

clamd (the ClamAV daemon) listens on a unix socket (``FILIERE_CLAMD_SOCKET``) or on TCP
(``FILIERE_CLAMD_HOST`` / ``FILIERE_CLAMD_PORT``). INSTREAM, as clamd's manual describes it: send
``zINSTREAM\\0``, then the file as chunks each preceded by its length (4 bytes, network order),
then a zero-length chunk; clamd answers one line: ``stream: OK``, ``stream: <signature> FOUND`` or
``... ERROR``.

Fail closed: anything but a clear ``OK`` is not clean. A scanner that cannot be reached, times
out or answers something unexpected gives ``error``; a file is served only when ``clean``.
Without a configured scanner (a laptop), files stay ``pending`` and are never served.
"""

from __future__ import annotations

import logging
import socket
import struct
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import BinaryIO

from django.conf import settings
from django.db import transaction

from filiere.audit.services import record

from ..models import Call, Document, Message, ScanStatus

logger = logging.getLogger(__name__)

CHUNK_SIZE = 64 * 1024


class Verdict(StrEnum):
    CLEAN = "clean"
    INFECTED = "infected"
    ERROR = "error"


@dataclass(frozen=True)
class ScanResult:
    verdict: Verdict
    #: The signature name when infected, clamd's words when it failed.
    detail: str = ""


class ClamdClient:
    """One connection per command; nothing is kept open between scans."""

    def __init__(
        self,
        *,
        socket_path: str = "",
        host: str = "",
        port: int = 3310,
        timeout: float = 60.0,
    ) -> None:
        if not socket_path and not host:
            raise ValueError("clamd needs a unix socket path or a host")
        self.socket_path = socket_path
        self.host = host
        self.port = port
        self.timeout = timeout

    def _connect(self) -> socket.socket:
        if self.socket_path:
            conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            conn.settimeout(self.timeout)
            try:
                conn.connect(self.socket_path)
            except OSError:
                conn.close()
                raise
            return conn
        return socket.create_connection((self.host, self.port), timeout=self.timeout)

    @staticmethod
    def _read_reply(conn: socket.socket) -> str:
        reply = bytearray()
        while not reply.endswith(b"\0"):
            data = conn.recv(4096)
            if not data:
                break
            reply += data
            if len(reply) > 64 * 1024:  # a reply is one short line
                break
        return reply.rstrip(b"\0\n").decode("utf-8", "replace").strip()

    def ping(self) -> bool:
        try:
            with self._connect() as conn:
                conn.sendall(b"zPING\0")
                return self._read_reply(conn) == "PONG"
        except OSError:
            return False

    def scan_chunks(self, chunks: Iterable[bytes]) -> ScanResult:
        """Stream ``chunks`` to clamd and read its verdict; never raises for scanner trouble."""
        try:
            with self._connect() as conn:
                conn.sendall(b"zINSTREAM\0")
                for chunk in chunks:
                    for start in range(0, len(chunk), CHUNK_SIZE):
                        piece = chunk[start : start + CHUNK_SIZE]
                        conn.sendall(struct.pack("!L", len(piece)) + piece)
                conn.sendall(struct.pack("!L", 0))
                reply = self._read_reply(conn)
        except OSError as error:  # refused, reset, timed out, no such socket…
            return ScanResult(Verdict.ERROR, f"{type(error).__name__}: {error}"[:200])
        return parse_reply(reply)

    def scan_file(self, fileobj: BinaryIO) -> ScanResult:
        return self.scan_chunks(iter(lambda: fileobj.read(CHUNK_SIZE), b""))


def parse_reply(reply: str) -> ScanResult:
    """``stream: OK`` → clean; ``stream: X FOUND`` → infected (X); anything else → error."""
    if reply.endswith("ERROR"):
        return ScanResult(Verdict.ERROR, reply[:200])
    if reply.endswith(" FOUND"):
        name = reply.removeprefix("stream:").removesuffix(" FOUND").strip()
        return ScanResult(Verdict.INFECTED, name[:200])
    if reply == "stream: OK":
        return ScanResult(Verdict.CLEAN)
    return ScanResult(Verdict.ERROR, (reply or "no answer")[:200])


def configured_client() -> ClamdClient | None:
    """The client for the configured scanner, or None when there is none (files stay pending)."""
    socket_path = getattr(settings, "FILIERE_CLAMD_SOCKET", "")
    host = getattr(settings, "FILIERE_CLAMD_HOST", "")
    if not socket_path and not host:
        return None
    return ClamdClient(
        socket_path=socket_path,
        host=host,
        port=getattr(settings, "FILIERE_CLAMD_PORT", 3310),
        timeout=getattr(settings, "FILIERE_CLAMD_TIMEOUT", 60.0),
    )


@dataclass(frozen=True)
class _Target:
    """Where a kind of stored file keeps its file, hash and verdict."""

    model: type[Document | Message | Call]
    file_field: str
    status_field: str
    sha_field: str
    action: str  # audit action prefix: ``<action>_clean`` / ``_infected`` / ``_error``


_TARGETS = {
    "document": _Target(Document, "file", "scan_status", "sha256", "calls.document.scan"),
    "attachment": _Target(
        Message,
        "attachment",
        "attachment_scan_status",
        "attachment_sha256",
        "calls.message.attachment_scan",
    ),
    "rules_pdf": _Target(
        Call, "rules_pdf", "rules_pdf_scan_status", "rules_pdf_sha256", "calls.call.rules_pdf_scan"
    ),
}
_STATUS = {
    Verdict.CLEAN: ScanStatus.CLEAN,
    Verdict.INFECTED: ScanStatus.INFECTED,
    Verdict.ERROR: ScanStatus.ERROR,
}
_RESCANNABLE = [ScanStatus.PENDING, ScanStatus.ERROR]


def _scan(target: _Target, pk: int) -> str:
    """Scan one stored file and record the verdict; returns the new status.

    A file already ``clean`` or ``infected`` is left as it is; ``pending`` and ``error`` are
    (re)scanned. Without a scanner the file stays ``pending``. The verdict is written only if the
    row still holds the same file (a rules PDF replaced during the scan is scanned again)."""
    row = target.model.objects.filter(pk=pk).first()
    if row is None:
        return "missing"
    status = getattr(row, target.status_field)
    stored = getattr(row, target.file_field)
    if not stored:
        return "missing"
    if status not in _RESCANNABLE:
        return status
    client = configured_client()
    if client is None:
        return status
    try:
        with stored.open("rb") as handle:
            result = client.scan_file(handle)
    except OSError as error:  # the stored file cannot be read
        result = ScanResult(Verdict.ERROR, f"storage: {error}"[:200])
    status = _STATUS[result.verdict]
    with transaction.atomic():
        updated = target.model.objects.filter(
            pk=pk,
            **{f"{target.status_field}__in": _RESCANNABLE, target.file_field: stored.name},
        ).update(**{target.status_field: status})
        if updated:
            record(
                actor=None,
                action=f"{target.action}_{result.verdict.value}",
                obj=row,
                data={"detail": result.detail, "sha256": getattr(row, target.sha_field)},
            )
    if result.verdict is Verdict.ERROR:
        logger.warning("Antivirus scan failed for %s %s: %s", target.file_field, pk, result.detail)
    return status


def scan_document(*, document_id: int) -> str:
    """Scan one uploaded document (the ``scan_document`` task, after the upload commits)."""
    return _scan(_TARGETS["document"], document_id)


def scan_message_attachment(*, message_id: int) -> str:
    """Scan the attachment of one message (staff's or the applicant team's)."""
    return _scan(_TARGETS["attachment"], message_id)


def scan_rules_pdf(*, call_id: int) -> str:
    """Scan the rules PDF of one call."""
    return _scan(_TARGETS["rules_pdf"], call_id)


def pending_scans() -> dict[str, list[int]]:
    """The files still waiting for a verdict (``pending`` or ``error``), by kind, to rescan."""
    found = {}
    for name, target in _TARGETS.items():
        found[name] = list(
            target.model.objects.filter(**{f"{target.status_field}__in": _RESCANNABLE})
            .exclude(**{target.file_field: ""})
            .order_by("pk")
            .values_list("pk", flat=True)
        )
    return found
