"""Pages of a session's agenda: the ranked table (raw mean, calibrated score with its interval,
spread, votes, quorum) and one item (its reviews, the notes, the vote).

Thin adapters: a gatekeeper (``access``), a form, one service or selector. An item whose
application the reader is on, or is in conflict with as an expert, is a 404 for them.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from filiere.accounts.types import AuthenticatedHttpRequest
from filiere.errors import ServiceError

from . import selectors_agenda as selectors
from . import services_sessions as services
from .access import item_for_reader, session_for_reader
from .forms_sessions import NotesForm, VoteForm
from .models import AgendaItem, Session, SessionMember, SessionStatus
from .permissions import committee_required, runs_committee


@committee_required
def agenda(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    # permission: an active member of the session or the staff of its call (session_for_reader;
    # 404 for everyone else, a global committee role included); only the items the reader may
    # read (not on the application's team, not in conflict with it)
    session, member = session_for_reader(request.user, pk)
    rows = selectors.agenda_rows(request.user, session)
    context = {
        "session": session,
        "membership": member,
        "runs": runs_committee(request.user, session),
        "rows": rows,
        "requested": selectors.requested_total(rows),
        "current": "agenda",
    }
    return render(request, "committee/agenda.html", context)


def _item_page(
    request: AuthenticatedHttpRequest,
    session: Session,
    member: SessionMember | None,
    item: AgendaItem,
    *,
    notes_form: NotesForm | None = None,
    vote_form: VoteForm | None = None,
    stale: services.StaleNotes | None = None,
    status: int = 200,
) -> HttpResponse:
    detail = selectors.item_detail(request.user, session, item)
    keeps_notes = services.keeps_notes(request.user, item)
    votes = member is not None and session.status == SessionStatus.OPEN
    context: dict[str, Any] = {
        "session": session,
        "membership": member,
        "runs": runs_committee(request.user, session),
        "item": item,
        "detail": detail,
        "stale": stale,
        "current": "item",
    }
    if keeps_notes and session.status != SessionStatus.CLOSED:
        context["notes_form"] = notes_form or NotesForm(
            initial={"notes": item.notes, "version": item.notes_version}
        )
    if votes:
        context["vote_form"] = vote_form or VoteForm(initial={"choice": detail.row.my_vote})
    return render(request, "committee/item.html", context, status=status)


@committee_required
def item(request: AuthenticatedHttpRequest, pk: int, item: int) -> HttpResponse:
    # permission: an active member of the session or the staff of its call (session_for_reader),
    # and an item they may read (item_for_reader: 404 on their own team's application or one
    # they are in conflict with); reviews named for the staff, "Reviewer A" for members
    session, member = session_for_reader(request.user, pk)
    found = item_for_reader(request.user, session, item)
    return _item_page(request, session, member, found)


@committee_required
@require_POST
def item_vote(request: AuthenticatedHttpRequest, pk: int, item: int) -> HttpResponse:
    # permission: as the item page (404 for anyone else); the service records the votes of
    # active members only (403 message for the staff), while the session is open; audited
    session, member = session_for_reader(request.user, pk)
    found = item_for_reader(request.user, session, item)
    form = VoteForm(request.POST)
    if not form.is_valid():
        return _item_page(request, session, member, found, vote_form=form)
    try:
        services.record_vote(item=found, by=request.user, choice=form.cleaned_data["choice"])
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Your vote has been recorded."))
    return redirect("committee:item", pk=session.pk, item=found.pk)


@committee_required
@require_POST
def item_notes(request: AuthenticatedHttpRequest, pk: int, item: int) -> HttpResponse:
    # permission: as the item page (404 for anyone else); the chair of the session or the staff
    # of its call keep the notes (the service refuses the others); a stale version is refused
    # with both texts shown (409), nothing lost; audited
    session, member = session_for_reader(request.user, pk)
    found = item_for_reader(request.user, session, item)
    form = NotesForm(request.POST)
    if not form.is_valid():
        return _item_page(request, session, member, found, notes_form=form)
    try:
        services.save_notes(
            item=found,
            notes=form.cleaned_data["notes"],
            version=form.cleaned_data["version"],
            by=request.user,
        )
    except services.StaleNotes as error:
        # Their text stays in the form, now based on the saved version: once they have merged
        # what they see above, saving again writes it.
        data = request.POST.copy()
        data["version"] = str(error.current_version)
        form = NotesForm(data)
        form.is_valid()
        form.add_error(None, error.message)
        return _item_page(request, session, member, found, notes_form=form, stale=error, status=409)
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The notes have been saved."))
    return redirect("committee:item", pk=session.pk, item=found.pk)
