"""Which saved or deleted rows change which public pages (the families of ``page_cache``).

Connected to every model's ``post_save``, ``post_delete`` and ``m2m_changed``, a row of a model
named here bumps its families (once per transaction, again after the commit). Models are named
by label, so that ``ui`` imports no app. A family's pages are re-rendered at most once per
change; a model left out would leave its pages stale until they expire: when a public page
starts to show a new model, name it here (tests/page_cache checks the main ones).

A write that sends no signal (``QuerySet.update()``, raw SQL) calls ``page_cache.changed``
itself, e.g. the observatory's publication.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Model
from django.db.models.signals import m2m_changed, post_delete, post_save

from .page_cache import changed

# Every model of these apps belongs to these families.
APP_FAMILIES: dict[str, tuple[str, ...]] = {
    "community": ("directory",),
    "observatory": ("observatory",),
    "awards": ("opendata",),
    "showcase": ("showcase",),
}
# And these models, to these ones (the calls' design, what the open data publishes).
MODEL_FAMILIES: dict[str, tuple[str, ...]] = {
    "calls.Genre": ("calls",),
    "calls.Stage": ("calls",),
    "calls.DocumentType": ("calls",),
    "calls.Fund": ("calls", "opendata"),
    "calls.Call": ("calls", "opendata"),
    "calls.CoFunder": ("calls",),
    "calls.Criterion": ("calls",),
    "calls.DocumentRequirement": ("calls",),
    "calls.Question": ("calls",),
    # The labels of the calls' eligibility rules; the published awards' beneficiaries.
    "community.Territory": ("calls",),
    "community.Organisation": ("opendata",),
    "calls.Application": ("opendata",),
    "committee.Decision": ("opendata",),
}


def families_of(model: type[Model] | None) -> frozenset[str]:
    # Migrations' historical models (module "__fake__") run before the cache table exists.
    if model is None or model.__module__ == "__fake__":
        return frozenset()
    meta = model._meta
    return frozenset(APP_FAMILIES.get(meta.app_label, ())) | frozenset(
        MODEL_FAMILIES.get(meta.label, ())
    )


def _row_changed(sender: type[Model], *, using: str, raw: bool = False, **_: Any) -> None:
    families = families_of(sender)
    if families and not raw:  # raw: fixtures being loaded, no page shown yet
        changed(*families, using=using)


def _relation_changed(
    sender: type[Model], *, instance: Model, model: type[Model], action: str, using: str, **_: Any
) -> None:
    if not action.startswith("post_"):
        return
    families = families_of(type(instance)) | families_of(model) | families_of(sender)
    if families:
        changed(*families, using=using)


def connect() -> None:
    uid = "filiere.ui.page_invalidation"
    post_save.connect(_row_changed, dispatch_uid=f"{uid}.save")
    post_delete.connect(_row_changed, dispatch_uid=f"{uid}.delete")
    m2m_changed.connect(_relation_changed, dispatch_uid=f"{uid}.m2m")
