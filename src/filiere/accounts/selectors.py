"""Reads about accounts, for display."""

from collections.abc import Iterable
from typing import Any

from django.db.models import OuterRef, Q, QuerySet, Subquery

from . import scopes
from .models import Consent, RoleGrant


def active_grants(*, person: str = "", role: str = "") -> QuerySet[RoleGrant]:
    """Current role grants, filtered by a piece of the person's name or e-mail and by role."""
    grants = RoleGrant.objects.filter(revoked_at__isnull=True).select_related("user", "granted_by")
    if person:
        for word in person.split():
            grants = grants.filter(
                Q(user__email__icontains=word)
                | Q(user__first_name__icontains=word)
                | Q(user__last_name__icontains=word)
            )
    if role:
        grants = grants.filter(role=role)
    return grants.order_by("user__email", "role", "scope_type", "scope_id")


def with_scope_labels(grants: Iterable[RoleGrant]) -> list[RoleGrant]:
    """The grants, each with `scope_label` ("Call for projects: …"), one query per scope type."""
    grants = list(grants)
    labels = scopes.describe_many([(g.scope_type, g.scope_id) for g in grants])
    for grant in grants:
        grant.scope_label = labels[(grant.scope_type, grant.scope_id)]
    return grants


def has_consent(user_id: int, purpose: str) -> bool:
    """Whether the user's latest word on ``purpose`` is yes (no record: no)."""
    latest = (
        Consent.objects.filter(user_id=user_id, purpose=purpose)
        .order_by("-recorded_at", "-id")
        .values_list("granted", flat=True)
        .first()
    )
    return bool(latest)


def consenting_users(purpose: str) -> QuerySet[Consent, Any]:
    """The user ids whose latest word on ``purpose`` is yes, as a one-column queryset."""
    latest = Consent.objects.filter(user_id=OuterRef("user_id"), purpose=purpose).order_by(
        "-recorded_at", "-id"
    )
    return (
        Consent.objects.filter(purpose=purpose, granted=True)
        .filter(pk=Subquery(latest.values("pk")[:1]))
        .values("user_id")
    )
