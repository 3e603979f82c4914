"""Gatekeepers: one 404 for a refresh that does not exist or that the caller may not follow."""

from __future__ import annotations

from django.http import Http404

from filiere.accounts.types import AnyUser

from .models import Snapshot
from .permissions import manages_observatory


def snapshot_for_staff(user: AnyUser, pk: int) -> Snapshot:
    snapshot = Snapshot.objects.defer("figures").filter(pk=pk).first()
    if snapshot is None or not manages_observatory(user):
        raise Http404
    return snapshot
