"""Writes about accounts: roles, API tokens, the preferred language. Each one is audited."""

from datetime import timedelta

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone

from filiere import errors
from filiere.audit.services import record

from . import scopes
from .models import ApiToken, Consent, ConsentPurpose, Role, RoleGrant, User, hash_token
from .permissions import has_second_factor, requires_mfa

LANGUAGES = ("fr", "en", "nl")


class PermissionDenied(errors.NotAllowed):
    """The acting user may not do this (an ``accounts.*`` code)."""


class InvalidRequest(errors.Invalid):
    """The request cannot be carried out as asked (an ``accounts.*`` code, ``error.message``
    for people)."""


def _require_admin(by: User | None) -> None:
    if by is not None and not by.has_role(Role.ADMIN):
        raise PermissionDenied("accounts.admin_only")


def _require_reason(by: User | None, reason: str) -> None:
    # The platform itself (by=None: set-up, demo) may act without one; a person must say why.
    if by is not None and not reason.strip():
        raise InvalidRequest("accounts.reason_missing")


def _scope_of(scope: models.Model | None, scope_type: str, scope_id: int) -> tuple[str, int]:
    if scope is None:
        return scope_type, scope_id
    label = scope._meta.label
    for kind in scopes.registered():
        if kind.model.lower() == label.lower():
            return kind.code, scope.pk
    raise InvalidRequest("accounts.scope_unknown")


@transaction.atomic
def grant_role(
    *,
    user: User,
    role: str,
    by: User | None,
    reason: str = "",
    scope: models.Model | None = None,
    scope_type: str = "",
    scope_id: int = 0,
) -> RoleGrant:
    """Give `user` a role, globally or for one object (`scope=call`, or `scope_type`/`scope_id`).

    `by=None` means the platform itself (set-up). Granting a role that requires a second factor
    revokes the user's API tokens: they were made under weaker rules."""
    _require_admin(by)
    _require_reason(by, reason)
    if role not in Role.values:
        raise InvalidRequest("accounts.role_unknown")
    scope_type, scope_id = _scope_of(scope, scope_type, scope_id)
    if role == Role.ADMIN and scope_type:
        # Administrators reach the Django admin (every user, profile and audit entry): the role
        # has no meaning for one fund or one call.
        raise InvalidRequest("accounts.admin_role_scoped")
    grant, created = RoleGrant.objects.get_or_create(
        user=user,
        role=role,
        scope_type=scope_type,
        scope_id=scope_id,
        revoked_at=None,
        defaults={"granted_by": by},
    )
    if created:
        if role == Role.ADMIN:
            _sync_django_admin_access(user)
        record(
            actor=by,
            action="accounts.role.grant",
            obj=user,
            reason=reason,
            data={"role": role, "scope_type": scope_type, "scope_id": scope_id},
        )
        if role in settings.FILIERE_MFA_REQUIRED_ROLES:
            revoke_api_tokens(
                user=user, by=by, reason=f"role {role} granted: a second factor is required"
            )
    user.__dict__.pop("_role_set", None)
    return grant


def _sync_django_admin_access(user: User) -> None:
    """Django admin access (is_staff, is_superuser) follows one thing only: an active global
    administrator grant."""
    admin = RoleGrant.objects.filter(
        user=user, role=Role.ADMIN, scope_type="", revoked_at__isnull=True
    ).exists()
    if (user.is_staff, user.is_superuser) != (admin, admin):
        user.is_staff = user.is_superuser = admin
        user.save(update_fields=["is_staff", "is_superuser"])


@transaction.atomic
def revoke_role(*, grant: RoleGrant, by: User | None, reason: str = "") -> None:
    _require_admin(by)
    _require_reason(by, reason)
    if grant.revoked_at is not None:
        return
    if grant.role == Role.ADMIN and not grant.scope_type:
        others = RoleGrant.objects.filter(
            role=Role.ADMIN, scope_type="", revoked_at__isnull=True
        ).exclude(pk=grant.pk)
        if by is not None and not others.exists():
            raise InvalidRequest("accounts.last_admin")
    grant.revoked_at = timezone.now()
    grant.save(update_fields=["revoked_at"])
    if grant.role == Role.ADMIN:
        _sync_django_admin_access(grant.user)
    record(
        actor=by,
        action="accounts.role.revoke",
        obj=grant.user,
        reason=reason,
        data={"role": grant.role, "scope_type": grant.scope_type, "scope_id": grant.scope_id},
    )
    grant.user.__dict__.pop("_role_set", None)


