"""Accounts test data: users, role holders and second factors (allauth's own API)."""

import base64
import hashlib
import hmac
import struct
import time

import factory
from allauth.account.models import EmailAddress
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

from filiere.accounts.models import Role, User
from filiere.accounts.services import grant_role

PASSWORD = "correct-horse-battery-staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def verified(self, create, extracted, **kwargs):
        """A verified primary e-mail address, as after a completed sign-up (verified=False: not)."""
        if create:
            self.save()
            EmailAddress.objects.create(
                user=self, email=self.email, primary=True, verified=extracted is not False
            )


def activate_totp(user: User) -> str:
    """Give `user` an authenticator app and recovery codes, as allauth's activation does;
    returns the app's base32 secret."""
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    RecoveryCodes.activate(user)
    return secret


def totp_code(secret: str, at: float | None = None) -> str:
    """The 6-digit code an authenticator app shows now (RFC 6238, SHA-1, 30 s)."""
    counter = int((time.time() if at is None else at) // 30)
    digest = hmac.new(base64.b32decode(secret), struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 1_000_000:06d}"


# Roles that must use a second factor (settings.FILIERE_MFA_REQUIRED_ROLES).
MFA_ROLES = {Role.STAFF, Role.COMMITTEE, Role.ADMIN, Role.EXPERT}


def user_with_role(role: str | None, *, with_totp: bool | None = None, **kwargs) -> User:
    """A user holding `role` globally (None or "member": no grant). Roles that require a second
    factor get an authenticator unless with_totp=False."""
    user = UserFactory(**kwargs)
    if role and role != Role.MEMBER:
        grant_role(user=user, role=role, by=None)
        user.refresh_from_db()
    if with_totp if with_totp is not None else role in MFA_ROLES:
        activate_totp(user)
    return user


def sign_in(client, user: User, *, secret: str | None = None, reauthenticate: bool = False):
    """Sign in through allauth's real forms (and the code step when the user has TOTP).

    reauthenticate=True also confirms the password again, as allauth asks before any change
    to the second factors."""
    from django.urls import reverse

    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302, response.status_code
    if response["Location"].endswith(reverse("mfa_authenticate")):
        assert secret, "this user has a second factor: pass its secret"
        response = client.post(reverse("mfa_authenticate"), {"code": totp_code(secret)})
        assert response.status_code == 302, response.status_code
    if reauthenticate:
        reauthentication = client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
        assert reauthentication.status_code == 302, reauthentication.status_code
    return response
