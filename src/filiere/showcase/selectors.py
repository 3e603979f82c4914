"""What the showcase reads: the gallery's search and filters, the facts of a project that come
from the platform's records (never typed by the team), and the staff's moderation list."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db.models import Case, Prefetch, Q, QuerySet, When
from django.db.models.functions import ExtractYear
from django.utils import timezone

from filiere.awards.models import AgreementStatus
from filiere.calls.models import Application, Call, Genre, ScanStatus, TeamMember
from filiere.calls.permissions import instructable_q
from filiere.community.models import Organisation, Territory

from .access import published_entries
from .models import Entry, EntryStatus, Image

if TYPE_CHECKING:
    from filiere.accounts.types import AnyUser

#: The words of a search, at most this many (the rest is ignored).
MAX_TERMS = 8


@dataclass(frozen=True)
class Facts:
    """What the platform knows of a funded project (the team types none of it)."""

    fund: str
    call: str
    genre: str
    year: int
    territory: str
    amount: Decimal
    completed: bool


def facts(application: Application) -> Facts:
    """Read from an application fetched with its call, fund, genre, organisation's territory and
    agreement (the gatekeepers' ``select_related``): no query."""
    organisation = application.organisation
    territory = organisation.territory if organisation is not None else None
    agreement = application.agreement
    return Facts(
        fund=application.call.fund.name,
        call=application.call.title,
        genre=application.genre.label if application.genre else "",
        # The local year, as the filters' ExtractYear reads it in the current time zone.
        year=timezone.localtime(application.call.closes_at).year,
        territory=territory.label if territory else "",
        amount=agreement.amount,
        completed=agreement.status == AgreementStatus.CLOSED,
    )


def team_organisations(application: Application) -> list[str]:
    """The applicant organisation, then the accepted partners' organisations (one query);
    never a private person."""
    names: list[str] = [application.organisation.name] if application.organisation else []
    partners = (
        Organisation.objects.filter(
            pk__in=TeamMember.objects.filter(
                application=application, accepted_at__isnull=False, organisation__isnull=False
            ).values("organisation")
        )
        .exclude(pk=application.organisation_id)
        .order_by("name")
        .values_list("name", flat=True)
    )
    return names + list(partners)


def _public_images() -> Prefetch[str, QuerySet[Image], str]:
    return Prefetch(
        "images",
        queryset=Image.objects.filter(in_published=True, scan_status=ScanStatus.CLEAN),
        to_attr="public_images",
    )


def gallery(
    *,
    words: str = "",
    genres: Sequence[str] = (),
    years: Sequence[int] = (),
    territories: Sequence[str] = (),
) -> QuerySet[Entry]:
    """The published entries matching every word (title, summary, organisation) and any of the
    values of each filter, newest first; each with its public images (one more query)."""
    rows = published_entries()
    for term in words.split()[:MAX_TERMS]:
        rows = rows.filter(
            Q(published_title__icontains=term)
            | Q(published_summary__icontains=term)
            | Q(application__organisation__name__icontains=term)
        )
    if genres:
        rows = rows.filter(application__genre__code__in=list(genres))
    if years:
        rows = rows.annotate(year=ExtractYear("application__call__closes_at")).filter(
            year__in=list(years)
        )
    if territories:
        rows = rows.filter(application__organisation__territory__code__in=list(territories))
    return rows.prefetch_related(_public_images()).order_by("-published_at", "-pk")


@dataclass(frozen=True)
class Choices:
    genres: list[tuple[str, str]]
    years: list[int]
    territories: list[tuple[str, str]]


def gallery_choices() -> Choices:
    """The filters' values that published entries have (three queries)."""
    public = published_entries().values("application")
    applications = Application.objects.filter(pk__in=public)
    genres = Genre.objects.filter(pk__in=applications.values("genre")).order_by("sort_order")
    territories = Territory.objects.filter(
        pk__in=applications.values("organisation__territory")
    ).order_by("sort_order", "code")
    years = sorted(
        {
            year
            for year in applications.annotate(year=ExtractYear("call__closes_at"))
            .values_list("year", flat=True)
            .distinct()
            if year is not None
        },
        reverse=True,
    )
    return Choices(
        genres=[(g.code, g.label) for g in genres],
        years=years,
        territories=[(t.code, t.label) for t in territories],
    )


def entry_images(entry: Entry, *, published: bool) -> list[Image]:
    """The images of one version of ``entry`` (``published`` or the draft)."""
    images = entry.images.all()
    images = images.filter(in_published=True) if published else images.filter(in_draft=True)
    return list(images)


def call_entries(user: AnyUser, call: Call) -> QuerySet[Entry]:
    """The call's showcase entries ``user`` moderates (never of a file they are on), those
    awaiting approval first."""
    applications = Application.objects.filter(call=call).filter(instructable_q(user))
    return (
        Entry.objects.filter(application__in=applications.values("pk"))
        .select_related("application__organisation", "application__agreement")
        .order_by(Case(When(status=EntryStatus.SUBMITTED, then=0), default=1), "slug")
    )
