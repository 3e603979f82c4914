"""Who may do what on the offers and needs board. Views, the API and services name the rule
they apply.

- The board is the members': every signed-in account reads the published posts that have not
  expired, and posts an offer or a need, for themselves or for an organisation they manage
  (a current affiliation with ``is_manager``; the staff for any organisation).
- A post awaiting moderation, refused, withdrawn or expired is read only by its author and the
  staff: for everyone else it does not exist (404). Only its author edits, withdraws or renews
  it; another member's post is a 404 there too.
- The staff (global staff or administrators) moderate: they publish or refuse new posts.
- Suggestions for a post are shown to its author and the staff; a member's own suggestions
  ("For you") only to them. Nobody's e-mail address is shown on the board.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from filiere.accounts.permissions import is_signed_in, is_staff
from filiere.calls.permissions import signed_in_and
from filiere.community.models import Organisation
from filiere.community.permissions import can_manage_organisation

from .models import Post, PostStatus

if TYPE_CHECKING:
    from filiere.accounts.types import AnyUser


def is_moderator(user: AnyUser | None) -> bool:
    return is_staff(user)


def is_author(user: AnyUser | None, post: Post) -> bool:
    return is_signed_in(user) and post.author_id == user.pk


def is_listed(post: Post, today: date) -> bool:
    """On the board: published and not past its listing date."""
    return post.status == PostStatus.PUBLISHED and post.expires_on >= today


def can_read_post(user: AnyUser | None, post: Post, today: date) -> bool:
    if not is_signed_in(user):
        return False
    return is_listed(post, today) or is_author(user, post) or is_moderator(user)


def can_post_for(user: AnyUser | None, organisation: Organisation | None) -> bool:
    """For themselves (any member), or for an organisation they manage."""
    if not is_signed_in(user):
        return False
    return organisation is None or can_manage_organisation(user, organisation)


def sees_suggestions_for(user: AnyUser | None, post: Post) -> bool:
    return is_author(user, post) or is_moderator(user)


#: The board's pages: anonymous → sign-in page; every signed-in member passes.
member_required = signed_in_and(is_signed_in)

#: The moderation queue: anonymous → sign-in page; not staff → 403.
moderator_required = signed_in_and(is_moderator)
