"""``manage.py demo [--scale N] [--seed S]``: load the demo picture of the cluster.

Idempotent by reset: everything an earlier run created (people and organisations flagged
``is_demo``) is removed first, then rebuilt from the seed, so two runs with the same seed give
the same picture. The demo accounts are kept (found by e-mail) and reset: password, verified
e-mail, roles and, for the roles that require it, a TOTP authenticator with a printed secret.
"""

import base64
import hashlib
import time
from io import StringIO

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from filiere.accounts.models import Role, RoleGrant, User
from filiere.accounts.services import grant_role, revoke_role
from filiere.audit.services import record
from filiere.community.demo import DemoBuilder, remove_demo_data
from filiere.community.models import OrganisationKind, Visibility

# Printed on purpose: demo accounts only, reset by every run of this command.
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


def totp_secret(seed: int, email: str) -> str:
    """A stable base32 TOTP secret for a demo account (same seed, same secret)."""
    digest = hashlib.sha256(f"filiere-demo:{seed}:{email}".encode()).digest()[:20]
    return base64.b32encode(digest).decode()


class Command(BaseCommand):
    help = "Load (or reload) the demo picture of the 2009 Pôle Images cluster, and demo accounts."

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale",
            type=float,
            default=1.0,
            help="Multiply people and organisations (1 = about 300 people, 130 organisations).",
        )
        parser.add_argument("--seed", type=int, default=2009, help="Random seed (default 2009).")
        parser.add_argument(
            "--i-know-this-is-not-production",
            action="store_true",
            dest="not_production",
            help="Run even with DEBUG off (the command resets the demo accounts' passwords).",
        )

    def handle(self, *args, scale: float, seed: int, not_production: bool = False, **options):
        # The demo accounts have a published password: never reset them on a production site by
        # mistake. DEBUG is on only when DJANGO_DEBUG=1 (`make demo` sets it).
        if not settings.DEBUG and not not_production:
            raise CommandError(
                "DEBUG is off, so this may be a production site: the demo command resets the "
                "demo accounts (known e-mails, published password) and replaces the demo data. "
                "Run it with DJANGO_DEBUG=1 (as `make demo` does), or add "
                "--i-know-this-is-not-production."
            )
        if not 0 < scale <= 100:
            raise CommandError("--scale must be more than 0 and at most 100.")
        started = time.perf_counter()
        with transaction.atomic():
            # Higher stages first: their demo rows point at demo organisations (protected).
            call_command("demo_applications", remove=True, stdout=StringIO())
            remove_demo_data()
            builder = DemoBuilder(seed=seed, scale=scale, today=timezone.localdate())
            counts = builder.write()
            accounts = self._accounts(builder, seed)
            record(
                actor=None,
                action="demo.loaded",
                data={
                    "seed": seed,
                    "scale": scale,
                    "people": counts.people,
                    "organisations": dict(counts.organisations),
                },
            )
        elapsed = time.perf_counter() - started
        orgs = counts.organisations
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo loaded in {elapsed:.1f} s (seed {seed}, scale {scale:g}): "
                f"{counts.people} people, {sum(orgs.values())} organisations "
                f"({orgs[OrganisationKind.COMPANY]} companies, "
                f"{orgs[OrganisationKind.RESEARCH_LAB]} research labs, "
                f"{orgs[OrganisationKind.SCHOOL]} schools), {counts.affiliations} affiliations."
            )
        )
        self._print_accounts(accounts)
        # The calls app's demo (by name: community does not import the apps above it).
        call_command("demo_calls", stdout=self.stdout)
        # ~120 applications to the 2009 call, in every state of the lifecycle.
        call_command("demo_applications", seed=seed, stdout=self.stdout)

    def _accounts(self, builder: DemoBuilder, seed: int) -> list[tuple[str, str, str]]:
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
                self._profile(builder, user, applicant_org if Role.APPLICANT in roles else None)
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

    def _profile(self, builder: DemoBuilder, user: User, organisation) -> None:
        from filiere.community.models import Affiliation, AffiliationRole, Person

        person = Person.objects.create(
            user=user,
            slug=builder._slug(f"{user.first_name} {user.last_name}"),
            first_name=user.first_name,
            last_name=user.last_name,
            headline="Compte de démonstration",
            visibility=Visibility.PUBLIC,
            consent_at=timezone.now(),
            languages=["fr", "en"],
            territory=builder.territories["mel"],
            is_demo=True,
        )
        if organisation is not None:
            Affiliation.objects.create(
                person=person, organisation=organisation, role=AffiliationRole.FOUNDER
            )

    def _print_accounts(self, accounts: list[tuple[str, str, str]]) -> None:
        width = max(len(email) for email, _, _ in accounts)
        self.stdout.write("")
        self.stdout.write(f"Demo accounts (password for all: {DEMO_PASSWORD})")
        self.stdout.write(f"{'e-mail':<{width}}  {'password':<17}  role(s)")
        for email, label, _secret in accounts:
            self.stdout.write(f"{email:<{width}}  {DEMO_PASSWORD:<17}  {label}")
        self.stdout.write("")
        self.stdout.write(
            "Experts, committee, staff and admin sign in with a second factor. Their TOTP secrets "
            "(add them to an authenticator app, or run `oathtool --totp -b SECRET`):"
        )
        for email, _label, secret in accounts:
            if secret:
                self.stdout.write(f"  {email:<{width}}  {secret}")
        self.stdout.write("A public visitor needs no account.")
