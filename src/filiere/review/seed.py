"""Fills a fund's pool of experts for the demo (``filiere.demo`` calls it): active experts with
their expertise, past works, availability for the given calls and a few declared conflicts.

It writes as the platform (``by=None``): no staff invites anyone, nobody is e-mailed. Running it
again updates the same rows. The accounts (with their second factor) are the caller's.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from filiere.accounts.models import Role, User
from filiere.accounts.services import grant_role
from filiere.calls.models import Call, Fund
from filiere.community.models import Organisation, Profession
from filiere.community.services import skills_from_names

from .models import (
    Availability,
    Declaration,
    DeclarationSource,
    Expert,
    ExpertiseProfile,
    ExpertStatus,
    PastWork,
)


@dataclass(frozen=True)
class PoolSeed:
    """One expert of the demo pool. ``max_load=None``: not available for the calls."""

    user: User
    professions: Sequence[str] = ()  # Profession slugs
    skills: Sequence[str] = ()
    keywords: Sequence[str] = ()
    languages: Sequence[str] = ("fr",)
    about: str = ""
    works: Sequence[tuple[str, int, str]] = ()  # (title, year, description)
    max_load: int | None = 10
    #: (organisation, engine ConflictKind value, reason) declared by the expert.
    conflicts: Sequence[tuple[Organisation, str, str]] = field(default_factory=tuple)


@transaction.atomic
def seed_pool(*, fund: Fund, seeds: Sequence[PoolSeed], calls: Sequence[Call]) -> list[Expert]:
    experts = []
    for seed in seeds:
        user = seed.user
        grant_role(user=user, role=Role.EXPERT, scope=fund, by=None, reason="demo pool")
        expert, _created = Expert.objects.update_or_create(
            fund=fund,
            email=user.email,
            defaults={
                "user": user,
                "status": ExpertStatus.ACTIVE,
                "joined_at": timezone.now(),
                "left_at": None,
            },
        )
        profile, _created = ExpertiseProfile.objects.update_or_create(
            user=user,
            defaults={
                "keywords": list(seed.keywords),
                "languages": list(seed.languages),
                "about": seed.about,
            },
        )
        profile.professions.set(Profession.objects.filter(slug__in=seed.professions))
        profile.skills.set(skills_from_names(seed.skills))
        profile.past_works.all().delete()
        PastWork.objects.bulk_create(
            PastWork(profile=profile, title=title, year=year, description=description)
            for title, year, description in seed.works
        )
        for call in calls:
            Availability.objects.update_or_create(
                expert=expert,
                call=call,
                defaults={"available": seed.max_load is not None, "max_load": seed.max_load},
            )
        Declaration.objects.filter(source=DeclarationSource.EXPERT, expert_user=user).delete()
        Declaration.objects.bulk_create(
            Declaration(
                source=DeclarationSource.EXPERT,
                kind=kind,
                reason=reason,
                expert_user=user,
                organisation=organisation,
                declared_by=user,
            )
            for organisation, kind, reason in seed.conflicts
        )
        experts.append(expert)
    return experts
