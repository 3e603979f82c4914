"""The demo accounts: one per role, known e-mails, one published password, reset by every run."""

from __future__ import annotations

import base64
import hashlib

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.utils import timezone

from filiere.accounts.models import Role, RoleGrant, User
from filiere.accounts.services import grant_role, revoke_role
from filiere.community.models import Affiliation, AffiliationRole, Organisation, Person, Visibility

from .community import DemoBuilder

# Printed on purpose: demo accounts only, reset by every run of ``manage.py demo``.
DEMO_PASSWORD = "filiere-demo-2009"  # noqa: S105
# (e-mail, first name, last name, roles, gets a directory profile)
DEMO_ACCOUNTS = (
    ("member@example.org", "Camille", "Membre", [Role.MEMBER], True),
    ("applicant@example.org", "Alex", "Porteur", [Role.MEMBER, Role.APPLICANT], True),
    ("expert@example.org", "Dominique", "Experte", [Role.MEMBER, Role.EXPERT], True),
    ("committee@example.org", "Claude", "Comité", [Role.COMMITTEE], False),
    ("staff@example.org", "Sacha", "Instruction", [Role.STAFF], False),
    ("admin@example.org", "Morgan", "Admin", [Role.ADMIN], False),
)
#: The account that leads files of its own (its organisation comes from its
#: ``RoleGrant(role=applicant, scope_type="organisation")``).
DEMO_APPLICANT_EMAIL = "applicant@example.org"
#: The expert account of the 2009 call's pool (``demo.pool``).
DEMO_EXPERT_EMAIL = "expert@example.org"
#: The staff account that instructs them (any staff member when it does not exist).
DEMO_STAFF_EMAIL = "staff@example.org"


def totp_secret(seed: int, email: str) -> str:
    """A stable base32 TOTP secret for a demo account (same seed, same secret)."""
    digest = hashlib.sha256(f"filiere-demo:{seed}:{email}".encode()).digest()[:20]
    return base64.b32encode(digest).decode()


def reset_accounts(builder: DemoBuilder, seed: int) -> list[tuple[str, str, str]]:
    """Create or reset every demo account (after ``builder.write()``); returns
    (e-mail, roles as read, TOTP secret or "") for each."""
    password_hash = make_password(DEMO_PASSWORD)
    applicant_org = builder.applicant_organisation()
    printed = []
    for email, first, last, roles, has_profile in DEMO_ACCOUNTS:
        user, _ = User.objects.get_or_create(email=email)
        user.first_name, user.last_name = first, last
        user.password = password_hash
        user.is_active = True
        user.save()
        EmailAddress.objects.update_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
        for grant in RoleGrant.objects.filter(user=user, revoked_at__isnull=True):
            stale_scope = grant.scope_type == "organisation" and grant.scope_id != (
                applicant_org.pk
            )
            if grant.role not in roles or stale_scope:
                revoke_role(grant=grant, by=None, reason="demo reload")
        for role in roles:
            if role == Role.APPLICANT:
                grant_role(
                    user=user,
                    role=role,
                    by=None,
                    scope_type="organisation",
                    scope_id=applicant_org.pk,
                    reason="demo",
                )
            else:
                grant_role(user=user, role=role, by=None, reason="demo")
        if has_profile:
            _profile(
                builder,
                user,
                applicant_org if Role.APPLICANT in roles else None,
                # An expert's name must not reach applicants, not even in the directory.
                Visibility.PRIVATE if Role.EXPERT in roles else Visibility.PUBLIC,
            )
        secret = ""
        if any(role in settings.FILIERE_MFA_REQUIRED_ROLES for role in roles):
            Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).delete()
            secret = totp_secret(seed, email)
            TOTP.activate(user, secret)
        label = ", ".join(str(Role(role).label) for role in roles)
        if Role.APPLICANT in roles:
            label += f" ({applicant_org.name})"
        printed.append((email, label, secret))
    return printed


def _profile(
    builder: DemoBuilder, user: User, organisation: Organisation | None, visibility: str
) -> None:
    person = Person.objects.create(
        user=user,
        slug=builder.unique_slug(f"{user.first_name} {user.last_name}"),
        first_name=user.first_name,
        last_name=user.last_name,
        headline="Compte de démonstration",
        visibility=visibility,
        consent_at=timezone.now(),
        languages=["fr", "en"],
        territory=builder.territories["mel"],
        is_demo=True,
    )
    if organisation is not None:
        Affiliation.objects.create(
            person=person, organisation=organisation, role=AffiliationRole.FOUNDER
        )
