"""Open data: ``GET /api/v1/open-data`` — where the published awards' files are, public.

The answer lists the two files for all funds (SCDL *subventions* CSV, 360Giving JSON package)
and for each fund with published awards (``?fund=<slug>``), their licence, and the date of the
latest change; the files themselves are served by the open-data pages (``filiere.opendata``).
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from django.http import HttpRequest
from ninja import Router, Schema

from filiere.calls.models import Fund
from filiere.opendata import publication
from filiere.opendata.publisher import LICENCE_NAME, LICENCE_URL
from filiere.opendata.selectors import publication_stamp, published_funds

from .auth import OPTIONAL
from .errors import AUTH_ERRORS

router = Router(tags=["open data"])

STANDARDS = {
    publication.SCDL: ("SCDL subventions 2.1", "https://schema.data.gouv.fr/scdl/subventions/"),
    publication.GIVING: ("360Giving Data Standard 1.4", "https://standard.threesixtygiving.org/"),
}


class LicenceOut(Schema):
    name: str
    url: str


class FileOut(Schema):
    #: ``scdl`` (CSV) or ``360giving`` (JSON).
    format: str
    standard: str
    standard_url: str
    url: str
    media_type: str


class FundFilesOut(Schema):
    slug: str
    name: str
    files: list[FileOut]


class OpenDataOut(Schema):
    dataset_url: str
    licence: LicenceOut
    #: The latest change of a published award; null when none is published yet.
    updated_at: datetime | None
    #: How many awards are published, and their total (EUR).
    grants: int
    total_awarded: Decimal
    files: list[FileOut]
    funds: list[FundFilesOut]


def _files(fund: Fund | None) -> list[FileOut]:
    return [
        FileOut(
            format=kind,
            standard=STANDARDS[kind][0],
            standard_url=STANDARDS[kind][1],
            url=publication.file_url(kind, fund),
            media_type=publication.MEDIA_TYPES[kind],
        )
        for kind in publication.KINDS
    ]


@router.get(
    "/open-data",
    response={200: OpenDataOut, **AUTH_ERRORS},
    auth=OPTIONAL,
    summary="Open data: the published awards' files",
    description=(
        "The addresses of the SCDL subventions CSV and the 360Giving JSON package, for all "
        "funds and for each fund with published awards, with their licence (Licence Ouverte "
        "2.0) and the date of the latest change."
    ),
)
def open_data(request: HttpRequest) -> OpenDataOut:
    # permission: public (open data)
    stamp = publication_stamp()
    return OpenDataOut(
        dataset_url=publication.dataset_url(),
        licence=LicenceOut(name=LICENCE_NAME, url=LICENCE_URL),
        updated_at=stamp.latest,
        grants=stamp.count,
        total_awarded=stamp.total,
        files=_files(None),
        funds=[
            FundFilesOut(slug=fund.slug, name=fund.name, files=_files(fund))
            for fund in published_funds()
        ],
    )
