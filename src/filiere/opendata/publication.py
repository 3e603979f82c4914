"""The published files, rendered once per version and kept in the cache.

A version is what ``selectors.publication_stamp`` says (how many awards, their total, the
latest change, the payments) with the publisher's settings and the files' format: the same
version gives the same bytes, so its hash is the files' ETag and a conditional request costs one
query and no rendering. (A call or a fund renamed after its awards does not make a new version:
a fresh download has the new name once the cached copy expires, a revalidation keeps the old
file until the next change.)
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.cache import cache
from django.urls import reverse
from django.utils import translation

from filiere.calls.models import Fund

from . import giving, scdl
from .publisher import publisher
from .selectors import PublicationStamp, publication_stamp, published_awards

SCDL, GIVING = "scdl", "360giving"
KINDS = (SCDL, GIVING)
MEDIA_TYPES = {SCDL: "text/csv; charset=utf-8", GIVING: "application/json"}
URL_NAMES = {SCDL: "opendata:scdl", GIVING: "opendata:360giving"}
BASE_NAMES = {SCDL: "scdl-subventions", GIVING: "360giving"}
EXTENSIONS = {SCDL: "csv", GIVING: "json"}
CACHE_SECONDS = 60 * 60
# Raised when the files' content changes for the same data (a new field, another format), so
# that harvesters and the cache do not keep the old one.
FORMAT = 1


@dataclass(frozen=True)
class FileVersion:
    """What a conditional request needs, without the content."""

    kind: str
    fund: Fund | None
    stamp: PublicationStamp
    key: str
    etag: str  # quoted, as the ETag header writes it
    last_modified: datetime | None
    media_type: str
    filename: str


def file_url(kind: str, fund: Fund | None = None) -> str:
    """The file's stable address (the French one, without a language prefix), absolute."""
    with translation.override(settings.LANGUAGE_CODE):
        path = reverse(URL_NAMES[kind])
    query = f"?fund={fund.slug}" if fund is not None else ""
    return f"{settings.FILIERE_SITE_URL}{path}{query}"


def dataset_url() -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return f"{settings.FILIERE_SITE_URL}{reverse('opendata:dataset')}"


def _call_url(slug: str) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return f"{settings.FILIERE_SITE_URL}{reverse('calls:detail', args=[slug])}"


def _version(kind: str, fund: Fund | None, stamp: PublicationStamp) -> str:
    mark = [
        FORMAT,
        kind,
        fund.slug if fund else "",
        stamp.count,
        str(stamp.total),
        stamp.latest.isoformat() if stamp.latest else "",
        str(stamp.paid),
        stamp.paid_count,
        publisher(),
        settings.FILIERE_SITE_URL,
    ]
    return hashlib.sha256(repr(mark).encode()).hexdigest()[:40]


def _render(kind: str, fund: Fund | None, stamp: PublicationStamp) -> bytes:
    awards = published_awards(fund)
    if kind == SCDL:
        return scdl.render(awards, publisher())
    title = "Subventions attribuées" + (f" — {fund.name_fr}" if fund else "")
    data = giving.package(
        awards,
        publisher(),
        title=title,
        modified=stamp.latest,
        call_url=_call_url,
        download_url=file_url(GIVING, fund),
        access_url=dataset_url(),
    )
    return json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8")


def file_version(kind: str, fund: Fund | None = None) -> FileVersion:
    """The file's current version: one query."""
    stamp = publication_stamp(fund)
    version = _version(kind, fund, stamp)
    suffix = f"-{fund.slug}" if fund else ""
    return FileVersion(
        kind=kind,
        fund=fund,
        stamp=stamp,
        key=f"opendata:file:{version}",
        etag=f'"{version}"',
        last_modified=stamp.latest,
        media_type=MEDIA_TYPES[kind],
        filename=f"{BASE_NAMES[kind]}{suffix}.{EXTENSIONS[kind]}",
    )


def file_content(version: FileVersion) -> bytes:
    """The file's bytes: from the cache, or rendered and kept there."""
    content: bytes | None = cache.get(version.key)
    if content is None:
        content = _render(version.kind, version.fund, version.stamp)
        cache.set(version.key, content, CACHE_SECONDS)
    return content
