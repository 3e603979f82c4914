"""Gatekeepers of matchmaking's contacts: one 404 for "missing" and "not yours", so that guessing
ids reveals nothing."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q
from django.http import Http404

from filiere.accounts.permissions import is_signed_in, is_staff

from .models_contacts import Block, Introduction, Report

if TYPE_CHECKING:
    from filiere.accounts.types import AnyUser


def introduction_for_party(user: AnyUser | None, pk: int) -> Introduction:
    """The introduction ``pk`` for the member who asked or was asked; 404 for anyone else (the
    staff included: they read reported requests in the reports queue)."""
    if not is_signed_in(user):
        raise Http404
    introduction = (
        Introduction.objects.select_related("requester", "recipient", "post")
        .filter(Q(requester=user) | Q(recipient=user), pk=pk)
        .first()
    )
    if introduction is None:
        raise Http404
    return introduction


def block_of(user: AnyUser | None, pk: int) -> Block:
    """A block ``user`` made; 404 for any other."""
    if not is_signed_in(user):
        raise Http404
    block = Block.objects.filter(blocker=user, pk=pk).first()
    if block is None:
        raise Http404
    return block


def report_for_moderator(user: AnyUser | None, pk: int) -> Report:
    """A report, for the staff who examine them; 404 for anyone else."""
    if not is_staff(user):
        raise Http404
    report = Report.objects.select_related("reporter", "reported_user").filter(pk=pk).first()
    if report is None:
        raise Http404
    return report
