"""The kinds of object a role can be scoped to (a fund, a call...), as a small registry.

accounts sits below the apps that own those objects, so it never imports them: each app
registers its own scope types from its ``AppConfig.ready()``::

    from filiere.accounts import scopes
    scopes.register("call", label=_("Call for projects"), model="calls.Call")

The administrators' roles page offers every registered type; a grant whose type is not
registered (e.g. an applicant grant for an organisation, made by the demo) is still listed
and can be revoked, it just cannot be created from that page.
"""

from dataclasses import dataclass

from django.apps import apps
from django.db import models
from django.utils.functional import Promise


@dataclass(frozen=True)
class ScopeType:
    code: str  # stored in RoleGrant.scope_type
    label: str | Promise
    model: str  # "app_label.ModelName"

    def model_class(self) -> type[models.Model]:
        return apps.get_model(self.model)

    def objects(self) -> models.QuerySet:
        return self.model_class()._default_manager.all()


_TYPES: dict[str, ScopeType] = {}


def register(code: str, *, label: str | Promise, model: str) -> None:
    """Declare a scope type; registering the same code twice with another model is an error."""
    existing = _TYPES.get(code)
    if existing is not None and existing.model != model:
        raise ValueError(f"Scope type {code!r} is already registered for {existing.model}.")
    _TYPES[code] = ScopeType(code=code, label=label, model=model)


def registered() -> list[ScopeType]:
    return list(_TYPES.values())


def get(code: str) -> ScopeType | None:
    return _TYPES.get(code)


def resolve(scope_type: str, scope_id: int) -> models.Model | None:
    """The object a grant is scoped to, or None (global grant, unknown type, deleted object)."""
    kind = _TYPES.get(scope_type)
    if kind is None or not scope_id:
        return None
    return kind.objects().filter(pk=scope_id).first()


def describe(scope_type: str, scope_id: int, obj: models.Model | None = None) -> str:
    """A short text for people: "Call for projects: Web series 2025", or "organisation 12"."""
    if not scope_type:
        return ""
    kind = _TYPES.get(scope_type)
    if obj is None:
        obj = resolve(scope_type, scope_id)
    if kind is None or obj is None:
        return f"{scope_type} {scope_id}"
    return f"{kind.label}: {obj}"


def describe_many(pairs: list[tuple[str, int]]) -> dict[tuple[str, int], str]:
    """`describe` for many (scope_type, scope_id) at once: one query per scope type, for lists."""
    wanted: dict[str, set[int]] = {}
    for scope_type, scope_id in pairs:
        if scope_type in _TYPES and scope_id:
            wanted.setdefault(scope_type, set()).add(scope_id)
    found: dict[tuple[str, int], models.Model] = {}
    for scope_type, ids in wanted.items():
        for obj in _TYPES[scope_type].objects().filter(pk__in=ids):
            found[(scope_type, obj.pk)] = obj
    texts: dict[tuple[str, int], str] = {}
    for scope_type, scope_id in pairs:
        obj = found.get((scope_type, scope_id))
        if not scope_type:
            texts[(scope_type, scope_id)] = ""
        elif obj is None:
            texts[(scope_type, scope_id)] = f"{scope_type} {scope_id}"
        else:
            texts[(scope_type, scope_id)] = describe(scope_type, scope_id, obj)
    return texts
