"""Reads of the offers and needs board, with the rules of ``permissions`` applied, and its
gatekeepers: each answers the same 404 for "missing" and "not yours".

- ``board_posts``: the listed posts (published, not past their listing date), filtered; a
  fixed number of queries whatever the page's length.
- ``post_for_reader``: one post the reader may read (listed, or their own, or any for staff).
- ``post_for_author``: one of the reader's own posts (edit, withdraw, renew).
- ``pending_posts`` / ``post_for_moderator``: the staff's moderation queue.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from filiere.accounts.permissions import is_signed_in
from filiere.community.models import Organisation, Person, Skill, Territory
from filiere.community.permissions import can_view_person

from .models import Post, PostStatus
from .permissions import can_read_post, is_author, is_moderator

if TYPE_CHECKING:
    from filiere.accounts.models import User
    from filiere.accounts.types import AnyUser

#: The working languages a post may name (``community.Language`` codes of two letters).
WORKING_LANGUAGES = ("fr", "en", "nl", "de")


@dataclass(frozen=True)
class BoardFilters:
    """The board's filters, already validated: a kind, a skill's slug, a territory's code and a
    language code, or empty."""

    kind: str = ""
    skill: str = ""
    territory: str = ""
    language: str = ""


def _with_details(posts: QuerySet[Post]) -> QuerySet[Post]:
    return posts.select_related("author__person", "organisation", "territory").prefetch_related(
        "skills"
    )


def listed_posts(today: date) -> QuerySet[Post]:
    """Published posts not past their listing date (expiry needs no job: it is a date)."""
    return Post.objects.filter(status=PostStatus.PUBLISHED, expires_on__gte=today)


def skill_and_narrower(slug: str) -> QuerySet[Skill]:
    """The skill of ``slug`` and the skills below it: a domain matches its narrower skills."""
    return Skill.objects.filter(Q(slug=slug) | Q(parent__slug=slug) | Q(parent__parent__slug=slug))


def board_posts(filters: BoardFilters, today: date) -> QuerySet[Post]:
    posts = listed_posts(today)
    if filters.kind:
        posts = posts.filter(kind=filters.kind)
    if filters.skill:
        # A subquery, not a join: a post with two matching skills is listed once.
        tagged = Post.skills.through.objects.filter(
            skill__in=skill_and_narrower(filters.skill)
        ).values("post_id")
        posts = posts.filter(pk__in=tagged)
    if filters.territory:
        posts = posts.filter(territory__code=filters.territory)
    if filters.language:
        posts = posts.filter(language=filters.language)
    return _with_details(posts).order_by("-created_at", "-id")


def posts_of(user: User) -> QuerySet[Post]:
    """Everything ``user`` posted, the latest first ("My posts")."""
    return _with_details(Post.objects.filter(author=user)).order_by("-created_at", "-id")


def open_posts_count(user: User, today: date) -> int:
    """Posts of ``user`` awaiting moderation or listed now: the spam limit counts these."""
    return (
        Post.objects.filter(author=user)
        .filter(
            Q(status=PostStatus.PENDING) | Q(status=PostStatus.PUBLISHED, expires_on__gte=today)
        )
        .count()
    )


def post_for_reader(user: AnyUser, pk: int, today: date) -> Post:
    post = _with_details(Post.objects.filter(pk=pk)).first()
    if post is None or not can_read_post(user, post, today):
        raise Http404
    return post


def post_for_author(user: AnyUser, pk: int) -> Post:
    """One of ``user``'s own posts; someone else's is missing (404), for the staff too."""
    post = _with_details(Post.objects.filter(pk=pk)).first()
    if post is None or not is_author(user, post):
        raise Http404
    return post


def pending_posts() -> QuerySet[Post]:
    """The moderation queue, the oldest first."""
    return _with_details(Post.objects.filter(status=PostStatus.PENDING)).order_by(
        "created_at", "id"
    )


def post_for_moderator(user: AnyUser, pk: int) -> Post:
    post = _with_details(Post.objects.filter(pk=pk)).first()
    if post is None or not is_moderator(user):
        raise Http404
    return post


def managed_organisations(user: AnyUser) -> QuerySet[Organisation]:
    """The organisations ``user`` may post for: those they manage now."""
    if not is_signed_in(user):
        return Organisation.objects.none()
    return (
        Organisation.objects.filter(
            affiliations__person__user_id=user.pk,
            affiliations__end_date__isnull=True,
            affiliations__is_manager=True,
        )
        .distinct()
        .order_by("name")
    )


def filter_skills() -> QuerySet[Skill]:
    """The skills offered as a filter: the domains and the skills some listed post names."""
    used = Post.skills.through.objects.values("skill_id")
    return (
        Skill.objects.filter(Q(parent__isnull=True, status="curated") | Q(pk__in=used))
        .select_related("parent")
        .order_by("parent__name", "name")
    )


def filter_territories() -> QuerySet[Territory]:
    return Territory.objects.order_by("sort_order", "code")


@dataclass(frozen=True)
class Author:
    """Who posted, as members see it: a name, and the profile's slug when the reader may open
    it. Never an e-mail address."""

    name: str
    profile_slug: str


def author_of(viewer: AnyUser, post: Post) -> Author:
    """From what ``_with_details`` read: no query."""
    person: Person | None = getattr(post.author, "person", None)
    if person is not None:
        slug = person.slug if can_view_person(viewer, person) else ""
        return Author(name=person.display_name, profile_slug=slug)
    return Author(name=post.author.get_full_name().strip() or _("A member"), profile_slug="")
