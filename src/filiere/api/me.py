"""The caller's own account: who am I, my roles, my API tokens."""

from datetime import datetime
from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Router, Schema, Status

from filiere.accounts import services
from filiere.accounts.models import ApiToken

from .auth import SIGNED_IN, SignedInRequest
from .errors import AUTH_ERRORS, ErrorOut

router = Router(tags=["me"])


class RoleOut(Schema):
    role: str
    label: str
    scope_type: str
    scope_id: int | None


class MeOut(Schema):
    id: int
    email: str
    name: str
    preferred_language: str
    roles: list[RoleOut]


class TokenOut(Schema):
    id: int
    name: str
    hint: str
    created_at: datetime
    expires_at: datetime
    read_only: bool
    last_used_at: datetime | None


@router.get("", response={200: MeOut, **AUTH_ERRORS}, auth=SIGNED_IN, summary="Who am I")
def me(request: SignedInRequest) -> dict[str, Any]:
    # permission: signed in (token or session); only the caller's own account
    user = request.auth
    grants = user.role_grants.filter(revoked_at__isnull=True).order_by("role", "scope_type")
    return {
        "id": user.pk,
        "email": user.email,
        "name": user.get_full_name(),
        "preferred_language": user.preferred_language,
        "roles": [
            {
                "role": grant.role,
                "label": str(grant.get_role_display()),
                "scope_type": grant.scope_type,
                "scope_id": grant.scope_id or None,
            }
            for grant in grants
        ],
    }


@router.get(
    "/tokens",
    response={200: list[TokenOut], **AUTH_ERRORS},
    auth=SIGNED_IN,
    summary="My active API tokens",
)
def my_tokens(request: SignedInRequest) -> QuerySet[ApiToken]:
    # permission: signed in; only the caller's own tokens
    return request.auth.api_tokens.filter(revoked_at__isnull=True, expires_at__gt=timezone.now())


@router.delete(
    "/tokens/{token_id}",
    response={204: None, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    auth=SIGNED_IN,
    summary="Revoke a token",
)
def revoke_token(request: SignedInRequest, token_id: int) -> Status:
    # permission: signed in; own tokens only (404 otherwise)
    token = get_object_or_404(ApiToken, pk=token_id, user=request.auth)
    services.revoke_api_token(token=token, by=request.auth)
    return Status(204, None)
