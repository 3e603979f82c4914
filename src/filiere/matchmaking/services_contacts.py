"""Writes of contacts with consent: asking to be introduced, answering, withdrawing; the
member's yes/no to being asked; blocking; reporting and the moderators' examination.

The one door for every change of an introduction, a block or a report: each service checks who
acts, owns its transaction, records an audit entry (``matchmaking.contact.*``) and sends its
e-mail once the transaction has committed. Refusals are :class:`filiere.errors.ServiceError`
with a ``matchmaking.contact.`` or ``matchmaking.report.`` code (``phrases``).

No address before consent: the request's e-mail names the requester and links to the page; only
the acceptance's e-mail (to the requester) carries the other side's address.
"""

from __future__ import annotations

import math
from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from filiere.accounts.models import ConsentPurpose, User
from filiere.accounts.permissions import is_staff
from filiere.accounts.services import record_consent
from filiere.audit.services import record
from filiere.community.models import Person
from filiere.community.selectors import visible_people
from filiere.errors import Invalid, NotAllowed, ServiceError, Throttled

from .models import Post
from .models_contacts import (
    Block,
    Introduction,
    IntroductionStatus,
    Report,
    ReportReason,
    ReportStatus,
)
from .selectors_contacts import (
    blocked_between,
    introductions_pending,
    introductions_per_day,
    member_name,
    refusal_to_ask,
    visible_post,
)

MESSAGE_MAX = 1000
DETAILS_MAX = 2000
OUTCOME_MAX = 500


def _email_language(user: User) -> str:
    offered = {code for code, _name in settings.LANGUAGES}
    language = user.preferred_language
    return language if language in offered else settings.LANGUAGE_CODE


def _clean_message(message: str) -> str:
    message = message.strip()
    if not message:
        raise Invalid("matchmaking.contact.message_missing", field="message")
    if len(message) > MESSAGE_MAX:
        raise Invalid("matchmaking.contact.message_too_long", {"max": MESSAGE_MAX}, field="message")
    return message


# --- asking -------------------------------------------------------------------------------------


def _recipient_of(requester: User, person: Person | None, post: Post | None) -> User | None:
    """The account asked: the author of a post the requester may read, or the owner of a profile
    the requester may see; anything else is refused as missing."""
    if (person is None) == (post is None):
        raise Invalid("matchmaking.contact.whom_missing", field="person")
    if post is not None:
        if visible_post(requester, post.pk) is None:
            raise ServiceError("matchmaking.contact.not_visible")
        return post.author
    assert person is not None
    seen = visible_people(requester).filter(pk=person.pk).select_related("user").first()
    if seen is None:
        raise ServiceError("matchmaking.contact.not_visible")
    return seen.user


def _check_limits(requester: User) -> None:
    """The limits against spam, on the requester's locked row (two requests at once wait for
    each other instead of both slipping under the limit)."""
    User.objects.select_for_update().filter(pk=requester.pk).first()
    now = timezone.now()
    window = now - timedelta(days=1)
    per_day = introductions_per_day()
    recent = list(
        Introduction.objects.filter(requester=requester, created_at__gte=window)
        .order_by("created_at")
        .values_list("created_at", flat=True)
    )
    if len(recent) >= per_day:
        # The oldest request of the window leaves it first.
        wait = recent[len(recent) - per_day] + timedelta(days=1) - now
        seconds = max(60, math.ceil(wait.total_seconds()))
        raise Throttled(
            "matchmaking.contact.too_many_today",
            {"count": per_day, "hours": max(1, math.ceil(seconds / 3600))},
            retry_after=seconds,
        )
    pending = introductions_pending()
    if (
        Introduction.objects.filter(requester=requester, status=IntroductionStatus.PENDING).count()
        >= pending
    ):
        raise ServiceError("matchmaking.contact.too_many_pending", {"count": pending})


def ask_introduction(
    *,
    requester: User,
    message: str,
    person: Person | None = None,
    post: Post | None = None,
) -> Introduction:
    """``requester`` asks to be introduced to the owner of ``person``'s profile, or to the author
    of ``post``. Refused when the recipient cannot be asked (no account, said no, a block either
    way, already introduced or asked, declined less than 30 days ago) or over the limits."""
    message = _clean_message(message)
    recipient = _recipient_of(requester, person, post)
    with transaction.atomic():
        _check_limits(requester)
        code = refusal_to_ask(requester, recipient)
        if code:
            raise ServiceError(code)
        assert recipient is not None
        try:
            with transaction.atomic():
                introduction = Introduction.objects.create(
                    requester=requester, recipient=recipient, post=post, message=message
                )
        except IntegrityError:  # the same request sent twice at the same moment
            raise ServiceError("matchmaking.contact.already_pending") from None
        record(
            actor=requester,
            action="matchmaking.contact.asked",
            obj=introduction,
            data={"recipient": recipient.pk, "post": post.pk if post is not None else None},
        )
    transaction.on_commit(lambda: send_request_email(introduction_id=introduction.pk))
    return introduction


