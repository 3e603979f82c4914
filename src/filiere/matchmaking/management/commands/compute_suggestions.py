"""Compute now the suggestions of every post that is listed or awaits moderation, where they
are missing or stale (``suggestion_runs.compute_now``), and the "For you" of the members named
with ``--member``: for a site or a demo that runs no worker (``manage.py db_worker`` computes
them otherwise, as posts are written and pages read)."""

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from filiere.accounts.models import User
from filiere.matchmaking.models import Post, PostStatus
from filiere.matchmaking.suggestion_runs import compute_now, compute_now_for


class Command(BaseCommand):
    help = (
        "Compute the missing or stale suggestions of the posts listed or awaiting moderation, "
        'and the "For you" of the members named.'
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--member",
            action="append",
            default=[],
            metavar="EMAIL",
            help='Also compute the "For you" of the member with this address (repeatable).',
        )

    def handle(self, *args: Any, member: list[str], **options: Any) -> None:
        started = time.perf_counter()
        posts = Post.objects.filter(status__in=(PostStatus.PUBLISHED, PostStatus.PENDING))
        computed, fresh = compute_now(posts.order_by("pk"))
        members = User.objects.filter(email__in=member).order_by("pk")
        for_you = compute_now_for(members, timezone.localdate())
        elapsed = time.perf_counter() - started
        self.stdout.write(
            f"Suggestions: {computed} post(s) computed, {fresh} already up to date; "
            f'"For you" of {for_you} member(s); in {elapsed:.1f} s.'
        )
