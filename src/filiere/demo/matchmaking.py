"""The demo's offers and needs board and contacts between members (``board_texts``).

Through the matchmaking services, as the people would: 25 members (accounts that never sign in)
and the demo applicant post 46 offers and needs; the demo staff publish most of them, refuse an
advertisement with a reason and leave four in the moderation queue; one festival's need is past
its listing date. Then introductions (one waiting for the demo member's answer, one accepted,
one declined, one the demo applicant is waiting for), the members' consents (weekly digests,
introductions), an open report in the staff's queue and one already examined.

Posts are dated as if written over the last weeks (their creation and moderation times are set
afterwards; the services date them now). The e-mails the services send (moderation outcomes,
introduction requests) are not sent: their addresses are fictitious, and the console backend
of ``make demo`` would print them among the logins.

Running it again replaces the demo's posts, introductions and reports; the members' accounts
are found again by address, their consents recorded once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import Q
from django.test.utils import override_settings
from django.utils import timezone

from filiere.accounts.models import ConsentPurpose, User
from filiere.accounts.services import record_consent
from filiere.community.models import Person, Territory
from filiere.matchmaking import services_board, services_contacts
from filiere.matchmaking.models import Block, Introduction, Post, Report

from .accounts import DEMO_APPLICANT_EMAIL, DEMO_STAFF_EMAIL
from .board_texts import (
    CLOSED_REPORT,
    EXPIRED,
    MEMBER_DOMAIN,
    MEMBERS,
    POSTS,
    PUBLISHED,
    REFUSAL_REASON,
    REFUSED,
    REPORT_DETAILS,
    BoardPost,
)

DEMO_MEMBER_EMAIL = "member@example.org"
APPLICANT = "applicant"


@dataclass
class DemoBoardResult:
    posts: dict[str, int] = field(default_factory=dict)  # by fate
    needs: int = 0
    offers: int = 0
    introductions: dict[str, int] = field(default_factory=dict)  # by status
    consents: int = 0
    open_reports: int = 0


@contextmanager
def no_emails() -> Iterator[None]:
    """The services' e-mails to the demo's fictitious addresses are dropped."""
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
        yield


def member_email(key: str) -> str:
    return f"{key}@{MEMBER_DOMAIN}"


def _accounts() -> dict[str, User]:
    """The board's members, found again by address (no usable password, no profile)."""
    users = {}
    for member in MEMBERS:
        user, created = User.objects.update_or_create(
            email=member_email(member.key),
            defaults={
                "first_name": member.first_name,
                "last_name": member.last_name,
                "preferred_language": member.language,
                "is_active": True,
            },
        )
        if created:
            user.password = make_password(None)
            user.save(update_fields=["password"])
        users[member.key] = user
    return users


def remove_demo_board() -> None:
    """What an earlier run wrote: the demo's posts, and the contacts of its members."""
    members = User.objects.filter(
        Q(email__endswith=f"@{MEMBER_DOMAIN}")
        | Q(email__in=[DEMO_MEMBER_EMAIL, DEMO_APPLICANT_EMAIL])
    )
    Report.objects.filter(reporter__in=members).delete()
    Introduction.objects.filter(Q(requester__in=members) | Q(recipient__in=members)).delete()
    Block.objects.filter(Q(blocker__in=members) | Q(blocked__in=members)).delete()
    Post.objects.filter(Q(is_demo=True) | Q(author__email__endswith=f"@{MEMBER_DOMAIN}")).delete()


def _draft(
    text: BoardPost, today: dt.date, territories: dict[str, Territory]
) -> services_board.PostDraft:
    starts = today + dt.timedelta(days=text.starts_in) if text.starts_in is not None else None
    ends = starts + dt.timedelta(days=text.lasts) if starts and text.lasts else None
    return services_board.PostDraft(
        kind=text.kind,
        title=text.title,
        description=text.description,
        skills=text.skills,
        territory=territories.get(text.territory),
        starts_on=starts,
        ends_on=ends,
        duration=text.duration,
        language=text.language,
    )


def _post(
    text: BoardPost,
    author: User,
    staff: User,
    today: dt.date,
    territories: dict[str, Territory],
) -> Post:
    posted_on = today - dt.timedelta(days=text.posted_days_ago)
    post = services_board.create_post(
        by=author, draft=_draft(text, today, territories), today=posted_on
    )
    if text.fate in (PUBLISHED, EXPIRED):
        services_board.publish_post(by=staff, post=post)
    elif text.fate == REFUSED:
        services_board.refuse_post(by=staff, post=post, reason=REFUSAL_REASON)
    # Dated as written then, moderated the next morning (never later than now).
    now = timezone.now()
    posted_at = min(now, now - dt.timedelta(days=text.posted_days_ago, hours=2))
    dates: dict[str, object] = {"is_demo": True, "created_at": posted_at}
    if post.moderated_at is not None:
        dates["moderated_at"] = min(now, posted_at + dt.timedelta(hours=20))
    Post.objects.filter(pk=post.pk).update(**dates)
    return post


