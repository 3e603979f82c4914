"""Reads of contacts with consent: who may ask whom, a member's introductions, blocks and the
moderators' queue of reports.

The rule of who may be asked (``refusal_to_ask``) is read here so that the pages hide the
button the service would refuse; the service asks it again inside its transaction.

No e-mail address leaves this module before an introduction is accepted: the rows carry the
other side's name (``member_name``) and, once accepted, their address (``other_email``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from filiere.accounts.models import Consent, ConsentPurpose, User
from filiere.community.models import Person
from filiere.community.selectors import visible_people

from .models import Post
from .models_contacts import Block, Introduction, IntroductionStatus, Report, ReportStatus
from .permissions import can_read_post

if TYPE_CHECKING:
    from filiere.accounts.types import AnyUser

#: Defaults of the limits against spam (settings of the same names override them).
DEFAULT_PER_DAY = 10
DEFAULT_PENDING = 20
DEFAULT_DECLINE_COOLDOWN_DAYS = 30


def introductions_per_day() -> int:
    """How many new requests a member may send in any 24 hours."""
    return int(getattr(settings, "FILIERE_INTRODUCTIONS_PER_DAY", DEFAULT_PER_DAY))


def introductions_pending() -> int:
    """How many of a member's requests may await an answer at once."""
    return int(getattr(settings, "FILIERE_INTRODUCTIONS_PENDING", DEFAULT_PENDING))


def decline_cooldown() -> timedelta:
    """After a decline, the requester waits this long before asking the same person again."""
    days = getattr(settings, "FILIERE_INTRODUCTIONS_DECLINE_DAYS", DEFAULT_DECLINE_COOLDOWN_DAYS)
    return timedelta(days=int(days))


# --- names, never addresses ---------------------------------------------------------------------


def member_name(user: User) -> str:
    """How a member is named to another: their directory name, else their account name, never
    their e-mail address (``str(user)`` falls back to it)."""
    person = Person.objects.filter(user=user).only("first_name", "last_name").first()
    if person is not None and person.display_name:
        return person.display_name
    return user.get_full_name() or _("a member of the platform")


def _names(user_ids: set[int]) -> dict[int, str]:
    """``member_name`` for many accounts, in two queries."""
    names: dict[int, str] = {}
    for person in Person.objects.filter(user_id__in=user_ids).only(
        "first_name", "last_name", "user_id"
    ):
        if person.user_id is not None and person.display_name:
            names[person.user_id] = person.display_name
    missing = user_ids - set(names)
    for user in User.objects.filter(pk__in=missing).only("first_name", "last_name"):
        names[user.pk] = user.get_full_name() or _("a member of the platform")
    return names


# --- who may ask whom ---------------------------------------------------------------------------


def contact_withdrawn(user_id: int) -> bool:
    """The member said no to introduction requests (their latest word on ``contact``). With no
    record at all they may be asked: the directory profile they chose to show is the invitation."""
    latest = (
        Consent.objects.filter(user_id=user_id, purpose=ConsentPurpose.CONTACT)
        .order_by("-recorded_at", "-id")
        .values_list("granted", flat=True)
        .first()
    )
    return latest is False


def accepts_contact(user_id: int) -> bool:
    """What the introductions page shows as the member's choice (no record: yes)."""
    return not contact_withdrawn(user_id)


def blocked_between(a_id: int, b_id: int) -> bool:
    """Either of the two blocked the other."""
    return Block.objects.filter(
        Q(blocker_id=a_id, blocked_id=b_id) | Q(blocker_id=b_id, blocked_id=a_id)
    ).exists()


def blocked_either_way_ids(user_id: int) -> set[int]:
    """The accounts ``user_id`` blocked or was blocked by."""
    pairs = Block.objects.filter(Q(blocker_id=user_id) | Q(blocked_id=user_id)).values_list(
        "blocker_id", "blocked_id"
    )
    return {other for pair in pairs for other in pair if other != user_id}


def visible_post(viewer: AnyUser | None, pk: int) -> Post | None:
    """A post of the board as ``viewer`` may read it (``permissions.can_read_post``: listed,
    or their own); ``None`` otherwise."""
    post = Post.objects.select_related("author").filter(pk=pk).first()
    if post is None or not can_read_post(viewer, post, timezone.localdate()):
        return None
    return post


def askable_person(viewer: AnyUser | None, slug: str) -> Person | None:
    """The directory profile ``slug`` if ``viewer`` may see it (``None`` otherwise, as missing)."""
    return visible_people(viewer).select_related("user").filter(slug=slug).first()


