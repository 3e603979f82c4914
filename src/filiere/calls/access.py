"""The gatekeepers of applications, side by side: each fetches one object for one reader and
answers 404 — the same 404 as for an object that does not exist — to anyone else, so that
guessing ids or references reveals nothing. Pages, the API and downloads all fetch through them;
the rules they apply are the predicates of ``permissions``.

- ``access_application_for_member``: its lead and the team members who accepted their invitation
  (the applying pages and the API's applicant verbs). Staff read applications elsewhere.
- ``access_application_for_team``: the same people, by reference, for the messages thread; never
  prefetches the staff's notes or labels.
- ``access_application_for_staff``: the staff of its call (global, or a staff grant scoped to the
  call) who are not on its team, with everything the instruction pages show.
- ``access_application_by_id``: the API's one door: as staff for those who instruct it, as
  their own for its team.
- ``access_document``: a document, for its team and the staff.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404

from filiere.accounts.permissions import is_signed_in

from .models import Application, Call, Document, TeamMember
from .permissions import can_view_documents, instructable_q, is_call_staff, on_team

if TYPE_CHECKING:
    from filiere.accounts.types import AnyUser

# --- the querysets the gatekeepers rest on ------------------------------------------------------


def applications_of(user: AnyUser) -> QuerySet[Application]:
    """The applications ``user`` leads or joined (invitation accepted)."""
    if not is_signed_in(user):
        return Application.objects.none()
    accepted = TeamMember.objects.filter(
        application=OuterRef("pk"), user=user, accepted_at__isnull=False
    )
    return Application.objects.filter(Q(lead=user) | Q(Exists(accepted)))


def instructable_applications(user: AnyUser) -> QuerySet[Application]:
    """The applications ``user`` instructs: of the calls they are staff of, never one they are on
    (nothing for people without a staff grant)."""
    return Application.objects.filter(instructable_q(user))


# --- the applying side --------------------------------------------------------------------------


def access_application_for_member(user: AnyUser, pk: int) -> Application:
    """The application ``pk`` for its lead or an accepted team member; 404 for anyone else."""
    application = (
        applications_of(user)
        .select_related("call", "organisation__territory", "lead", "genre", "stage", "submission")
        .filter(pk=pk)
        .first()
    )
    if application is None:
        raise Http404
    return application


def access_application_for_team(user: AnyUser, reference: str) -> Application:
    """The application ``reference`` for its lead or an accepted team member (the messages
    thread); 404 for anyone else, staff included: they use the instruction pages."""
    application = applications_of(user).select_related("call").filter(reference=reference).first()
    if application is None:
        raise Http404
    return application


# --- the instruction side -----------------------------------------------------------------------


def access_application_for_staff(user: AnyUser, call: Call, reference: str) -> Application:
    """The application ``reference`` of ``call`` with its team, budget, financing, documents,
    messages, notes and labels, for the staff of the call; 404 when it is missing or the reader
    is not staff of the call.

    A staff member of the call who is on its team (lead, invited or accepted member) gets 403:
    the file is no secret to them, but nobody instructs their own file."""
    # Asked first, so that a reader who is not staff of the call costs no prefetching.
    if not is_call_staff(user, call.pk):
        raise Http404
    application = (
        Application.objects.select_related(
            "call", "organisation__territory", "lead", "genre", "stage", "submission"
        )
        .prefetch_related(
            Prefetch("team", queryset=TeamMember.objects.select_related("organisation", "user")),
            "budget_lines",
            "financing",
            Prefetch("documents", queryset=Document.objects.select_related("document_type")),
            "messages__author",
            "staff_notes__author",
            "labels",
            "correction_requests",
        )
        .filter(call=call, reference=reference)
        .first()
    )
    if application is None:
        raise Http404
    if on_team(user, application):
        raise PermissionDenied
    return application


# --- both sides ---------------------------------------------------------------------------------


def access_application_by_id(user: AnyUser, pk: int) -> tuple[Application, bool]:
    """(application, as staff): the staff who instruct it read it as staff; its lead and accepted
    team members as their own (:func:`access_application_for_member`); 404 for anyone else."""
    application = (
        instructable_applications(user)
        .select_related("call", "organisation__territory", "genre", "stage", "lead")
        .filter(pk=pk)
        .first()
    )
    if application is not None:
        return application, True
    return access_application_for_member(user, pk), False


def access_document(user: AnyUser, pk: int) -> Document:
    """The document ``pk`` for the team of its application (lead, accepted members) and the
    staff (:func:`~filiere.calls.permissions.can_view_documents`); 404 for anyone else."""
    document = (
        Document.objects.select_related("application__call", "document_type").filter(pk=pk).first()
    )
    if document is None or not can_view_documents(user, document.application):
        raise Http404
    return document
