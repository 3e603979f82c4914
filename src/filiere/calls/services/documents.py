"""Uploaded documents: checked by name, size and content, stored under a random name, scanned.

What is checked, before anything is stored:

- **name**: directories are stripped (``C:\\Users\\me\\cv.pdf`` → ``cv.pdf``); ``..`` segments,
  control characters, an empty name and names longer than ``MAX_NAME_LENGTH`` are refused;
- **size**: at most ``FILIERE_UPLOAD_MAX_BYTES`` (or the document type's own limit); the view
  also refuses an oversized request before its body is read (:class:`LimitedUploadHandler`);
- **content** (magic bytes, never the extension alone): PDF, PNG, JPEG, DOCX, XLSX, ODT, ODS and
  plain UTF-8 text; the extension must agree with the content (an ``.exe`` renamed ``.pdf`` is
  refused as "not a PDF"). Office files are ZIP archives: their inner structure is checked and
  so are zip bombs (total unpacked size, per-entry and overall compression ratios, number of
  entries, encrypted entries), and every entry is unpacked once (bounded) to verify its CRC.

The SHA-256 of the bytes is stored; the antivirus runs after the commit (``tasks.scan_document``).
Failures raise :class:`UploadError` with a code (``upload.*``) translated by ``calls.phrases``.
"""

from __future__ import annotations

import codecs
import hashlib
import os
import unicodedata
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from typing import IO, TYPE_CHECKING, BinaryIO, cast

from django.conf import settings
from django.core.files.base import File
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.db import transaction
from django.db.models.fields.files import FieldFile
from django.http import HttpRequest
from django.utils import timezone

from filiere import errors
from filiere.audit.services import record

from .. import events, throttle
from ..models import Application, Call, Document, DocumentType, ScanStatus
from ..permissions import can_edit_application, can_view_documents
from .applications import lock_for_edit

if TYPE_CHECKING:
    from filiere.accounts.models import User
    from filiere.accounts.types import AnyUser

MAX_NAME_LENGTH = 150
SNIFF_BYTES = 8192
CHUNK = 64 * 1024
MAX_ZIP_ENTRIES = 2000
#: Deflate reaches about 10:1 on office XML; 100:1 on one entry or on the whole file is a bomb.
MAX_ZIP_RATIO = 100


class UploadError(errors.Invalid):
    """A refused file (``upload.*``, said by ``calls.phrases``): its name, size or content."""


@dataclass(frozen=True)
class Kind:
    code: str
    content_type: str
    extensions: tuple[str, ...]
    label: str = ""


KINDS: dict[str, Kind] = {
    kind.code: kind
    for kind in (
        Kind("pdf", "application/pdf", (".pdf",), "PDF"),
        Kind("png", "image/png", (".png",), "PNG"),
        Kind("jpeg", "image/jpeg", (".jpg", ".jpeg"), "JPEG"),
        Kind(
            "docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            (".docx",),
            "Word (.docx)",
        ),
        Kind(
            "xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            (".xlsx",),
            "Excel (.xlsx)",
        ),
        Kind("odt", "application/vnd.oasis.opendocument.text", (".odt",), "OpenDocument (.odt)"),
        Kind(
            "ods",
            "application/vnd.oasis.opendocument.spreadsheet",
            (".ods",),
            "OpenDocument (.ods)",
        ),
        Kind("text", "text/plain; charset=utf-8", (".txt", ".csv", ".md"), "text"),
    )
}
ACCEPTED_EXTENSIONS = tuple(ext for kind in KINDS.values() for ext in kind.extensions)
_ODF_MIMETYPES = {
    b"application/vnd.oasis.opendocument.text": "odt",
    b"application/vnd.oasis.opendocument.spreadsheet": "ods",
}


# --- Name ---------------------------------------------------------------------------------------


