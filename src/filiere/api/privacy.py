"""The caller's own data, all of it: ``/api/v1/me/export`` (the JSON part of the export).

The same data as the ZIP of the privacy pages (``filiere.privacy.selectors.collect``), keys
documented in docs/privacy.md; each call is audited (``privacy.exported``).
"""

from typing import Any

from ninja import Router, Schema

from filiere.privacy import services

from .auth import SIGNED_IN, SignedInRequest
from .errors import AUTH_ERRORS

router = Router(tags=["me"])


class ExportOut(Schema):
    format: dict[str, Any]
    account: dict[str, Any]
    profile: dict[str, Any] | None
    applications: list[dict[str, Any]]
    expert: dict[str, Any]
    committee: dict[str, Any]
    matchmaking: dict[str, Any]
    events: dict[str, Any] | None
    audit: list[dict[str, Any]]


@router.get(
    "",
    response={200: ExportOut, **AUTH_ERRORS},
    auth=SIGNED_IN,
    summary="All my data",
    description=(
        "Everything the platform holds about the caller (account, profile, applications, "
        "reviews, votes, offers and needs, introductions, event registrations, audit log), "
        "as in the export of the privacy pages. Other people appear by name only."
    ),
)
def my_data(request: SignedInRequest) -> dict[str, Any]:
    # permission: signed in (token or session); only the caller's own data
    return services.export_data(user=request.auth, by=request.auth)