def _introductions(
    users: dict[str, User], member: User | None, applicant: User | None, posts: dict[str, Post]
) -> None:
    ask = services_contacts.ask_introduction
    if member is not None:
        profile = Person.objects.filter(user=member).first()
        if profile is not None:
            # Waiting for the demo member's answer.
            ask(
                requester=users["pieter.declercq"],
                person=profile,
                message=(
                    "Bonjour Camille, nous coproduisons une série d'animation avec un studio de "
                    "Roubaix et cherchons un·e sound designer. Pouvons-nous en parler ?"
                ),
            )
        accepted = ask(
            requester=member,
            post=posts["thomas.delattre"],
            message=(
                "Bonjour Thomas, je travaille aussi le son spatialisé pour la VR : pourrions-nous "
                "échanger sur vos projets du printemps ?"
            ),
        )
        services_contacts.accept_introduction(introduction=accepted, by=users["thomas.delattre"])
        declined = ask(
            requester=member,
            post=posts["antoine.mercier"],
            message="Bonjour Antoine, seriez-vous ouvert à une collaboration sur un jeu mobile ?",
        )
        services_contacts.decline_introduction(introduction=declined, by=users["antoine.mercier"])
    if applicant is not None:
        ask(
            requester=applicant,
            post=posts["nadia.benali"],
            message=(
                "Bonjour, notre studio prépare une expérience interactive : pourrions-nous "
                "réserver une journée d'essai de capture de mouvement ?"
            ),
        )


def _consents(users: dict[str, User], member: User | None, applicant: User | None) -> int:
    said = []
    if member is not None:
        said += [
            (member, ConsentPurpose.CALLS_DIGEST, True),
            (member, ConsentPurpose.NEEDS_DIGEST, True),
        ]
    if applicant is not None:
        said.append((applicant, ConsentPurpose.CALLS_DIGEST, True))
    for key in ("thomas.delattre", "karim.haddad", "hugo.lefebvre", "lotte.vermeulen"):
        said.append((users[key], ConsentPurpose.NEEDS_DIGEST, True))
    for user, purpose, granted in said:
        record_consent(user=user, purpose=purpose, granted=granted, source="for you page")
    if member is not None:
        services_contacts.set_contact_consent(user=member, granted=True, source="introductions")
    # A member who asks not to be approached.
    services_contacts.set_contact_consent(
        user=users["bruno.carlier"], granted=False, source="introductions"
    )
    return len(said) + 2


def _reports(users: dict[str, User], staff: User, drone: Post) -> None:
    services_contacts.report(
        reporter=users["claire.vasseur"], reason="misleading", details=REPORT_DETAILS, post=drone
    )
    details, outcome = CLOSED_REPORT
    examined = services_contacts.report(
        reporter=users["sophie.lemaire"],
        reason="spam",
        details=details,
        user=users["bruno.carlier"],
    )
    services_contacts.close_report(report=examined, by=staff, outcome=outcome)


def seed_demo_board(*, today: dt.date | None = None) -> DemoBoardResult:
    """See the module's text; nothing without the demo staff account (the moderators)."""
    today = today or timezone.localdate()
    result = DemoBoardResult()
    staff = User.objects.filter(email=DEMO_STAFF_EMAIL).first()
    if staff is None:
        return result
    member = User.objects.filter(email=DEMO_MEMBER_EMAIL).first()
    applicant = User.objects.filter(email=DEMO_APPLICANT_EMAIL).first()
    territories = {t.code: t for t in Territory.objects.all()}
    with no_emails(), transaction.atomic():
        remove_demo_board()
        users = _accounts()
        # The first post of each author, by author (introductions are asked about them).
        first: dict[str, Post] = {}
        for text in POSTS:
            author = applicant if text.author == APPLICANT else users[text.author]
            if author is None:
                continue
            post = _post(text, author, staff, today, territories)
            first.setdefault(text.author, post)
            result.posts[text.fate] = result.posts.get(text.fate, 0) + 1
            if text.kind == "need":
                result.needs += 1
            else:
                result.offers += 1
        _introductions(users, member, applicant, first)
        result.consents = _consents(users, member, applicant)
        drone = Post.objects.filter(author=users["bruno.carlier"], status="published").first()
        if drone is not None:
            _reports(users, staff, drone)
    for status in Introduction.objects.filter(
        Q(requester__email__endswith=f"@{MEMBER_DOMAIN}")
        | Q(requester__email__in=[DEMO_MEMBER_EMAIL, DEMO_APPLICANT_EMAIL])
    ).values_list("status", flat=True):
        result.introductions[status] = result.introductions.get(status, 0) + 1
    result.open_reports = Report.objects.filter(
        status="open", reporter__email__endswith=f"@{MEMBER_DOMAIN}"
    ).count()
    return result