def clean_file_name(raw: str | None) -> str:
    """The name to show and offer at download; never used to store the file."""
    name = unicodedata.normalize("NFC", raw or "")
    if any(unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") for ch in name):
        raise UploadError("upload.name_control_characters")
    parts = name.replace("\\", "/").split("/")
    if ".." in (part.strip() for part in parts):
        raise UploadError("upload.name_traversal")
    name = parts[-1].strip().strip(".")
    if not name:
        raise UploadError("upload.name_empty")
    if len(name) > MAX_NAME_LENGTH:
        raise UploadError("upload.name_too_long", {"max_chars": MAX_NAME_LENGTH})
    return name


def extension_of(name: str) -> str:
    return os.path.splitext(name)[1].lower()


# --- Size ---------------------------------------------------------------------------------------


def max_bytes_for(document_type: DocumentType | None) -> int:
    by_type = getattr(settings, "FILIERE_UPLOAD_MAX_BYTES_BY_TYPE", {})
    if document_type is not None and document_type.code in by_type:
        return int(by_type[document_type.code])
    return int(settings.FILIERE_UPLOAD_MAX_BYTES)


def largest_upload() -> int:
    """The largest size any document type accepts: the limit of the request itself."""
    by_type = getattr(settings, "FILIERE_UPLOAD_MAX_BYTES_BY_TYPE", {})
    return max([int(settings.FILIERE_UPLOAD_MAX_BYTES), *map(int, by_type.values())])


class LimitedUploadHandler(FileUploadHandler):
    """Stops reading an upload as soon as it passes ``limit`` bytes (nothing more is kept).

    Install it before ``request.POST`` or ``request.FILES`` is read (the view is CSRF-exempt
    outside and CSRF-protected inside, as Django's documentation explains).
    """

    def __init__(self, request: HttpRequest | None = None, *, limit: int) -> None:
        super().__init__(request)
        self.limit = limit
        self.received = 0
        self.too_large = False

    def handle_raw_input(
        self,
        input_data: IO[bytes],
        META: dict[str, str],
        content_length: int,
        boundary: str,
        encoding: str | None = None,
    ) -> None:
        if content_length and content_length > self.limit + 256 * 1024:
            self.too_large = True  # the view refuses before reading; this is a safety net
        return None

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.received += len(raw_data)
        if self.too_large or self.received > self.limit:
            self.too_large = True
            raise StopUpload(connection_reset=False)
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None


# --- Content ------------------------------------------------------------------------------------


def _sniff(head: bytes) -> str | None:
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"PK\x03\x04"):
        return "zip"
    return None


def _check_zip(fileobj: BinaryIO, size: int) -> str:
    """The office kind of a ZIP archive, after the zip-bomb checks; raises UploadError."""
    limit = int(getattr(settings, "FILIERE_UPLOAD_MAX_UNZIPPED_BYTES", 100 * 1024 * 1024))
    try:
        archive = zipfile.ZipFile(fileobj)
    except (zipfile.BadZipFile, OSError, ValueError):
        raise UploadError("upload.corrupt_archive") from None
    with archive:
        entries = archive.infolist()
        if len(entries) > MAX_ZIP_ENTRIES:
            raise UploadError("upload.archive_too_many_entries", {"max_entries": MAX_ZIP_ENTRIES})
        total = sum(entry.file_size for entry in entries)
        if total > limit:
            raise UploadError("upload.archive_too_large_unpacked", {"limit": limit})
        if size and total > MAX_ZIP_RATIO * max(size, 1024):
            raise UploadError("upload.archive_ratio", {"ratio": MAX_ZIP_RATIO})
        for entry in entries:
            if entry.flag_bits & 0x1:
                raise UploadError("upload.archive_encrypted")
            if entry.file_size > MAX_ZIP_RATIO * max(entry.compress_size, 1024):
                raise UploadError("upload.archive_ratio", {"ratio": MAX_ZIP_RATIO})
        names = {entry.filename for entry in entries}
        kind = None
        if "[Content_Types].xml" in names and "word/document.xml" in names:
            kind = "docx"
        elif "[Content_Types].xml" in names and "xl/workbook.xml" in names:
            kind = "xlsx"
        elif entries and entries[0].filename == "mimetype" and entries[0].file_size < 100:
            kind = _ODF_MIMETYPES.get(archive.read(entries[0]).strip())
        if kind is None:
            raise UploadError("upload.archive_not_office")
        # Unpack every entry once, bounded by the declared sizes checked above: zipfile stops at
        # the declared size and checks the CRC, so a lying header is caught here.
        unpacked = 0
        try:
            for entry in entries:
                with archive.open(entry) as member:
                    while data := member.read(CHUNK):
                        unpacked += len(data)
                        if unpacked > limit:
                            raise UploadError("upload.archive_too_large_unpacked", {"limit": limit})
        except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError, RuntimeError):
            raise UploadError("upload.corrupt_archive") from None
        return kind