def refusal_to_ask(requester: User, recipient: User | None) -> str:
    """The code that refuses ``requester`` asking ``recipient`` now (``""``: they may).

    The order says the most useful reason first: who cannot be asked at all, then what the pair
    already has, then the requester's limits."""
    if recipient is None:
        return "matchmaking.contact.no_account"
    if recipient.pk == requester.pk:
        return "matchmaking.contact.self"
    if not recipient.is_active:
        return "matchmaking.contact.no_account"
    if blocked_between(requester.pk, recipient.pk):
        return "matchmaking.contact.blocked"
    if contact_withdrawn(recipient.pk):
        return "matchmaking.contact.no_consent"
    pair = Introduction.objects.filter(
        Q(requester=requester, recipient=recipient) | Q(requester=recipient, recipient=requester)
    )
    if pair.filter(status=IntroductionStatus.ACCEPTED).exists():
        return "matchmaking.contact.already_introduced"
    if pair.filter(requester=requester, status=IntroductionStatus.PENDING).exists():
        return "matchmaking.contact.already_pending"
    if pair.filter(requester=recipient, status=IntroductionStatus.PENDING).exists():
        return "matchmaking.contact.asked_you"
    since = timezone.now() - decline_cooldown()
    if pair.filter(
        requester=requester, status=IntroductionStatus.DECLINED, answered_at__gte=since
    ).exists():
        return "matchmaking.contact.declined_recently"
    return ""


def sent_today(requester: User) -> int:
    """Requests ``requester`` sent in the last 24 hours (withdrawn ones count too)."""
    since = timezone.now() - timedelta(days=1)
    return Introduction.objects.filter(requester=requester, created_at__gte=since).count()


def pending_sent(requester: User) -> int:
    return Introduction.objects.filter(
        requester=requester, status=IntroductionStatus.PENDING
    ).count()


# --- a member's introductions -------------------------------------------------------------------


@dataclass(frozen=True)
class IntroductionRow:
    """One introduction as one of its two sides sees it."""

    introduction: Introduction
    #: ``sent`` (the viewer asked) or ``received`` (the viewer is asked).
    direction: str
    other_id: int
    other_name: str
    #: The other side's address: only once the introduction is accepted.
    other_email: str
    #: The other side's directory profile, when the viewer may see it.
    other_profile: str
    post_title: str

    @property
    def pending(self) -> bool:
        return self.introduction.status == IntroductionStatus.PENDING


def introductions_of(user: User) -> QuerySet[Introduction]:
    """Every introduction ``user`` asked for or was asked, newest first."""
    return (
        Introduction.objects.filter(Q(requester=user) | Q(recipient=user))
        .select_related("requester", "recipient", "post")
        .order_by("-created_at", "-id")
    )


def rows_for(user: User, introductions: list[Introduction]) -> list[IntroductionRow]:
    """The rows of ``introductions`` for ``user`` (one of their two sides), in few queries."""
    others = {
        i.recipient_id if i.requester_id == user.pk else i.requester_id for i in introductions
    }
    names = _names(others)
    profiles = dict(visible_people(user).filter(user_id__in=others).values_list("user_id", "slug"))
    rows = []
    for introduction in introductions:
        sent = introduction.requester_id == user.pk
        other = introduction.recipient if sent else introduction.requester
        accepted = introduction.status == IntroductionStatus.ACCEPTED
        rows.append(
            IntroductionRow(
                introduction=introduction,
                direction="sent" if sent else "received",
                other_id=other.pk,
                other_name=names.get(other.pk, ""),
                other_email=other.email if accepted else "",
                other_profile=profiles.get(other.pk, ""),
                post_title=introduction.post.title if introduction.post else "",
            )
        )
    return rows


def row_for(user: User, introduction: Introduction) -> IntroductionRow:
    return rows_for(user, [introduction])[0]


def blocks_made(user: User) -> list[tuple[Block, str]]:
    """The members ``user`` blocked, each with their name."""
    blocks = list(Block.objects.filter(blocker=user).order_by("-created_at", "-id"))
    names = _names({block.blocked_id for block in blocks})
    return [(block, names.get(block.blocked_id, "")) for block in blocks]


# --- the moderators' queue ----------------------------------------------------------------------


def open_reports() -> QuerySet[Report]:
    """Reports to examine, oldest first (the queue's order)."""
    return (
        Report.objects.filter(status=ReportStatus.OPEN)
        .select_related("reporter", "reported_user", "post", "introduction")
        .order_by("created_at", "id")
    )


def recently_closed_reports(limit: int = 20) -> QuerySet[Report]:
    return (
        Report.objects.filter(status=ReportStatus.CLOSED)
        .select_related("reporter", "reported_user", "post", "introduction", "handled_by")
        .order_by("-handled_at", "-id")[:limit]
    )


def names_for_reports(reports: list[Report]) -> dict[int, str]:
    """The names of every member a list of reports mentions (reporter and reported)."""
    ids = {r.reporter_id for r in reports} | {
        r.reported_user_id for r in reports if r.reported_user_id is not None
    }
    return _names(ids)