# --- API tokens ---------------------------------------------------------------------------------


class TokenRefused(errors.ServiceError):
    """A known, unrevoked token that may not be used for this request; `code` says why:
    ``token_expired`` or ``second_factor_required`` (the API answers 401: bad credentials)."""

    status = 401


class ReadOnlyToken(TokenRefused):
    """A read-only token for a request that changes something (``read_only_token``, 403)."""

    status = 403


@transaction.atomic
def create_api_token(*, user: User, name: str, read_only: bool = False) -> tuple[ApiToken, str]:
    """Create a token and return it with the raw key, which is never shown again. It expires
    after FILIERE_API_TOKEN_LIFETIME_DAYS."""
    raw = ApiToken.new_key()
    token = ApiToken.objects.create(
        user=user,
        name=name,
        key_hash=hash_token(raw),
        hint=raw[:8],
        read_only=read_only,
        expires_at=timezone.now() + timedelta(days=settings.FILIERE_API_TOKEN_LIFETIME_DAYS),
    )
    record(
        actor=user,
        action="api_token.created",
        obj=token,
        data={"read_only": read_only, "expires_at": token.expires_at.isoformat()},
    )
    return token, raw


@transaction.atomic
def revoke_api_token(*, token: ApiToken, by: User) -> None:
    if token.user_id != by.pk:
        raise PermissionDenied("accounts.not_token_owner")
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        record(actor=by, action="api_token.revoked", obj=token)


@transaction.atomic
def revoke_api_tokens(*, user: User, by: User | None, reason: str) -> int:
    """Revoke every active token of `user` (after a password change, or a grant that requires a
    second factor); one audit entry per token. Returns how many were revoked."""
    now = timezone.now()
    tokens = list(ApiToken.objects.select_for_update().filter(user=user, revoked_at__isnull=True))
    for token in tokens:
        token.revoked_at = now
        token.save(update_fields=["revoked_at"])
        record(actor=by, action="api_token.revoked", obj=token, reason=reason)
    return len(tokens)


def password_changed(*, user: User) -> int:
    """A new password (changed, reset or set): keys made under the old one stop working."""
    return revoke_api_tokens(user=user, by=user, reason="password changed")


def authenticate_api_key(raw: str, *, write: bool = False) -> User | None:
    """The active user behind a raw API key; None for an unknown or revoked key or an inactive
    account. Raises TokenRefused for a key that exists but may not be used now (expired, a user
    who must use a second factor and has none, a read-only key asked to write)."""
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=hash_token(raw), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.expires_at <= now:
        raise TokenRefused("token_expired")
    if requires_mfa(token.user) and not has_second_factor(token.user):
        raise TokenRefused("second_factor_required")
    if write and token.read_only:
        raise ReadOnlyToken("read_only_token")
    # Write at most once a minute: a busy client must not turn reads into writes.
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


# --- Preferences --------------------------------------------------------------------------------


@transaction.atomic
def set_preferred_language(*, user: User, language: str) -> None:
    """The language of the user's interface (after sign-in) and of the e-mails they receive."""
    if language not in LANGUAGES:
        raise InvalidRequest("accounts.language_unknown")
    if user.preferred_language == language:
        return
    previous = user.preferred_language
    user.preferred_language = language
    user.save(update_fields=["preferred_language"])
    record(
        actor=user,
        action="accounts.language.change",
        obj=user,
        data={"from": previous, "to": language},
    )


def record_consent(*, user: User, purpose: str, granted: bool, source: str = "") -> Consent:
    """Record that ``user`` gives (or withdraws) consent to ``purpose``; the log is kept.
    Saying the same thing twice records nothing new."""
    if purpose not in ConsentPurpose.values:
        raise ValueError(f"unknown consent purpose {purpose!r}")
    latest = Consent.objects.filter(user=user, purpose=purpose).order_by("-recorded_at", "-id")
    current = latest.first()
    if current is not None and current.granted == granted:
        return current
    with transaction.atomic():
        consent = Consent.objects.create(
            user=user, purpose=purpose, granted=granted, source=source[:40]
        )
        record(
            actor=user,
            action="accounts.consent_given" if granted else "accounts.consent_withdrawn",
            obj=user,
            data={"purpose": purpose, "source": source[:40]},
        )
    return consent
