"""The weekly digest: "calls you could answer" and "needs matching your skills", e-mailed to
the members whose latest word on each is yes (``accounts.selectors.consenting_users``), built
from the same suggestions as the "For you" page (``suggestions.calls_for``, ``needs_for``).

``send_digests`` runs periodically (``manage.py send_matchmaking_digest``, e.g. every Monday
morning; running it more often sends nothing twice): each member gets at most one digest per
week, by the database: the digest is recorded first (``DigestSent``, unique on member and week)
and only the run that inserted the row sends it. A member with nothing to suggest gets no
e-mail (and no record: a later run of the same week may still send one).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from filiere.accounts.models import ConsentPurpose, User
from filiere.accounts.selectors import consenting_users
from filiere.review.services import email_language

from . import suggestions
from .models import DigestSent
from .suggestions import Suggestion

#: Lines per section of a digest.
DIGEST_ITEMS = 5


def week_of(day: date) -> date:
    """The Monday of ``day``'s week."""
    return day - timedelta(days=day.weekday())


@dataclass(frozen=True)
class DigestReport:
    sent: int
    nothing_to_say: int


def _consenting(purpose: str) -> set[int]:
    return set(consenting_users(purpose).values_list("user_id", flat=True))


def _send(user: User, calls: list[Suggestion], needs: list[Suggestion]) -> None:
    context = {
        "calls": calls,
        "needs": needs,
        "site_url": settings.FILIERE_SITE_URL,
        "for_you_url": reverse("matchmaking:for_you"),
    }
    subject = render_to_string("matchmaking/email/digest_subject.txt", context)
    body = render_to_string("matchmaking/email/digest.txt", context)
    send_mail(" ".join(subject.split()), body, None, [user.email])


def send_digests(*, now: datetime | None = None) -> DigestReport:
    """Send this week's digests not sent yet."""
    today = timezone.localdate(now) if now is not None else timezone.localdate()
    week = week_of(today)
    wants_calls = _consenting(ConsentPurpose.CALLS_DIGEST)
    wants_needs = _consenting(ConsentPurpose.NEEDS_DIGEST)
    done = DigestSent.objects.filter(week=week).values("user_id")
    users = (
        User.objects.filter(pk__in=wants_calls | wants_needs, is_active=True)
        .exclude(pk__in=done)
        .order_by("pk")
    )
    sent = quiet = 0
    for user in users:
        # Built in the member's language: skills' labels and reasons are words.
        with translation.override(email_language(user)):
            calls = (
                suggestions.calls_for(user, limit=DIGEST_ITEMS) if user.pk in wants_calls else []
            )
            needs = (
                suggestions.needs_for(user, today=today, limit=DIGEST_ITEMS)
                if user.pk in wants_needs
                else []
            )
            if not calls and not needs:
                quiet += 1
                continue
            items = {"calls": [s.pk for s in calls], "needs": [s.pk for s in needs]}
            try:
                with transaction.atomic():
                    DigestSent.objects.create(user=user, week=week, items=items)
            except IntegrityError:
                continue  # another run sent it
            _send(user, calls, needs)
        sent += 1
    return DigestReport(sent=sent, nothing_to_say=quiet)