def _is_text(fileobj: BinaryIO) -> bool:
    decoder = codecs.getincrementaldecoder("utf-8")()
    allowed_controls = {"\t", "\n", "\r", "\f"}
    fileobj.seek(0)
    try:
        while data := fileobj.read(CHUNK):
            text = decoder.decode(data)
            if any(unicodedata.category(ch) == "Cc" and ch not in allowed_controls for ch in text):
                return False
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def detect_kind(
    fileobj: BinaryIO, *, name: str, size: int, kinds: Iterable[str] | None = None
) -> Kind:
    """What the bytes are, checked against the name's extension; raises UploadError.

    ``kinds`` narrows the accepted kinds (codes of :data:`KINDS`; all of them by default)."""
    accepted = tuple(kinds) if kinds is not None else tuple(KINDS)
    extension = extension_of(name)
    if extension not in (ext for code in accepted for ext in KINDS[code].extensions):
        code = "upload.extension_not_accepted" if kinds is None else "upload.kind_not_accepted"
        raise UploadError(code, {"extension": extension or "—", "accepted": _labels(accepted)})
    fileobj.seek(0)
    head = fileobj.read(SNIFF_BYTES)
    sniffed = _sniff(head)
    if sniffed == "zip":
        fileobj.seek(0)
        sniffed = _check_zip(fileobj, size)
    elif sniffed is None and extension in KINDS["text"].extensions and _is_text(fileobj):
        sniffed = "text"
    if sniffed is None:
        raise UploadError("upload.content_not_accepted", {"extension": extension})
    kind = KINDS[sniffed]
    if extension not in kind.extensions:
        raise UploadError(
            "upload.extension_mismatch", {"extension": extension, "detected": kind.label}
        )
    return kind


def _labels(codes: Iterable[str]) -> str:
    return ", ".join(KINDS[code].label for code in codes)


@dataclass(frozen=True)
class CheckedUpload:
    name: str
    kind: Kind
    size: int
    sha256: str


def check_upload(
    uploaded_file: File,
    *,
    document_type: DocumentType | None,
    kinds: Iterable[str] | None = None,
    limit: int | None = None,
) -> CheckedUpload:
    """Every check on an uploaded file (Django ``UploadedFile``), cheapest first.

    Message attachments and a call's rules PDF pass here too, with their own ``kinds`` and
    ``limit`` (:func:`check_attachment`, :func:`check_rules_pdf`)."""
    name = clean_file_name(uploaded_file.name)
    limit = max_bytes_for(document_type) if limit is None else limit
    size = uploaded_file.size or 0
    if size > limit:
        raise UploadError("upload.too_large", {"size": size, "limit": limit})
    if size == 0:
        raise UploadError("upload.empty")
    # Django's File proxies the file object's read and seek.
    kind = detect_kind(cast(BinaryIO, uploaded_file), name=name, size=size, kinds=kinds)
    digest = hashlib.sha256()
    uploaded_file.seek(0)
    for chunk in uploaded_file.chunks(CHUNK):
        digest.update(chunk)
    uploaded_file.seek(0)
    return CheckedUpload(name=name, kind=kind, size=size, sha256=digest.hexdigest())


#: What a message may carry (both directions) and a call's rules document.
ATTACHMENT_KINDS = ("pdf", "png", "jpeg")
RULES_PDF_KINDS = ("pdf",)


def attachment_max_bytes() -> int:
    return int(settings.FILIERE_MESSAGE_ATTACHMENT_MAX_BYTES)


def rules_pdf_max_bytes() -> int:
    return int(settings.FILIERE_RULES_PDF_MAX_BYTES)


def check_attachment(uploaded_file: File) -> CheckedUpload:
    """A message attachment: PDF, PNG or JPEG by content, the extension agreeing."""
    return check_upload(
        uploaded_file, document_type=None, kinds=ATTACHMENT_KINDS, limit=attachment_max_bytes()
    )


def check_rules_pdf(uploaded_file: File) -> CheckedUpload:
    """A call's rules document: a PDF by content, named ``.pdf``."""
    return check_upload(
        uploaded_file, document_type=None, kinds=RULES_PDF_KINDS, limit=rules_pdf_max_bytes()
    )


