from django.db import transaction
from django.utils import timezone

from filiere.audit.services import record

from .models import ApiToken, Role, RoleGrant, User, hash_token


class PermissionDenied(Exception):
    """The acting user may not do this."""


def _require_admin(by: User | None) -> None:
    if by is not None and not by.has_role(Role.ADMIN):
        raise PermissionDenied("Only administrators manage roles.")


@transaction.atomic
def grant_role(
    *,
    user: User,
    role: str,
    by: User | None,
    scope_type: str = "",
    scope_id: int = 0,
    reason: str = "",
) -> RoleGrant:
    """Give `user` a role (optionally scoped). `by=None` means the platform itself (set-up)."""
    _require_admin(by)
    grant, created = RoleGrant.objects.get_or_create(
        user=user,
        role=role,
        scope_type=scope_type,
        scope_id=scope_id,
        revoked_at=None,
        defaults={"granted_by": by},
    )
    if created:
        if role == Role.ADMIN and not user.is_staff:
            user.is_staff = user.is_superuser = True
            user.save(update_fields=["is_staff", "is_superuser"])
        record(
            actor=by,
            action="role.granted",
            obj=user,
            reason=reason,
            data={"role": role, "scope_type": scope_type, "scope_id": scope_id},
        )
    user.__dict__.pop("_role_set", None)
    return grant


@transaction.atomic
def revoke_role(*, grant: RoleGrant, by: User | None, reason: str = "") -> None:
    _require_admin(by)
    if grant.revoked_at is not None:
        return
    grant.revoked_at = timezone.now()
    grant.save(update_fields=["revoked_at"])
    if grant.role == Role.ADMIN:
        User.objects.filter(pk=grant.user_id).update(is_staff=False, is_superuser=False)
    record(
        actor=by,
        action="role.revoked",
        obj=grant.user,
        reason=reason,
        data={"role": grant.role, "scope_type": grant.scope_type, "scope_id": grant.scope_id},
    )


@transaction.atomic
def create_api_token(*, user: User, name: str) -> tuple[ApiToken, str]:
    """Create a token and return it with the raw key, which is never shown again."""
    raw = ApiToken.new_key()
    token = ApiToken.objects.create(user=user, name=name, key_hash=hash_token(raw), hint=raw[:8])
    record(actor=user, action="api_token.created", obj=token)
    return token, raw


@transaction.atomic
def revoke_api_token(*, token: ApiToken, by: User) -> None:
    if token.user_id != by.pk:
        raise PermissionDenied("A token can only be revoked by its owner.")
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        record(actor=by, action="api_token.revoked", obj=token)


def authenticate_api_key(raw: str) -> User | None:
    """The active user behind a raw API key, or None."""
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=hash_token(raw), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    # Write at most once a minute: a busy client must not turn reads into writes.
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