# --- answering ----------------------------------------------------------------------------------


def _lock_pending(introduction: Introduction) -> Introduction:
    locked = Introduction.objects.select_for_update().get(pk=introduction.pk)
    if locked.status != IntroductionStatus.PENDING:
        raise ServiceError("matchmaking.contact.not_pending")
    return locked


def _answer(introduction: Introduction, by: User, status: str) -> Introduction:
    with transaction.atomic():
        locked = _lock_pending(introduction)
        if locked.recipient_id != by.pk:
            raise NotAllowed("matchmaking.contact.not_recipient")
        locked.status = status
        locked.answered_at = timezone.now()
        locked.save(update_fields=["status", "answered_at"])
        record(actor=by, action=f"matchmaking.contact.{status}", obj=locked)
    introduction.status, introduction.answered_at = locked.status, locked.answered_at
    return introduction


def accept_introduction(*, introduction: Introduction, by: User) -> Introduction:
    """The recipient accepts: from now on both sides see each other's address; the requester is
    told by e-mail, with the recipient's address."""
    if blocked_between(introduction.requester_id, introduction.recipient_id):
        raise ServiceError("matchmaking.contact.blocked")
    answered = _answer(introduction, by, IntroductionStatus.ACCEPTED)
    transaction.on_commit(lambda: send_accepted_email(introduction_id=answered.pk))
    return answered


def decline_introduction(*, introduction: Introduction, by: User) -> Introduction:
    """The recipient declines: no e-mail; the requester sees it on their page and may not ask
    again for 30 days."""
    return _answer(introduction, by, IntroductionStatus.DECLINED)


def withdraw_introduction(*, introduction: Introduction, by: User) -> Introduction:
    """The requester takes back a request not answered yet."""
    with transaction.atomic():
        locked = _lock_pending(introduction)
        if locked.requester_id != by.pk:
            raise NotAllowed("matchmaking.contact.not_requester")
        locked.status = IntroductionStatus.WITHDRAWN
        locked.answered_at = timezone.now()
        locked.save(update_fields=["status", "answered_at"])
        record(actor=by, action="matchmaking.contact.withdrawn", obj=locked)
    introduction.status, introduction.answered_at = locked.status, locked.answered_at
    return introduction


def set_contact_consent(*, user: User, granted: bool, source: str) -> None:
    """The member's yes or no to introduction requests (accounts' consent log, audited there).
    Saying no refuses new requests; those already received wait for an answer."""
    record_consent(user=user, purpose=ConsentPurpose.CONTACT, granted=granted, source=source)


# --- blocking -----------------------------------------------------------------------------------


def block_member(*, by: User, blocked: User) -> Block:
    """``by`` blocks ``blocked``: neither may ask the other any more, and their pending requests
    are closed (declined when ``by`` was asked, withdrawn when ``by`` asked). Blocking twice
    keeps the first block."""
    if blocked.pk == by.pk:
        raise Invalid("matchmaking.contact.block_self", field="user")
    with transaction.atomic():
        block, created = Block.objects.get_or_create(blocker=by, blocked=blocked)
        if not created:
            return block
        now = timezone.now()
        pending = Introduction.objects.select_for_update().filter(
            Q(requester=by, recipient=blocked) | Q(requester=blocked, recipient=by),
            status=IntroductionStatus.PENDING,
        )
        closed = []
        for introduction in pending:
            asked_by_blocker = introduction.requester_id == by.pk
            introduction.status = (
                IntroductionStatus.WITHDRAWN if asked_by_blocker else IntroductionStatus.DECLINED
            )
            introduction.answered_at = now
            introduction.save(update_fields=["status", "answered_at"])
            closed.append(introduction.pk)
        record(
            actor=by,
            action="matchmaking.contact.blocked",
            obj=block,
            data={"blocked": blocked.pk, "closed_introductions": closed},
        )
    return block


def unblock_member(*, block: Block, by: User) -> None:
    """The blocker lifts their block (the other side's block, if any, stays)."""
    if block.blocker_id != by.pk:
        raise NotAllowed("matchmaking.contact.not_blocker")
    with transaction.atomic():
        record(actor=by, action="matchmaking.contact.unblocked", data={"blocked": block.blocked_id})
        block.delete()


