"""Pages of the decisions and letters: decide on an application of a session's agenda, the
session's decisions (confirm, cancel), a call's outbox (edit a letter's feedback, preview its
PDF, send all), and the letter's PDF for the team once it is sent.

Thin adapters: a gatekeeper (``access``, ``selectors_decisions``), a form, one service.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from filiere.accounts.types import AuthenticatedHttpRequest
from filiere.calls.models import Call
from filiere.calls.permissions import call_staff_required
from filiere.errors import ServiceError

from . import selectors_decisions as selectors
from . import services_decisions as services
from .access import session_for_staff
from .forms_decisions import CancelForm, DecisionForm, FeedbackForm
from .letters import letter_filename, letter_pdf
from .models import Decision, Letter, Session
from .permissions import committee_staff_required

# --- decide -------------------------------------------------------------------------------------


@committee_staff_required
def decide(request: AuthenticatedHttpRequest, session_pk: int, application_pk: int) -> HttpResponse:
    # permission: the staff of the session's call (session_for_staff), on an application of its
    # agenda they are not on nor in conflict with (application_on_agenda); 404 otherwise
    session = session_for_staff(request.user, session_pk)
    application = selectors.application_on_agenda(request.user, session, application_pk)
    form = DecisionForm(request.POST or None, initial={"amount": application.requested_amount})
    if request.method == "POST" and form.is_valid():
        try:
            values = form.values()
            decision = services.propose_decision(
                application=application,
                outcome=values.outcome,
                amount=values.amount,
                reason=values.reason,
                by=request.user,
                session=session,
            )
        except ServiceError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            if decision.status == "confirmed":
                messages.success(
                    request, _("The decision is recorded; its letter is in the outbox.")
                )
            else:
                messages.success(request, _("The decision awaits its second signature."))
            return redirect("committee:decisions", pk=session.pk)
    context = {"session": session, "application": application, "form": form}
    return render(request, "committee/decision_form.html", context)


# --- a session's decisions ----------------------------------------------------------------------


def _decisions_page(
    request: AuthenticatedHttpRequest, session: Session, status: int = 200
) -> HttpResponse:
    context = {
        "session": session,
        "decisions": list(selectors.session_decisions(request.user, session)),
        "to_decide": list(selectors.awaiting_decision(request.user, session)),
    }
    return render(request, "committee/decisions.html", context, status=status)


@committee_staff_required
def decisions(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    # permission: the staff of the session's call (session_for_staff; 404 for anyone else)
    return _decisions_page(request, session_for_staff(request.user, pk))


def _back(decision: Decision) -> HttpResponse:
    if decision.session_id is not None:
        return redirect("committee:decisions", pk=decision.session_id)
    return redirect("committee:outbox", slug=decision.application.call.slug)


@committee_staff_required
@require_POST
def decision_confirm(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    # permission: the staff of the decision's call neither on its application's team nor in
    # conflict with it (decision_for_staff; 404 otherwise); the service refuses the proposer
    decision = selectors.decision_for_staff(request.user, pk)
    try:
        services.confirm_decision(decision=decision, by=request.user)
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The decision is recorded; its letter is in the outbox."))
    return _back(decision)


@committee_staff_required
@require_POST
def decision_cancel(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    # permission: the staff of the decision's call neither on its application's team nor in
    # conflict with it (decision_for_staff; 404 otherwise)
    decision = selectors.decision_for_staff(request.user, pk)
    form = CancelForm(request.POST)
    try:
        reason = form.cleaned_data["reason"] if form.is_valid() else ""
        services.cancel_decision(decision=decision, by=request.user, reason=reason)
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The proposed decision is cancelled."))
    return _back(decision)


# --- the outbox ---------------------------------------------------------------------------------


@call_staff_required
def outbox(request: AuthenticatedHttpRequest, call: Call) -> HttpResponse:
    # permission: the staff of the call (call_staff_required: 403 for anyone else)
    context = {
        "call": call,
        "letters": list(selectors.outbox(request.user, call)),
        "sent": list(selectors.sent_letters(call)),
    }
    return render(request, "committee/outbox.html", context)


@call_staff_required
@require_POST
def outbox_send(request: AuthenticatedHttpRequest, call: Call) -> HttpResponse:
    # permission: the staff of the call (call_staff_required: 403 for anyone else); the service
    # leaves out the letters of files they are on
    try:
        count = services.approve_letters(call=call, by=request.user)
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            ngettext("%(count)s letter is being sent.", "%(count)s letters are being sent.", count)
            % {"count": count},
        )
    return redirect("committee:outbox", slug=call.slug)


def _letter_page(
    request: AuthenticatedHttpRequest,
    letter: Letter,
    form: FeedbackForm,
    *,
    status: int = 200,
    typed: str = "",
) -> HttpResponse:
    call = letter.decision.application.call
    context = {"letter": letter, "call": call, "form": form, "typed": typed}
    return render(request, "committee/letter_edit.html", context, status=status)


@committee_staff_required
def letter_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    # permission: the staff of the letter's call neither on its application's team nor in
    # conflict with it (letter_for_staff; 404 otherwise); the service refuses a sent letter and
    # a stale edit
    letter = selectors.letter_for_staff(request.user, pk)
    initial = FeedbackForm.initial_of(letter.feedback, letter.version)
    if request.method != "POST":
        return _letter_page(request, letter, FeedbackForm(initial=initial))
    form = FeedbackForm(request.POST)
    if not form.is_valid():
        return _letter_page(request, letter, form)
    try:
        services.edit_feedback(
            letter=letter,
            by=request.user,
            paragraphs=form.paragraphs(),
            expected_version=form.cleaned_data["version"],
        )
    except ServiceError as error:
        # The current text comes back in the form, the typed one below it (to copy from).
        letter = selectors.letter_for_staff(request.user, pk)
        typed = form.cleaned_data["feedback"]
        form = FeedbackForm(FeedbackForm.initial_of(letter.feedback, letter.version))
        form.is_valid()
        form.add_error(None, error.message)
        status = 409 if error.code == "committee.letter.stale" else 200
        return _letter_page(request, letter, form, status=status, typed=typed)
    messages.success(request, _("The letter's feedback is saved."))
    return redirect("committee:outbox", slug=letter.decision.application.call.slug)


@login_required
def letter_pdf_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    # permission: the staff of its call not on its team nor in conflict with it (a preview,
    # letter_for_reader); once sent, the application's lead and accepted team members; 404 for
    # anyone else
    letter = selectors.letter_for_reader(request.user, pk)
    response = HttpResponse(letter_pdf(letter), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{letter_filename(letter)}"'
    return response
