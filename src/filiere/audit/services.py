from typing import Any

from django.db import models

from .context import current_origin, current_request_id
from .models import AuditEntry


def record(
    *,
    actor: Any,
    action: str,
    obj: models.Model | None = None,
    reason: str = "",
    data: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append one entry to the audit log. Call it inside the service's transaction."""
    authenticated = actor is not None and getattr(actor, "is_authenticated", False)
    return AuditEntry.objects.create(
        actor=actor if authenticated else None,
        actor_label=(getattr(actor, "email", "") or str(actor)) if authenticated else "system",
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=str(obj)[:200] if obj is not None else "",
        ip_address=current_origin.get().ip_address,
        request_id=current_request_id.get(),
        reason=reason,
        data=data or {},
    )
