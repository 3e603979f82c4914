"""Who may do what with accounts. Every view names the rule it applies."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeGuard

from allauth.mfa.models import Authenticator
from django.conf import settings

from .models import Role, User

if TYPE_CHECKING:
    from .types import AnyUser


def is_signed_in(user: AnyUser | None) -> TypeGuard[User]:
    return bool(user and user.is_authenticated)


def is_staff(user: AnyUser | None) -> bool:
    return is_signed_in(user) and (user.has_role(Role.STAFF) or user.has_role(Role.ADMIN))


def is_admin(user: AnyUser | None) -> bool:
    return is_signed_in(user) and user.has_role(Role.ADMIN)


def requires_mfa(user: AnyUser | None) -> bool:
    """Staff, committee members, experts and administrators (with a global or a scoped grant)
    must sign in with a second factor (FILIERE_MFA_REQUIRED_ROLES)."""
    if not is_signed_in(user):
        return False
    return any(user.has_role_anywhere(role) for role in settings.FILIERE_MFA_REQUIRED_ROLES)


def has_second_factor(user: User) -> bool:
    """An active authenticator app (TOTP). Recovery codes alone are a way back in, not a factor."""
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
