"""``manage.py demo_applications [--call SLUG] [--seed S] [--scale X]``: about 120 demo
applications in every state for a call (the 2009 call by default), then the pool of experts of
the call's fund with the call's conflicts (``demo.pool``), its published assignment
(``demo.assignment``), its reviews (``demo.reviews``) and its committee (``demo.committee``);
run by ``manage.py demo`` too.
Idempotent: the call's demo applications are replaced, the pool brought back to its picture."""

import random
import time
from collections.abc import Callable
from typing import Any, TypeVar

from django.core.management.base import BaseCommand, CommandError, CommandParser

from filiere.calls.models import Call
from filiere.demo.applications import remove_demo_applications, seed_demo_applications
from filiere.demo.assignment import seed_demo_assignment
from filiere.demo.awards import seed_demo_agreements
from filiere.demo.awards_follow_up import seed_demo_follow_up
from filiere.demo.committee import seed_demo_committee
from filiere.demo.landing import landing_pages
from filiere.demo.pool import seed_demo_pool
from filiere.demo.reviews import seed_demo_reviews
from filiere.demo.showcase import seed_demo_showcase

T = TypeVar("T")


def _timed(step: Callable[[], T]) -> tuple[T, float]:
    """What ``step`` returns, and the seconds it took (shown after each seeded part)."""
    started = time.perf_counter()
    result = step()
    return result, time.perf_counter() - started


class Command(BaseCommand):
    help = "Load (or reload) demo applications in every state for a call."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--call", default="experiences-interactives-2009")
        parser.add_argument("--seed", type=int, default=2009)
        parser.add_argument("--scale", type=float, default=1.0)
        parser.add_argument(
            "--remove", action="store_true", help="Only remove the demo applications of all calls."
        )

    def handle(
        self, *args: Any, call: str, seed: int, scale: float, remove: bool, **options: Any
    ) -> None:
        if remove:
            removed = remove_demo_applications()
            self.stdout.write(f"{removed} demo applications removed.")
            return
        found = Call.objects.filter(slug=call).first()
        if found is None:
            raise CommandError(f"No call {call!r}: run `manage.py demo_calls` first.")
        result, seconds = _timed(
            lambda: seed_demo_applications(found, random.Random(seed), scale=scale)
        )
        states = ", ".join(f"{state} {n}" for state, n in sorted(result.by_state.items()))
        self.stdout.write(
            f"{result.applications} applications to {found.slug} in "
            f"{seconds:.1f} s ({states}); {result.documents} documents, "
            f"{result.messages} messages."
        )
        # After the applications: some of the pool's conflicts name them.
        pool = seed_demo_pool(found)
        self.stdout.write(
            f"Pool of experts of {found.fund.slug}: {pool.active} active, {pool.invited} "
            f"invited, {pool.left} left; {pool.conflicts} expert-application pairs in conflict "
            f"({pool.lifted} lifted)."
        )
        # After the pool: the engine assigns its experts, the staff publish.
        assigned, seconds = _timed(lambda: seed_demo_assignment(found))
        self.stdout.write(
            f"Assignment of {found.slug} ({assigned.outcome or 'not run'}): "
            f"{assigned.published} expert-application pairs published in "
            f"{seconds:.1f} s; the demo expert accepted "
            f"{assigned.expert_accepted}, {assigned.expert_pending} await their answer."
        )
        # After the publication: the experts write, the staff reopen one.
        reviews, seconds = _timed(lambda: seed_demo_reviews(found))
        self.stdout.write(
            f"Reviews of {found.slug}: {reviews.submitted} submitted, {reviews.drafts} drafts "
            f"({reviews.reopened} reopened by the staff), {reviews.accepted_unwritten} accepted "
            f"and not begun, in {seconds:.1f} s; the demo expert "
            f"submitted {reviews.expert_submitted}, {reviews.expert_drafts} drafts "
            f"({reviews.expert_reopened} reopened)."
        )
        # After the reviews: the files before the committee get theirs, then two sessions.
        committee, seconds = _timed(lambda: seed_demo_committee(found))
        self.stdout.write(
            f"Committee of {found.slug}: {committee.reviews} reviews before the committee; "
            f"a first session's {committee.decisions} decisions ({committee.letters_sent} "
            f"letters sent, {committee.outbox} in the outbox); an open session of "
            f"{committee.agenda} files with {committee.votes} votes in all, the simulator's "
            f"result ({committee.simulation or 'not run'}), {committee.awaiting_signature} "
            f"award awaiting its second signature; in {seconds:.1f} s."
        )
        # After the committee: the confirmed awards' agreements.
        awards, seconds = _timed(lambda: seed_demo_agreements(found))
        self.stdout.write(
            f"Agreements of {found.slug}: {awards.signed} signed ({awards.closed} closed), "
            f"{awards.sent} sent for signature, {awards.drafts} draft, {awards.without} awards "
            f"without one yet; {awards.amount} € in all, in {seconds:.1f} s."
        )
        # After the agreements: payments, spend ledgers, reports, closures.
        follow_up, seconds = _timed(lambda: seed_demo_follow_up(found))
        self.stdout.write(
            f"Follow-up of {found.slug}: {follow_up.paid} tranches paid "
            f"({follow_up.reduced} final payment reduced by the regional-spend rule), "
            f"{follow_up.awaiting} awaiting a second approval, {follow_up.invoices} invoices, "
            f"{follow_up.closed_with_reports} closed projects with their reports, "
            f"{follow_up.recoveries} recovery; in {seconds:.1f} s."
        )
        # After the follow-up (closed projects): the funded projects' showcase pages.
        showcase, seconds = _timed(lambda: seed_demo_showcase(found))
        self.stdout.write(
            f"Showcase of {found.slug}: {showcase.published} pages published, "
            f"{showcase.submitted} awaiting approval, {showcase.changes_requested} sent back "
            f"with changes requested; in {seconds:.1f} s."
        )
        self.stdout.write("")
        self.stdout.write("Where each demo account starts (after signing in):")
        for email, path, what in landing_pages(found):
            self.stdout.write(f"  {email:<23} → {path}  ({what})")
