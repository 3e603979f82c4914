"""Pages of a session's agenda: the ranked table (raw mean, calibrated score with its interval,
spread, votes, quorum) and one item (its reviews, the notes, the vote).

Thin adapters: a gatekeeper (``access``), a form, one service or selector. An item whose
application the reader is on, or is in conflict with as an expert, is a 404 for them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.http import HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import get_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from filiere.accounts.types import AuthenticatedHttpRequest
from filiere.calls.models import State as AppState
from filiere.calls.phrases import format_money
from filiere.errors import ServiceError
from filiere.ui.pagination import page_nav

from . import selectors_agenda as selectors
from . import services_sessions as services
from .access import item_for_reader, session_for_reader
from .forms_sessions import NotesForm, VoteForm
from .models import AgendaItem, Session, SessionMember, SessionStatus, VoteChoice
from .permissions import committee_required, runs_committee


@dataclass(frozen=True)
class AgendaLine:
    """An agenda row as the table shows it, in words made here once per row (the same lookups,
    filters and translations in the template cost several times more than the rest)."""

    number: str
    url: str
    heading: str  # "reference — title"
    state: str
    organisation: str
    genre: str
    requested: str
    #: Raw mean, "calibrated [low–high]", spread, reviews; empty without a submitted review.
    scores: tuple[str, ...]
    votes: list[str]  # "label: count", the choices with a vote
    quorum: str
    my_vote: str


def agenda_lines(session: Session, agenda: selectors.AgendaPage) -> list[AgendaLine]:
    labels = {value: str(label) for value, label in VoteChoice.choices}
    states = {value: str(label) for value, label in AppState.choices}
    # As ``floatformat:1``: one decimal, the language's separator, no grouping (0 to 100).
    separator = get_format("DECIMAL_SEPARATOR")

    def one_decimal(value: float) -> str:
        return f"{value:.1f}".replace(".", separator)

    # One address reversed, the item's pk put in its place for each row.
    head, _sep, tail = reverse("committee:item", args=[session.pk, 0]).rpartition("/0/")
    lines = []
    for number, row in enumerate(agenda.rows, start=agenda.page.start_index()):
        application, score = row.application, row.score
        if row.quorum_reached:
            quorum = _("Reached (%(cast)s)") % {"cast": row.votes_cast}
        else:
            quorum = _("%(cast)s of %(quorum)s") % {"cast": row.votes_cast, "quorum": row.quorum}
        scores: tuple[str, ...] = ()
        if score is not None:
            scores = (
                one_decimal(score.raw_mean),
                f"{one_decimal(score.calibrated)} [{one_decimal(score.low)}"
                f"–{one_decimal(score.high)}]",
                one_decimal(score.spread),
                str(score.reviews),
            )
        lines.append(
            AgendaLine(
                number=str(number),
                url=f"{head}/{row.item.pk}/{tail}",
                heading=f"{application.reference} — {application.title}",
                state=states.get(application.state, application.state),
                organisation=str(application.organisation),
                genre=str(application.genre) if application.genre_id else "—",
                requested=format_money(application.requested_amount),
                scores=scores,
                votes=[
                    f"{labels[value]}: {row.votes[value]}" for value in labels if row.votes[value]
                ],
                quorum=quorum,
                my_vote=labels.get(row.my_vote or "", "—"),
            )
        )
    return lines


@committee_required
def agenda(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    # permission: an active member of the session or the staff of its call (session_for_reader;
    # 404 for everyone else, a global committee role included); only the items the reader may
    # read (not on the application's team, not in conflict with it)
    session, member = session_for_reader(request.user, pk)
    found = selectors.agenda_page(request.user, session, request.GET.get("page"))
    context = {
        "session": session,
        "membership": member,
        "runs": runs_committee(request.user, session),
        "page": found.page,
        "pages": page_nav(QueryDict(), "page", found.page, _("Pages of the agenda")),
        "lines": agenda_lines(session, found),
        "requested": found.requested,
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
