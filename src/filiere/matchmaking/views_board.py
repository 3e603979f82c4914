"""Pages of the offers and needs board: the board, a post, posting and editing, "My posts",
and "For you" (the needs and calls a member could answer, and the weekly digests' consents).

Thin adapters: a permission check (``permissions``, the gatekeepers of ``selectors_board``), a
form, one service or selector, a template.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from filiere.accounts.models import ConsentPurpose
from filiere.accounts.selectors import has_consent
from filiere.accounts.services import record_consent
from filiere.accounts.types import AuthenticatedHttpRequest
from filiere.errors import ServiceError
from filiere.ui.pagination import page_nav

from . import services_board as services
from . import suggestion_runs as runs
from .forms_board import BoardFilterForm, DigestConsentForm, PostForm
from .models import Post, PostStatus
from .permissions import is_listed, member_required, sees_suggestions_for
from .selectors_board import (
    author_of,
    board_posts,
    managed_organisations,
    post_for_author,
    post_for_reader,
    posts_of,
)

PAGE_SIZE = 20


@member_required
def board(request: AuthenticatedHttpRequest) -> HttpResponse:
    # permission: every signed-in member; only listed posts (published, not expired)
    form = BoardFilterForm(request.GET or None)
    today = timezone.localdate()
    paginator = Paginator(board_posts(form.filters(), today), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    rows = [(post, author_of(request.user, post)) for post in page.object_list]
    context = {
        "form": form,
        "rows": rows,
        "nav": page_nav(request.GET, "page", page, _("Pages of the board")),
        "count": paginator.count,
    }
    return render(request, "matchmaking/board.html", context)


def _polled(request: HttpRequest, template: str, part: str) -> str:
    """The page, or only its suggestions when htmx polls for them."""
    htmx = getattr(request, "htmx", None)
    return f"{template}#{part}" if htmx and not htmx.history_restore_request else template


@member_required
def post_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    # permission: a listed post for every member; a pending, refused, withdrawn or expired one
    # for its author and the staff only (404 for everyone else); suggestions for the author
    # and the staff (computed in the background: the page polls until they are ready)
    today = timezone.localdate()
    post = post_for_reader(request.user, pk, today)
    run = runs.post_run(post) if sees_suggestions_for(request.user, post) else None
    context = {
        "post": post,
        "author": author_of(request.user, post),
        "listed": is_listed(post, today),
        "mine": post.author_id == request.user.pk,
        "run": run,
        "finished": run is not None and runs.is_finished(run),
        "suggestions": runs.post_suggestions(request.user, post, run) if run else None,
    }
    return render(request, _polled(request, "matchmaking/post.html", "suggestions"), context)


def _organisations(request: AuthenticatedHttpRequest) -> Any:
    return managed_organisations(request.user)


@member_required
def post_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    # permission: every signed-in member, for themselves or an organisation they manage (the
    # service checks again); the post waits for moderation; audited
    form = PostForm(request.POST or None, organisations=_organisations(request))
    if request.method == "POST" and form.is_valid():
        try:
            post = services.create_post(by=request.user, draft=form.draft())
        except ServiceError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(
                request, _("Your post has been sent: it is listed once a moderator publishes it.")
            )
            return redirect("matchmaking:post", pk=post.pk)
    return render(request, "matchmaking/post_form.html", {"form": form, "post": None})


@member_required
def post_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    # permission: the post's author only (post_for_author: 404 for everyone else, staff
    # included); a changed post waits for moderation again; audited
    post = post_for_author(request.user, pk)
    organisations = _organisations(request)
    if request.method == "POST":
        form = PostForm(request.POST, organisations=organisations)
        if form.is_valid():
            try:
                services.update_post(by=request.user, post=post, draft=form.draft())
            except ServiceError as error:
                form.add_error(error.field if error.field in form.fields else None, error.message)
            else:
                messages.success(request, _("Your changes are saved: a moderator reads them."))
                return redirect("matchmaking:post", pk=post.pk)
    else:
        form = PostForm(initial=PostForm.initial_from(post), organisations=organisations)
    return render(request, "matchmaking/post_form.html", {"form": form, "post": post})


def _refused(request: AuthenticatedHttpRequest, post: Post, error: ServiceError) -> HttpResponse:
    messages.error(request, error.message)
    return redirect("matchmaking:my_posts")


@member_required
@require_POST
def post_withdraw(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    # permission: the post's author only (404 for everyone else); audited
    post = post_for_author(request.user, pk)
    try:
        services.withdraw_post(by=request.user, post=post)
    except ServiceError as error:
        return _refused(request, post, error)
    messages.success(request, _("Your post has been withdrawn."))
    return redirect("matchmaking:my_posts")


@member_required
@require_POST
def post_renew(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    # permission: the post's author only (404 for everyone else), before it expires; audited
    post = post_for_author(request.user, pk)
    try:
        post = services.renew_post(by=request.user, post=post)
    except ServiceError as error:
        return _refused(request, post, error)
    messages.success(
        request,
        _("Your post is listed until %(date)s.") % {"date": post.expires_on.isoformat()},
    )
    return redirect("matchmaking:my_posts")


@member_required
def my_posts(request: AuthenticatedHttpRequest) -> HttpResponse:
    # permission: every signed-in member, their own posts only
    today = timezone.localdate()
    rows = [
        (
            post,
            is_listed(post, today),
            post.status == PostStatus.PUBLISHED and not is_listed(post, today),
        )
        for post in posts_of(request.user)
    ]
    context = {
        "rows": rows,
        "limit": services.max_open_posts(),
        "open_statuses": (PostStatus.PENDING, PostStatus.PUBLISHED),
    }
    return render(request, "matchmaking/my_posts.html", context)


def _consents(request: AuthenticatedHttpRequest) -> dict[str, bool]:
    return {
        "calls_digest": has_consent(request.user.pk, ConsentPurpose.CALLS_DIGEST),
        "needs_digest": has_consent(request.user.pk, ConsentPurpose.NEEDS_DIGEST),
    }


@member_required
def for_you(request: AuthenticatedHttpRequest) -> HttpResponse:
    # permission: every signed-in member, about their own profile only (computed in the
    # background: the page polls until they are ready)
    today = timezone.localdate()
    has_profile = hasattr(request.user, "person")
    run = runs.member_run(request.user, today) if has_profile else None
    found = runs.member_suggestions(request.user, run, today) if run else runs.ForYou([], [])
    context = {
        "run": run,
        "finished": run is None or runs.is_finished(run),
        "needs": found.needs if found else None,
        "calls": found.calls if found else None,
        "has_profile": has_profile,
        "consent_form": DigestConsentForm(initial=_consents(request)),
        "site_url": settings.FILIERE_SITE_URL,
    }
    return render(request, _polled(request, "matchmaking/for_you.html", "suggestions"), context)


@member_required
@require_POST
def digests(request: AuthenticatedHttpRequest) -> HttpResponse:
    # permission: every signed-in member, their own consents only (recorded and audited by
    # accounts.services.record_consent)
    form = DigestConsentForm(request.POST)
    form.is_valid()  # two check boxes: a missing one is a "no"
    for purpose in (ConsentPurpose.CALLS_DIGEST, ConsentPurpose.NEEDS_DIGEST):
        granted = bool(form.cleaned_data.get(str(purpose)))
        record_consent(user=request.user, purpose=purpose, granted=granted, source="for you page")
    messages.success(request, _("Your choice of weekly digests is saved."))
    return redirect("matchmaking:for_you")
