"""Pages of the committee's sessions: "My sessions" (the committee's landing page), a new
session, and a session's page (its members and its agenda; the staff manage both there).

Thin adapters: a permission check (``permissions``, ``access``), a form, one service or selector.
A global committee role alone opens no session: every session page answers 404 to it.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from filiere.accounts.types import AuthenticatedHttpRequest
from filiere.calls.models import Call
from filiere.calls.permissions import staff_call_ids
from filiere.errors import ServiceError

from . import selectors_agenda as selectors
from . import services_sessions as services
from .access import session_for_reader, session_for_staff
from .forms_sessions import AgendaAddForm, MemberForm, ReasonForm, SessionForm
from .models import AgendaItem, Session, SessionMember, SessionStatus
from .permissions import committee_required, committee_staff_required, runs_committee


@committee_required
def my_sessions(request: AuthenticatedHttpRequest) -> HttpResponse:
    # permission: committee members (their active memberships only) and the staff of calls (the
    # sessions of the calls they instruct); 403 for everyone else; a global committee role
    # alone lists none
    rows = selectors.sessions_for(request.user)
    can_create = staff_call_ids(request.user) != frozenset()
    return render(request, "committee/my_sessions.html", {"rows": rows, "can_create": can_create})


def _instructed_calls(request: AuthenticatedHttpRequest) -> Any:
    calls = staff_call_ids(request.user)
    found = Call.objects.all() if calls is None else Call.objects.filter(pk__in=sorted(calls))
    return found.select_related("fund").order_by("-opens_at", "pk")


@committee_staff_required
def session_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    # permission: the staff of a call (global or call-scoped grant; 403 for everyone else),
    # choosing among the calls they instruct; the service checks the call again; audited
    calls = _instructed_calls(request)
    form = SessionForm(request.POST or None, calls=calls)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            session = services.create_session(
                call=data["call"],
                title=data["title"],
                meets_at=data["meets_at"],
                place=data["place"],
                quorum=data["quorum"],
                second_signature=data["second_signature"],
                by=request.user,
            )
        except ServiceError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("The session has been created."))
            return redirect("committee:session", pk=session.pk)
    return render(request, "committee/session_form.html", {"form": form})


def _session_page(
    request: AuthenticatedHttpRequest,
    session: Session,
    member: SessionMember | None,
    *,
    member_form: MemberForm | None = None,
    agenda_form: AgendaAddForm | None = None,
    status: int = 200,
) -> HttpResponse:
    runs = runs_committee(request.user, session)
    context: dict[str, Any] = {
        "session": session,
        "membership": member,
        "runs": runs,
        "members": selectors.members_of(session),
        "rows": selectors.agenda_rows(request.user, session),
        "editable": runs and session.status != SessionStatus.CLOSED,
        "current": "session",
    }
    if context["editable"]:
        eligible = selectors.eligible_applications(request.user, session)
        context["member_form"] = member_form or MemberForm()
        context["agenda_form"] = agenda_form or AgendaAddForm(eligible=eligible)
        context["reason_form"] = ReasonForm()
    return render(request, "committee/session.html", context, status=status)


@committee_required
def session_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    # permission: an active member of the session or the staff of its call (session_for_reader);
    # 404 for everyone else, a global committee role included; the forms are the staff's
    session, member = session_for_reader(request.user, pk)
    return _session_page(request, session, member)


def _done(request: AuthenticatedHttpRequest, session: Session, text: str) -> HttpResponse:
    messages.success(request, text)
    return redirect("committee:session", pk=session.pk)


def _refused(
    request: AuthenticatedHttpRequest, session: Session, error: ServiceError
) -> HttpResponse:
    messages.error(request, error.message)
    return redirect("committee:session", pk=session.pk)


@committee_staff_required
@require_POST
def member_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    # permission: the staff of the session's call (session_for_staff: 404 for anyone else);
    # an existing account by e-mail; audited
    session = session_for_staff(request.user, pk)
    form = MemberForm(request.POST)
    if not form.is_valid():
        return _session_page(request, session, None, member_form=form)
    try:
        services.add_member(
            session=session,
            user=form.cleaned_data["email"],
            chairs=form.cleaned_data["chairs"],
            by=request.user,
        )
    except ServiceError as error:
        form.add_error("email", error.message)
        return _session_page(request, session, None, member_form=form)
    return _done(request, session, _("The member has been added."))


@committee_staff_required
@require_POST
def member_remove(request: AuthenticatedHttpRequest, pk: int, member: int) -> HttpResponse:
    # permission: the staff of the session's call (session_for_staff; a member of another
    # session is a 404); a reason is required; audited
    session = session_for_staff(request.user, pk)
    found = SessionMember.objects.filter(
        session=session, pk=member, removed_at__isnull=True
    ).first()
    if found is None:
        raise Http404
    form = ReasonForm(request.POST)
    form.is_valid()
    try:
        services.remove_member(
            member=found, by=request.user, reason=form.cleaned_data.get("reason", "")
        )
    except ServiceError as error:
        return _refused(request, session, error)
    return _done(request, session, _("The member has been removed."))


@committee_staff_required
@require_POST
def agenda_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    # permission: the staff of the session's call (session_for_staff); applications of its call
    # only, through the calls' one door; audited
    session = session_for_staff(request.user, pk)
    eligible = selectors.eligible_applications(request.user, session)
    form = AgendaAddForm(request.POST, eligible=eligible)
    if not form.is_valid():
        return _session_page(request, session, None, agenda_form=form)
    try:
        services.add_to_agenda(
            session=session, applications=form.cleaned_data["applications"], by=request.user
        )
    except ServiceError as error:
        form.add_error("applications", error.message)
        return _session_page(request, session, None, agenda_form=form)
    return _done(request, session, _("The agenda has been updated."))


@committee_staff_required
@require_POST
def agenda_remove(request: AuthenticatedHttpRequest, pk: int, item: int) -> HttpResponse:
    # permission: the staff of the session's call (session_for_staff); an item of this session
    # only (404 otherwise); refused once votes are recorded; audited
    session = session_for_staff(request.user, pk)
    found = AgendaItem.objects.filter(session=session, pk=item).select_related("session").first()
    if found is None:
        raise Http404
    try:
        services.remove_from_agenda(item=found, by=request.user)
    except ServiceError as error:
        return _refused(request, session, error)
    return _done(request, session, _("The application has been taken off the agenda."))


@committee_staff_required
@require_POST
def agenda_order(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    # permission: the staff of the session's call (session_for_staff); audited
    session = session_for_staff(request.user, pk)
    try:
        services.order_by_ranking(session=session, by=request.user)
    except ServiceError as error:
        return _refused(request, session, error)
    return _done(request, session, _("The agenda follows the ranking by calibrated score."))


@committee_staff_required
@require_POST
def session_open(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    # permission: the staff of the session's call (session_for_staff); audited
    session = session_for_staff(request.user, pk)
    try:
        services.open_session(session=session, by=request.user)
    except ServiceError as error:
        return _refused(request, session, error)
    return _done(request, session, _("The session is open: its members may vote."))


@committee_staff_required
@require_POST
def session_close(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    # permission: the staff of the session's call (session_for_staff); audited
    session = session_for_staff(request.user, pk)
    try:
        services.close_session(session=session, by=request.user)
    except ServiceError as error:
        return _refused(request, session, error)
    return _done(request, session, _("The session is closed."))
