"""Reading the audit log. The log knows objects only by type and id (``calls.application``,
``42``): callers that know what belongs together (a call and its applications) pass the ids."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime

from django.db.models import Q, QuerySet

from .models import AuditEntry


def entries_for_object(*, object_type: str, object_id: str) -> QuerySet[AuditEntry]:
    return AuditEntry.objects.filter(object_type=object_type, object_id=object_id).select_related(
        "actor"
    )


def entries(
    *,
    objects: Mapping[str, QuerySet | Iterable[str] | None],
    hidden: Mapping[str, QuerySet | Iterable[str]] | None = None,
    object_id: str = "",
    actor: str = "",
    action: str = "",
    since: datetime | None = None,
    before: datetime | None = None,
) -> QuerySet[AuditEntry]:
    """The entries about the given objects, newest first, narrowed by plain filters.

    ``objects`` maps an object type (``"calls.application"``) to the ids to read, as text (a
    queryset of one text column works and stays one SQL query), or to ``None`` for every object
    of that type; an empty mapping reads nothing. ``hidden`` maps types to ids left out.
    ``actor`` and ``action`` match part of the recorded actor and action; ``since`` is included,
    ``before`` is not.
    """
    if not objects:
        return AuditEntry.objects.none()
    hidden = hidden or {}
    scope = Q()
    for object_type, ids in objects.items():
        condition = Q(object_type=object_type)
        if ids is not None:
            condition &= Q(object_id__in=ids)
        if object_type in hidden:
            condition &= ~Q(object_id__in=hidden[object_type])
        scope |= condition
    queryset = AuditEntry.objects.filter(scope)
    if object_id:
        queryset = queryset.filter(object_id=object_id)
    if actor:
        queryset = queryset.filter(actor_label__icontains=actor)
    if action:
        queryset = queryset.filter(action__icontains=action)
    if since is not None:
        queryset = queryset.filter(at__gte=since)
    if before is not None:
        queryset = queryset.filter(at__lt=before)
    return queryset.order_by("-at", "-id")