# --- reporting ----------------------------------------------------------------------------------


def report(
    *,
    reporter: User,
    reason: str,
    details: str = "",
    user: User | None = None,
    introduction: Introduction | None = None,
    post: Post | None = None,
) -> Report:
    """``reporter`` reports a member, an introduction request (they are party to) or a post to
    the moderators. The gatekeepers fetched what is reported for the reporter; the member of a
    request or a post is recorded with it."""
    if reason not in ReportReason.values:
        raise Invalid("matchmaking.report.reason_unknown", field="reason")
    details = details.strip()
    if len(details) > DETAILS_MAX:
        raise Invalid("matchmaking.report.details_too_long", {"max": DETAILS_MAX}, field="details")
    if sum(x is not None for x in (user, introduction, post)) != 1:
        raise Invalid("matchmaking.report.what_missing", field="user")
    if introduction is not None:
        if reporter.pk not in (introduction.requester_id, introduction.recipient_id):
            raise NotAllowed("matchmaking.report.not_party")
        user = (
            introduction.recipient
            if introduction.requester_id == reporter.pk
            else introduction.requester
        )
    if post is not None:
        user = post.author
    if user is not None and user.pk == reporter.pk:
        raise Invalid("matchmaking.report.self", field="user")
    with transaction.atomic():
        created = Report.objects.create(
            reporter=reporter,
            reported_user=user,
            introduction=introduction,
            post=post,
            reason=reason,
            details=details,
        )
        record(
            actor=reporter,
            action="matchmaking.report.made",
            obj=created,
            data={"reason": reason, "reported_user": user.pk if user is not None else None},
        )
    return created


def close_report(*, report: Report, by: User, outcome: str) -> Report:
    """A moderator closes a report, saying what was done (kept in the audit log too)."""
    if not is_staff(by):
        raise NotAllowed("matchmaking.report.not_moderator")
    outcome = outcome.strip()
    if not outcome:
        raise Invalid("matchmaking.report.outcome_missing", field="outcome")
    if len(outcome) > OUTCOME_MAX:
        raise Invalid("matchmaking.report.outcome_too_long", {"max": OUTCOME_MAX}, field="outcome")
    with transaction.atomic():
        locked = Report.objects.select_for_update().get(pk=report.pk)
        if locked.status != ReportStatus.OPEN:
            raise ServiceError("matchmaking.report.closed")
        locked.status = ReportStatus.CLOSED
        locked.handled_by = by
        locked.handled_at = timezone.now()
        locked.outcome = outcome
        locked.save(update_fields=["status", "handled_by", "handled_at", "outcome"])
        record(actor=by, action="matchmaking.report.closed", obj=locked, reason=outcome)
    return locked


# --- e-mails (after the commit) -----------------------------------------------------------------


def _send(to: User, template: str, context: dict[str, object], introduction_id: int) -> None:
    """The e-mail ``template`` to ``to``, in their language (the link's language too)."""
    with translation.override(_email_language(to)):
        context = {
            **context,
            "site_url": settings.FILIERE_SITE_URL,
            "url": reverse("matchmaking:introduction", kwargs={"pk": introduction_id}),
        }
        subject = render_to_string(f"matchmaking/contacts/email/{template}_subject.txt", context)
        body = render_to_string(f"matchmaking/contacts/email/{template}.txt", context)
    send_mail(" ".join(subject.split()), body, None, [to.email])


def send_request_email(*, introduction_id: int) -> None:
    """To the recipient: who asks, by name, their message, and the page to answer on. No
    address of either side."""
    introduction = Introduction.objects.select_related("requester", "recipient", "post").get(
        pk=introduction_id
    )
    recipient = introduction.recipient
    with translation.override(_email_language(recipient)):
        name = member_name(introduction.requester)
    _send(
        recipient,
        "request",
        {
            "requester": name,
            "message": introduction.message,
            "post": introduction.post.title if introduction.post else "",
        },
        introduction.pk,
    )


def send_accepted_email(*, introduction_id: int) -> None:
    """To the requester: the recipient accepted, with the recipient's address."""
    introduction = Introduction.objects.select_related("requester", "recipient").get(
        pk=introduction_id
    )
    requester = introduction.requester
    with translation.override(_email_language(requester)):
        name = member_name(introduction.recipient)
    _send(
        requester,
        "accepted",
        {
            "recipient": name,
            "email": introduction.recipient.email,
        },
        introduction.pk,
    )
