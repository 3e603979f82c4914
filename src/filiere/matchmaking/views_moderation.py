"""The staff's moderation of the board: the queue of posts awaiting moderation, publish, refuse
with a reason (shown to the author and e-mailed to them). Thin adapters over services_board."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from filiere.accounts.types import AuthenticatedHttpRequest
from filiere.errors import ServiceError

from . import services_board as services
from .forms_board import RefusalForm
from .permissions import moderator_required
from .selectors_board import author_of, pending_posts, post_for_moderator


@moderator_required
def queue(request: AuthenticatedHttpRequest) -> HttpResponse:
    # permission: the staff (global staff or administrators); 403 for everyone else
    rows = [(post, author_of(request.user, post)) for post in pending_posts()]
    return render(
        request, "matchmaking/moderation.html", {"rows": rows, "refusal_form": RefusalForm()}
    )


@moderator_required
@require_POST
def publish(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    # permission: the staff (403 for everyone else); only a post awaiting moderation; audited,
    # the author is e-mailed
    post = post_for_moderator(request.user, pk)
    try:
        services.publish_post(by=request.user, post=post)
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("“%(title)s” is published.") % {"title": post.title})
    return redirect("matchmaking:moderation")


@moderator_required
@require_POST
def refuse(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    # permission: the staff (403 for everyone else); a reason is required; audited, the author
    # is e-mailed with the reason
    post = post_for_moderator(request.user, pk)
    form = RefusalForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the author a reason for the refusal."))
        return redirect("matchmaking:moderation")
    try:
        services.refuse_post(by=request.user, post=post, reason=form.cleaned_data["reason"])
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("“%(title)s” is refused.") % {"title": post.title})
    return redirect("matchmaking:moderation")
