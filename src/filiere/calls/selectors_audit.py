"""The audit log of calls, as the staff read it (``views/audit.py``).

Who reads which entries:

- global staff and administrators: every call, its applications and what hangs off them
  (documents, messages…), and the funds;
- a staff grant scoped to a call (``RoleGrant(role=staff, scope_type="call")``): that call only;
- nobody reads, through this page, the entries of an application they lead or are on the team
  of (invited or accepted): the staff's side of their own file stays closed to them whatever
  their grants (the rule of ``docs/calls/instructing.md``, "Nobody instructs a file they are on").

The audit app knows objects by type and id only; this module says which ids belong to a call.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from django.apps import apps
from django.db.models import CharField, Model, QuerySet
from django.db.models.functions import Cast

from filiere.accounts.permissions import is_staff
from filiere.audit import selectors as audit_selectors
from filiere.audit.models import AuditEntry

from .models import Application, Call, Fund
from .permissions import instructs_some_call, not_on_team_q, staff_call_ids

if TYPE_CHECKING:
    from filiere.accounts.models import User


def audited_calls(user: User) -> QuerySet[Call]:
    """The calls whose entries ``user`` reads: those they instruct (``staff_call_ids``)."""
    calls = staff_call_ids(user)
    return Call.objects.all() if calls is None else Call.objects.filter(pk__in=calls)


def _as_text(queryset: QuerySet) -> QuerySet:
    """One column of primary keys written as text, like ``AuditEntry.object_id``."""
    return queryset.annotate(key=Cast("pk", CharField())).values("key")


def _label(model: type[Model]) -> str:
    return model._meta.label_lower


def _related_to(model: type[Model], field_name: str, target: type[Model]) -> bool:
    try:
        field = model._meta.get_field(field_name)
    except Exception:  # FieldDoesNotExist: most models have neither field
        return False
    return bool(field.many_to_one or field.one_to_one) and field.related_model is target


def object_types() -> dict[str, type[Model]]:
    """Every calls model whose entries belong to one call: the call, the application, and the
    models that point at either (documents, messages, correction requests…), found from the
    models themselves so that a newly audited model shows up without editing this list."""
    found: dict[str, type[Model]] = {_label(Call): Call, _label(Application): Application}
    for model in apps.get_app_config("calls").get_models():
        if _related_to(model, "application", Application) or _related_to(model, "call", Call):
            found[_label(model)] = model
    return found


def _of_application(model: type[Model]) -> bool:
    return model is Application or _related_to(model, "application", Application)


def _ids(model: type[Model], *, calls: QuerySet[Call] | None, applications: QuerySet) -> QuerySet:
    """The ids (as text) of ``model``'s rows under ``applications`` / ``calls``."""
    if model is Call:
        return _as_text(calls if calls is not None else Call.objects.all())
    if model is Application:
        return _as_text(applications)
    if _related_to(model, "application", Application):
        return _as_text(model._default_manager.filter(application__in=applications))
    return _as_text(
        model._default_manager.filter(call__in=calls)
        if calls is not None
        else model._default_manager.all()
    )


@dataclass(frozen=True)
class AuditFilters:
    """The page's filters, all optional; ``application`` is a reference (``EI2009-0042``)."""

    call: Call | None = None
    application: str = ""
    object_type: str = ""
    object_id: str = ""
    actor: str = ""
    action: str = ""
    since: datetime | None = None
    before: datetime | None = None


def audit_entries(user: User, filters: AuditFilters | None = None) -> QuerySet[AuditEntry]:
    """The entries ``user`` may read (see the module's docstring), narrowed by ``filters``.

    One SQL query however many calls and types: the ids are subqueries.
    """
    filters = filters or AuditFilters()
    if not instructs_some_call(user):
        return AuditEntry.objects.none()
    calls: QuerySet[Call] | None = None if is_staff(user) else audited_calls(user)
    if filters.call is not None:
        calls = (calls if calls is not None else Call.objects.all()).filter(pk=filters.call.pk)
    applications = Application.objects.all()
    if calls is not None:
        applications = applications.filter(call__in=calls)
    if filters.application:
        applications = applications.filter(reference=filters.application.strip())
    types = object_types()
    # Funds hold every call: only the global staff read them, and not when narrowed to a call.
    with_funds = is_staff(user) and filters.call is None and not filters.application
    if filters.application:
        types = {label: model for label, model in types.items() if _of_application(model)}
    if filters.object_type:
        types = {label: model for label, model in types.items() if label == filters.object_type}
        with_funds = with_funds and filters.object_type == _label(Fund)
    objects: dict[str, QuerySet | None] = {
        label: _ids(model, calls=calls, applications=applications) for label, model in types.items()
    }
    if with_funds:
        objects[_label(Fund)] = None
    own = Application.objects.exclude(not_on_team_q(user))
    hidden = {
        label: _ids(model, calls=None, applications=own)
        for label, model in types.items()
        if _of_application(model)
    }
    return audit_selectors.entries(
        objects=objects,
        hidden=hidden,
        object_id=filters.object_id.strip(),
        actor=filters.actor.strip(),
        action=filters.action.strip(),
        since=filters.since,
        before=filters.before,
    )


def applications_by_id(entries: list[AuditEntry]) -> dict[str, Application]:
    """The applications named by ``entries`` (to link to their pages), in one query."""
    ids = [
        int(e.object_id)
        for e in entries
        if e.object_type == _label(Application) and e.object_id.isdigit()
    ]
    if not ids:
        return {}
    return {str(a.pk): a for a in Application.objects.filter(pk__in=ids).select_related("call")}
