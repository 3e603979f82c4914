"""Pages of contacts with consent: ask to be introduced (from a directory profile or a post of the
board), "My introductions" (received and sent, the yes/no to being asked, the members I
blocked), one introduction (answer, withdraw, block, report), reporting, and the moderators'
queue of reports.

Thin adapters: a gatekeeper (``access``: 404 for "missing" and "not yours"), a form, one service
of ``services_contacts``. No e-mail address is shown before an introduction is accepted.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from filiere.accounts.models import User
from filiere.accounts.types import AuthenticatedHttpRequest
from filiere.calls.permissions import signed_in_and
from filiere.community.models import Person
from filiere.errors import ServiceError
from filiere.ui.params import as_id

from . import selectors_contacts as selectors
from . import services_contacts as services
from .access import block_of, introduction_for_party, report_for_moderator
from .forms_contacts import AskForm, ConsentForm, OutcomeForm, ReportForm
from .models import Post
from .models_contacts import Introduction, Report
from .permissions import is_moderator

moderator_required = signed_in_and(is_moderator)


def _person(request: AuthenticatedHttpRequest, slug: str) -> Person:
    person = selectors.askable_person(request.user, slug)
    if person is None:
        raise Http404
    return person


def _post(request: AuthenticatedHttpRequest, pk: int) -> Post:
    post = selectors.visible_post(request.user, pk)
    if post is None:
        raise Http404
    return post


# --- My introductions ---------------------------------------------------------------------------


@login_required
def introductions(request: AuthenticatedHttpRequest) -> HttpResponse:
    # permission: signed in; the member's own introductions (asked or asked to), their consent
    # and their blocks only
    rows = selectors.rows_for(request.user, list(selectors.introductions_of(request.user)))
    accepts = selectors.accepts_contact(request.user.pk)
    context = {
        "received": [row for row in rows if row.direction == "received"],
        "sent": [row for row in rows if row.direction == "sent"],
        "consent_form": ConsentForm(initial={"accepts": "yes" if accepts else "no"}),
        "accepts": accepts,
        "blocks": selectors.blocks_made(request.user),
    }
    return render(request, "matchmaking/contacts/introductions.html", context)


@login_required
@require_POST
def contact_consent(request: AuthenticatedHttpRequest) -> HttpResponse:
    # permission: signed in; the member's own consent (accounts' log, audited)
    form = ConsentForm(request.POST)
    if form.is_valid():
        granted = form.cleaned_data["accepts"]
        services.set_contact_consent(user=request.user, granted=granted, source="introductions")
        if granted:
            messages.success(request, _("Other members may now ask to be introduced to you."))
        else:
            messages.success(request, _("Other members can no longer ask to be introduced to you."))
    return redirect("matchmaking:introductions")


# --- asking -------------------------------------------------------------------------------------


def _ask(
    request: AuthenticatedHttpRequest,
    *,
    recipient: User | None,
    person: Person | None = None,
    post: Post | None = None,
) -> HttpResponse:
    form = AskForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            introduction = services.ask_introduction(
                requester=request.user,
                message=form.cleaned_data["message"],
                person=person,
                post=post,
            )
        except ServiceError as error:
            form.add_error(error.field or None, error.message)
        else:
            messages.success(
                request,
                _("Your request has been sent. You will be told by e-mail if it is accepted."),
            )
            return redirect("matchmaking:introduction", pk=introduction.pk)
    refusal = selectors.refusal_to_ask(request.user, recipient)
    context = {
        "form": form,
        "person": person,
        "post": post,
        "recipient_name": selectors.member_name(recipient) if recipient is not None else "",
        "refusal": ServiceError(refusal).message if refusal else "",
    }
    return render(request, "matchmaking/contacts/ask.html", context)


@login_required
def ask_person(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    # permission: signed in; a directory profile the member may see (404 otherwise); the
    # service refuses a profile without an account, a member who said no, a block either way,
    # and applies the limits; audited
    person = _person(request, slug)
    return _ask(request, recipient=person.user, person=person)


@login_required
def ask_post(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    # permission: signed in; a post of the board the member may read (404 otherwise); asks its
    # author, with the same rules as from a profile; audited
    post = _post(request, pk)
    return _ask(request, recipient=post.author, post=post)


# --- one introduction ---------------------------------------------------------------------------


@login_required
def introduction(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    # permission: signed in; the member who asked or was asked (404 for anyone else); the other
    # side's address only once accepted
    found = introduction_for_party(request.user, pk)
    row = selectors.row_for(request.user, found)
    return render(request, "matchmaking/contacts/introduction.html", {"row": row})


def _act(
    request: AuthenticatedHttpRequest, found: Introduction, verb: str, done: str
) -> HttpResponse:
    action = {
        "accept": services.accept_introduction,
        "decline": services.decline_introduction,
        "withdraw": services.withdraw_introduction,
    }[verb]
    try:
        action(introduction=found, by=request.user)
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, done)
    return redirect("matchmaking:introduction", pk=found.pk)


@login_required
@require_POST
def introduction_accept(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    # permission: signed in; a party of the introduction (404 otherwise); the service lets only
    # the member asked accept a pending request; audited, the requester is told by e-mail
    found = introduction_for_party(request.user, pk)
    return _act(
        request, found, "accept", _("You accepted: you now see each other's e-mail address.")
    )


@login_required
@require_POST
def introduction_decline(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    # permission: signed in; a party of the introduction (404 otherwise); only the member asked
    # declines a pending request; audited
    found = introduction_for_party(request.user, pk)
    return _act(request, found, "decline", _("You declined this request."))


@login_required
@require_POST
def introduction_withdraw(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    # permission: signed in; a party of the introduction (404 otherwise); only the member who
    # asked withdraws a pending request; audited
    found = introduction_for_party(request.user, pk)
    return _act(request, found, "withdraw", _("You withdrew your request."))


# --- blocking -----------------------------------------------------------------------------------


def _block(request: AuthenticatedHttpRequest, blocked: User) -> HttpResponse:
    try:
        services.block_member(by=request.user, blocked=blocked)
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _(
                "You blocked %(name)s: neither of you can ask the other to be introduced, and "
                "requests between you are closed."
            )
            % {"name": selectors.member_name(blocked)},
        )
    return redirect("matchmaking:introductions")


@login_required
@require_POST
def introduction_block(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    # permission: signed in; a party of the introduction (404 otherwise) blocks the other side;
    # audited
    found = introduction_for_party(request.user, pk)
    other = found.recipient if found.requester_id == request.user.pk else found.requester
    return _block(request, other)


@login_required
@require_POST
def person_block(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    # permission: signed in; a directory profile the member may see, with an account (404
    # otherwise); audited
    person = _person(request, slug)
    if person.user is None:
        raise Http404
    return _block(request, person.user)


@login_required
@require_POST
def unblock(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    # permission: signed in; a block the member made (404 otherwise); audited
    block = block_of(request.user, pk)
    services.unblock_member(block=block, by=request.user)
    messages.success(request, _("The block has been lifted."))
    return redirect("matchmaking:introductions")


# --- reporting ----------------------------------------------------------------------------------


@login_required
def report(request: AuthenticatedHttpRequest, kind: str, ref: str) -> HttpResponse:
    # permission: signed in; what is reported must be visible to the member (a profile they may
    # see, a request they are part of, a post they may read: 404 otherwise); audited
    target: dict[str, object] = {}
    if kind == "person":
        person = _person(request, ref)
        if person.user is None:
            raise Http404
        target = {"user": person.user}
        what = person.display_name
    elif kind == "introduction" and (pk := as_id(ref)) is not None:
        found = introduction_for_party(request.user, pk)
        target = {"introduction": found}
        what = _("an introduction request")
    elif kind == "post" and (pk := as_id(ref)) is not None:
        post = _post(request, pk)
        target = {"post": post}
        what = post.title
    else:
        raise Http404
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.report(
                reporter=request.user,
                reason=form.cleaned_data["reason"],
                details=form.cleaned_data["details"],
                **target,  # type: ignore[arg-type]
            )
        except ServiceError as error:
            form.add_error(error.field or None, error.message)
        else:
            messages.success(request, _("Thank you: the staff will examine your report."))
            return redirect("matchmaking:introductions")
    return render(request, "matchmaking/contacts/report.html", {"form": form, "what": what})


@moderator_required
def reports(request: AuthenticatedHttpRequest) -> HttpResponse:
    # permission: the staff (moderators; 403 for other members)
    waiting = list(selectors.open_reports())
    closed = list(selectors.recently_closed_reports())
    names = selectors.names_for_reports(waiting + closed)

    def rows(found: list[Report]) -> list[tuple[Report, str, str]]:
        return [
            (r, names.get(r.reporter_id, ""), names.get(r.reported_user_id or 0, "")) for r in found
        ]

    context = {
        "waiting": rows(waiting),
        "closed": rows(closed),
    }
    return render(request, "matchmaking/contacts/reports.html", context)


@moderator_required
@require_POST
def report_close(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    # permission: the staff (403 for other members; report_for_moderator); an outcome is
    # required; audited
    found = report_for_moderator(request.user, pk)
    form = OutcomeForm(request.POST)
    outcome = form.cleaned_data["outcome"] if form.is_valid() else ""
    try:
        services.close_report(report=found, by=request.user, outcome=outcome)
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The report has been closed."))
    return redirect("matchmaking:reports")
