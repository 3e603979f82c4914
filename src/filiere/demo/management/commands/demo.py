"""``manage.py demo [--scale N] [--seed S]``: load the demo picture of the cluster.

Idempotent by reset: everything an earlier run created (people and organisations flagged
``is_demo``) is removed first, then rebuilt from the seed, so two runs with the same seed give
the same picture. The demo accounts are kept (found by e-mail) and reset: password, verified
e-mail, roles and, for the roles that require it, a TOTP authenticator with a printed secret.
The skills vocabulary is put to use (``demo.vocabulary``), then the offers and needs board with
its contacts (``demo.matchmaking``) and two partner days with their meetings (``demo.events``).
Then the demo calls (``demo_calls``) and their applications (``demo_applications``), which also
fills the pool of experts of the calls' fund, with the 2009 call's conflicts (``demo.pool``).
"""

import time
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction
from django.utils import timezone

from filiere.accounts.models import User
from filiere.audit.services import record
from filiere.community.models import OrganisationKind
from filiere.demo.accounts import DEMO_PASSWORD, reset_accounts
from filiere.demo.applications import remove_demo_applications
from filiere.demo.community import DemoBuilder, remove_demo_data
from filiere.demo.events import seed_demo_events
from filiere.demo.matchmaking import DEMO_MEMBER_EMAIL, seed_demo_board
from filiere.demo.observatory import load_observatory_history
from filiere.demo.vocabulary import seed_demo_vocabulary


class Command(BaseCommand):
    help = "Load (or reload) the demo picture of the 2009 Pôle Images cluster, and demo accounts."

    def add_arguments(self, parser: CommandParser) -> None:
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

    def handle(
        self,
        *args: Any,
        scale: float,
        seed: int,
        not_production: bool = False,
        **options: Any,
    ) -> None:
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
            # Applications first: they point at demo organisations (protected).
            remove_demo_applications()
            remove_demo_data()
            builder = DemoBuilder(seed=seed, scale=scale, today=timezone.localdate())
            counts = builder.write()
            accounts = reset_accounts(builder, seed)
            vocabulary = seed_demo_vocabulary(
                builder, User.objects.filter(email=DEMO_MEMBER_EMAIL).first()
            )
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
        self.stdout.write(
            f"Skills in use: {vocabulary.organisation_skills} skills of {vocabulary.organisations} "
            f"organisations, {vocabulary.works} past works, {vocabulary.available} people saying "
            "whether they are available; the demo member's profile (skills, works)."
        )
        self._print_accounts(accounts)
        self._board_and_events()
        # Each also runs alone; they print what they made.
        call_command("demo_calls", stdout=self.stdout)
        # ~120 applications to the 2009 call, in every state of the lifecycle; the fund's pool.
        call_command("demo_applications", seed=seed, stdout=self.stdout)
        # Ten years of generated calls (2009–2018) for the observatory, then its figures.
        self.stdout.write(load_observatory_history(seed=seed).summary())
        # Last, once every profile is written: `make demo` runs no worker to compute them.
        call_command("compute_suggestions", member=[DEMO_MEMBER_EMAIL], stdout=self.stdout)
        _refresh_statistics()

    def _board_and_events(self) -> None:
        started = time.perf_counter()
        board = seed_demo_board()
        posts = ", ".join(f"{fate} {n}" for fate, n in sorted(board.posts.items()))
        contacts = ", ".join(f"{status} {n}" for status, n in sorted(board.introductions.items()))
        self.stdout.write(
            f"Offers and needs: {sum(board.posts.values())} posts ({board.needs} needs, "
            f"{board.offers} offers; {posts}); introductions ({contacts}); {board.consents} "
            f"consents recorded; {board.open_reports} report to examine; in "
            f"{time.perf_counter() - started:.1f} s."
        )
        started = time.perf_counter()
        events = seed_demo_events()
        run = events.run
        requests = ", ".join(
            f"{answer} {n}" for answer, n in sorted((events.requests or {}).items())
        )
        schedule = (
            f"schedule {run.outcome or run.status} ({run.scheduled} of {run.accepted} accepted "
            f"requests scheduled, proven bound {run.bound}, gap {run.gap or 0:g}, "
            f"{run.seconds or 0:.2f} s)"
            if run is not None
            else "no schedule"
        )
        self.stdout.write(
            f"Events: a past partner day ({events.past_registered} registered, "
            f"{events.past_checked_in} checked in); the next one ({events.registered} registered, "
            f"{events.waitlisted} on the waiting list; meeting requests {requests}; {schedule}; "
            f"{events.member_meetings} meetings in the demo member's agenda); in "
            f"{time.perf_counter() - started:.1f} s."
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


def _refresh_statistics() -> None:
    """Thousands of rows were just written at once: until autovacuum passes, PostgreSQL plans
    with the statistics of the tables as they were before (empty, or a test's few rows), and
    the staff's outbox took over 15 minutes on the demo's data in CI. ANALYZE also counts the
    rows of a transaction still open (a test's)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