# --- Services -----------------------------------------------------------------------------------


def add_document(
    *, application: Application, document_type: DocumentType, uploaded_file: File, by: User
) -> Document:
    """Check and store an upload on an editable application; the scan runs after the commit.

    Every attempt counts against the user's ``FILIERE_UPLOAD_RATE`` (``throttle.Throttled``
    beyond it, before the file is read)."""
    throttle.hit(scope="upload", user=by)
    checked = check_upload(uploaded_file, document_type=document_type)
    with transaction.atomic():
        locked = lock_for_edit(application=application, by=by)
        document = Document(
            application=locked,
            document_type=document_type,
            original_name=checked.name,
            content_type=checked.kind.content_type,
            size=checked.size,
            sha256=checked.sha256,
            uploaded_by=by,
        )
        document.file.save("upload", uploaded_file, save=False)
        document.save()
        record(
            actor=by,
            action="calls.document.uploaded",
            obj=document,
            data={
                "application": locked.reference,
                "document_type": document_type.code,
                "size": checked.size,
                "sha256": checked.sha256,
                "content_type": checked.kind.content_type,
            },
        )
        events.publish(events.DocumentUploaded(document_id=document.pk))
    return document


def delete_document(*, document: Document, by: User) -> None:
    with transaction.atomic():
        lock_for_edit(application=document.application, by=by)
        record(
            actor=by,
            action="calls.document.deleted",
            obj=document,
            data={"sha256": document.sha256, "application": document.application.reference},
        )
        stored = document.file.name
        storage = document.file.storage
        document.delete()
        if stored:  # always: a document is its stored file
            transaction.on_commit(lambda: storage.delete(stored))


def attach_rules_pdf(*, call: Call, uploaded_file: File, name: str) -> CheckedUpload:
    """Check a call's rules PDF and store it on ``call`` (saved by the caller, in its
    transaction) as ``pending``; the antivirus runs after the commit, and the PDF is offered
    for download only once clean."""
    checked = check_rules_pdf(uploaded_file)
    call.rules_pdf.save(name, uploaded_file, save=False)
    call.rules_pdf_sha256 = checked.sha256
    call.rules_pdf_scan_status = ScanStatus.PENDING
    # Built at the commit: a new call gets its primary key when the caller saves it.
    transaction.on_commit(lambda: events.dispatch(events.RulesPdfUploaded(call_id=call.pk)))
    return checked


def open_rules_pdf(*, call: Call) -> FieldFile:
    """The call's rules PDF, opened, only when the antivirus said clean (:class:`NotServable`
    otherwise; ``Call.DoesNotExist`` when there is none)."""
    if not call.rules_pdf:
        raise Call.DoesNotExist
    if call.rules_pdf_scan_status != ScanStatus.CLEAN:
        raise NotServable(call.rules_pdf_scan_status)
    return call.rules_pdf.open("rb")


class NotServable(errors.ServiceError):
    """The document exists and the reader may see it, but it cannot be served now (409): the
    antivirus has not said clean (``scan_status``)."""

    def __init__(self, scan_status: str) -> None:
        super().__init__("upload.not_servable", {"scan_status": scan_status})
        self.scan_status = scan_status


def open_for_download(*, document: Document, by: AnyUser) -> FieldFile:
    """The stored file, opened, for a reader allowed to see it; only when the scan said clean."""
    if not can_view_documents(by, document.application):
        raise Document.DoesNotExist
    if document.scan_status != Document.Scan.CLEAN:
        raise NotServable(document.scan_status)
    return document.file.open("rb")


def may_delete(user: AnyUser, document: Document) -> bool:
    return can_edit_application(user, document.application, timezone.now())


__all__ = [
    "ACCEPTED_EXTENSIONS",
    "KINDS",
    "CheckedUpload",
    "LimitedUploadHandler",
    "NotServable",
    "UploadError",
    "add_document",
    "attach_rules_pdf",
    "check_attachment",
    "check_rules_pdf",
    "check_upload",
    "clean_file_name",
    "delete_document",
    "detect_kind",
    "largest_upload",
    "max_bytes_for",
    "open_for_download",
    "open_rules_pdf",
]
