"""Writes of the offers and needs board: post, edit, withdraw and renew (the author), publish
or refuse (the staff). Each service checks its permission, owns its transaction and records an
audit entry; the author hears of the moderation by e-mail once it is committed.

Limits against spam: at most ``max_open_posts()`` posts awaiting moderation or listed per
author (``FILIERE_MATCHMAKING_MAX_OPEN_POSTS``), the lengths below, and every new or edited
post waits for a moderator before it is listed.
"""

from __future__ import annotations

import inspect
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import partial
from typing import Any, cast

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from filiere import errors
from filiere.accounts.models import User
from filiere.audit.services import record
from filiere.community.models import Organisation, Skill, Territory
from filiere.community.services import skills_from_names
from filiere.review.services import email_language

from .models import Post, PostKind, PostStatus
from .permissions import can_post_for, is_author, is_moderator
from .selectors_board import WORKING_LANGUAGES, open_posts_count
from .suggestion_runs import queue_for_post

TITLE_MAX = 160
DESCRIPTION_MAX = 4000
DURATION_MAX = 60
REASON_MAX = 500
MAX_SKILLS = 12
#: A new post is listed this long unless its author says otherwise, and never longer than
#: ``MAX_LISTING_DAYS`` from the day it is posted or renewed.
DEFAULT_LISTING_DAYS = 60
MAX_LISTING_DAYS = 180


def max_open_posts() -> int:
    return int(getattr(settings, "FILIERE_MATCHMAKING_MAX_OPEN_POSTS", 5))


class PostRefused(errors.Invalid):
    """The post cannot be accepted as written (``field`` names the input)."""


class DatesRefused(errors.ServiceError):
    """The dates do not fit today's calendar or each other (409: well-formed dates)."""


@dataclass(frozen=True)
class PostDraft:
    """What the author writes; ``skills`` are the tags as typed."""

    kind: str
    title: str
    description: str
    skills: Sequence[str] = ()
    territory: Territory | None = None
    starts_on: date | None = None
    ends_on: date | None = None
    duration: str = ""
    language: str = "fr"
    expires_on: date | None = None
    organisation: Organisation | None = None


def default_expiry(today: date) -> date:
    return today + timedelta(days=DEFAULT_LISTING_DAYS)


def _check(draft: PostDraft, today: date) -> dict[str, Any]:
    """The post's fields from ``draft``, or the first refusal."""
    if draft.kind not in PostKind.values:
        raise PostRefused("matchmaking.post.kind_unknown", field="kind")
    # NUL characters: PostgreSQL stores no such text; they carry nothing a reader could see.
    title = " ".join(draft.title.replace("\x00", "").split())
    description = draft.description.replace("\x00", "").strip()
    duration = " ".join(draft.duration.replace("\x00", "").split())
    if not title:
        raise PostRefused("matchmaking.post.title_missing", field="title")
    if len(title) > TITLE_MAX:
        raise PostRefused("matchmaking.post.title_too_long", {"limit": TITLE_MAX}, field="title")
    if not description:
        raise PostRefused("matchmaking.post.description_missing", field="description")
    if len(description) > DESCRIPTION_MAX:
        raise PostRefused(
            "matchmaking.post.description_too_long",
            {"limit": DESCRIPTION_MAX},
            field="description",
        )
    if len(duration) > DURATION_MAX:
        raise PostRefused(
            "matchmaking.post.duration_too_long", {"limit": DURATION_MAX}, field="duration"
        )
    names = [n for n in (" ".join(str(s).replace("\x00", "").split()) for s in draft.skills) if n]
    if len(names) > MAX_SKILLS:
        raise PostRefused("matchmaking.post.too_many_skills", {"limit": MAX_SKILLS}, field="skills")
    if draft.language not in WORKING_LANGUAGES:
        raise PostRefused("matchmaking.post.language_unknown", field="language")
    if draft.starts_on and draft.ends_on and draft.ends_on < draft.starts_on:
        raise DatesRefused("matchmaking.post.ends_before_start", field="ends_on")
    expires_on = draft.expires_on or default_expiry(today)
    if expires_on < today:
        raise DatesRefused("matchmaking.post.expiry_past", field="expires_on")
    if expires_on > today + timedelta(days=MAX_LISTING_DAYS):
        raise DatesRefused(
            "matchmaking.post.expiry_too_far", {"days": MAX_LISTING_DAYS}, field="expires_on"
        )
    return {
        "kind": draft.kind,
        "title": title,
        "description": description,
        "duration": duration,
        "territory": draft.territory,
        "starts_on": draft.starts_on,
        "ends_on": draft.ends_on,
        "language": draft.language,
        "expires_on": expires_on,
        "organisation": draft.organisation,
        "skill_names": names,
    }


def _skills(names: list[str], by: User) -> list[Skill]:
    """Typed tags resolved against the vocabulary (labels, synonyms); new ones are proposed."""
    # community's matcher takes the proposer when it knows them (``by=``), and names only before.
    resolve = cast(Any, skills_from_names)
    if "by" in inspect.signature(skills_from_names).parameters:
        return list(resolve(names, by=by))
    return list(resolve(names))


def _require_poster(by: User, organisation: Organisation | None) -> None:
    if not can_post_for(by, organisation):
        raise errors.NotAllowed("matchmaking.post.not_manager", field="organisation")


@transaction.atomic
def create_post(*, by: User, draft: PostDraft, today: date | None = None) -> Post:
    """A new offer or need, awaiting moderation."""
    today = today or timezone.localdate()
    fields = _check(draft, today)
    _require_poster(by, draft.organisation)
    # One post at a time per author: two quick submissions cannot both pass the limit.
    User.objects.select_for_update().filter(pk=by.pk).first()
    limit = max_open_posts()
    if open_posts_count(by, today) >= limit:
        raise errors.ServiceError("matchmaking.post.too_many_open", {"limit": limit})
    names = fields.pop("skill_names")
    post = Post.objects.create(author=by, status=PostStatus.PENDING, **fields)
    post.skills.set(_skills(names, by))
    record(actor=by, action="matchmaking.post.create", obj=post, data={"kind": post.kind})
    queue_for_post(post)  # its suggestions, computed in the background
    return post


def _own_open_post(by: User, post: Post) -> Post:
    locked = Post.objects.select_for_update().get(pk=post.pk)
    if not is_author(by, locked):
        raise errors.NotAllowed("matchmaking.post.closed")
    if locked.status not in (PostStatus.PENDING, PostStatus.PUBLISHED):
        raise errors.ServiceError("matchmaking.post.closed")
    return locked


@transaction.atomic
def update_post(*, by: User, post: Post, draft: PostDraft, today: date | None = None) -> Post:
    """The author's changes; a listed post goes back to moderation (its new text is unread)."""
    today = today or timezone.localdate()
    post = _own_open_post(by, post)
    fields = _check(draft, today)
    if draft.organisation != post.organisation:
        _require_poster(by, draft.organisation)
    names = fields.pop("skill_names")
    for name, value in fields.items():
        setattr(post, name, value)
    was = post.status
    post.status = PostStatus.PENDING
    post.save()
    post.skills.set(_skills(names, by))
    record(actor=by, action="matchmaking.post.update", obj=post, data={"status_was": was})
    queue_for_post(post)  # its suggestions again, when what it says changed
    return post


@transaction.atomic
def withdraw_post(*, by: User, post: Post) -> Post:
    post = _own_open_post(by, post)
    post.status = PostStatus.WITHDRAWN
    post.save(update_fields=["status", "updated_at"])
    record(actor=by, action="matchmaking.post.withdraw", obj=post)
    return post


@transaction.atomic
def renew_post(*, by: User, post: Post, today: date | None = None) -> Post:
    """Listed again for ``DEFAULT_LISTING_DAYS`` from today, before it expires."""
    today = today or timezone.localdate()
    post = _own_open_post(by, post)
    if post.status != PostStatus.PUBLISHED or post.expires_on < today:
        raise errors.ServiceError("matchmaking.post.not_renewable")
    was = post.expires_on
    post.expires_on = max(post.expires_on, default_expiry(today))
    post.save(update_fields=["expires_on", "updated_at"])
    record(
        actor=by,
        action="matchmaking.post.renew",
        obj=post,
        data={"from": was.isoformat(), "to": post.expires_on.isoformat()},
    )
    return post


def _pending_for_moderation(by: User, post: Post) -> Post:
    if not is_moderator(by):
        raise errors.NotAllowed("matchmaking.moderation.not_staff")
    locked = Post.objects.select_for_update().select_related("author").get(pk=post.pk)
    if locked.status != PostStatus.PENDING:
        raise errors.ServiceError("matchmaking.moderation.not_pending")
    return locked


def _moderated(post: Post, by: User, status: str, reason: str) -> None:
    post.status = status
    post.moderated_by = by
    post.moderated_at = timezone.now()
    post.moderation_reason = reason
    post.save(
        update_fields=["status", "moderated_by", "moderated_at", "moderation_reason", "updated_at"]
    )


@transaction.atomic
def publish_post(*, by: User, post: Post) -> Post:
    post = _pending_for_moderation(by, post)
    _moderated(post, by, PostStatus.PUBLISHED, "")
    record(actor=by, action="matchmaking.post.publish", obj=post)
    queue_for_post(post)  # nothing new when they are computed or coming
    transaction.on_commit(partial(_tell_author, post))
    return post


@transaction.atomic
def refuse_post(*, by: User, post: Post, reason: str) -> Post:
    """Refused with a reason the author reads on "My posts" and in the e-mail."""
    reason = " ".join(reason.split())
    if not reason:
        raise errors.Invalid("matchmaking.moderation.reason_missing", field="reason")
    if len(reason) > REASON_MAX:
        raise errors.Invalid(
            "matchmaking.moderation.reason_too_long", {"limit": REASON_MAX}, field="reason"
        )
    post = _pending_for_moderation(by, post)
    _moderated(post, by, PostStatus.REJECTED, reason)
    record(actor=by, action="matchmaking.post.refuse", obj=post, reason=reason)
    transaction.on_commit(partial(_tell_author, post))
    return post


def _tell_author(post: Post) -> None:
    """The moderation's outcome, in the author's language."""
    author = post.author
    with translation.override(email_language(author)):
        context = {
            "post": post,
            "published": post.status == PostStatus.PUBLISHED,
            "site_url": settings.FILIERE_SITE_URL,
            "url": reverse("matchmaking:post", kwargs={"pk": post.pk}),
            "my_posts_url": reverse("matchmaking:my_posts"),
        }
        subject = render_to_string("matchmaking/email/moderated_subject.txt", context)
        body = render_to_string("matchmaking/email/moderated.txt", context)
    send_mail(" ".join(subject.split()), body, None, [author.email])
