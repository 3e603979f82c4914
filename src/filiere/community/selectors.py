"""Reads of the community, with the visibility rules applied (see ``permissions``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.http import Http404

from filiere.accounts.permissions import is_signed_in

from .field_access import field_visible_q
from .models import (
    Affiliation,
    AffiliationRequest,
    Commune,
    Organisation,
    Person,
    Profession,
    Sector,
    Skill,
    Territory,
    TerritoryKind,
)
from .permissions import sees_everyone, visibility_q

if TYPE_CHECKING:
    from filiere.accounts.models import User
    from filiere.accounts.types import AnyUser


def visible_people(viewer: AnyUser | None) -> QuerySet[Person]:
    """Every profile ``viewer`` may see (anonymous: public ones; members: public and
    members-only; owner: also their own; staff: all)."""
    return Person.objects.filter(visibility_q(viewer))


def get_person_for_viewer(viewer: AnyUser | None, slug: str) -> Person:
    """The profile, or 404 — the same 404 whether it is missing or hidden from ``viewer``."""
    person = (
        visible_people(viewer)
        .select_related("territory", "user")
        .prefetch_related(
            "professions",
            "sectors",
            "skills",
            Prefetch(
                "affiliations",
                queryset=Affiliation.objects.select_related("organisation__territory"),
            ),
        )
        .filter(slug=slug)
        .first()
    )
    if person is None:
        raise Http404
    return person


def person_of_user(user: AnyUser | None) -> Person | None:
    if not is_signed_in(user):
        return None
    return (
        Person.objects.filter(user=user)
        .prefetch_related("professions", "sectors", "skills")
        .first()
    )


def get_organisation_for_viewer(viewer: AnyUser | None, slug: str) -> Organisation:
    """An organisation (public) with the members ``viewer`` may see in ``visible_members``."""
    members = (
        # A member who keeps their organisations from ``viewer`` is not listed either.
        Affiliation.objects.filter(
            visibility_q(viewer, prefix="person__")
            & field_visible_q(viewer, "organisations", prefix="person__")
        )
        .select_related("person")
        .order_by("person__last_name", "person__first_name", "id")
    )
    organisation = (
        Organisation.objects.select_related("territory", "seat_commune__territory")
        .prefetch_related("sectors", Prefetch("affiliations", members, to_attr="visible_members"))
        .filter(slug=slug)
        .first()
    )
    if organisation is None:
        raise Http404
    return organisation


def cluster_territories() -> QuerySet[Territory]:
    """The three EPCI with their number of communes and total population."""
    return (
        Territory.objects.filter(kind=TerritoryKind.EPCI)
        .annotate(commune_count=Count("communes"), population=Sum("communes__population"))
        .order_by("sort_order", "code")
    )


def partner_territories() -> QuerySet[Territory]:
    """The territories outside the three EPCI (Belgian regions, rest of France, other)."""
    return Territory.objects.exclude(kind=TerritoryKind.EPCI).order_by("sort_order", "code")


def territories_with_population() -> QuerySet[Territory]:
    """Every territory, each with its number of communes and their total population (0 for
    the territories outside the three EPCI, which have no communes)."""
    return Territory.objects.annotate(
        commune_count=Count("communes"),
        population=Coalesce(Sum("communes__population"), 0),
    ).order_by("sort_order", "code")


def get_territory_with_communes(code: str) -> Territory:
    """A territory with its figures and its communes (by name), or 404."""
    territory = (
        territories_with_population()
        .prefetch_related(Prefetch("communes", Commune.objects.order_by("name", "insee_code")))
        .filter(code=code)
        .first()
    )
    if territory is None:
        raise Http404
    return territory


def get_territory(code: str) -> Territory:
    territory = Territory.objects.filter(code=code).first()
    if territory is None:
        raise Http404
    return territory


def sectors() -> QuerySet[Sector]:
    return Sector.objects.all()


def professions() -> QuerySet[Profession]:
    return Profession.objects.all()


def territories() -> QuerySet[Territory]:
    return Territory.objects.all()


def skills() -> QuerySet[Skill]:
    return Skill.objects.all()


# --- Self-service organisations --------------------------------------------------------------


def find_organisation_by_identifier(*, country: str, identifier: str) -> Organisation | None:
    """The organisation already registered under this compact SIRET (matched on its SIREN: one
    organisation per company) or BCE/KBO number, if any."""
    if country == "FR":
        return Organisation.objects.filter(Q(siren=identifier[:9]) | Q(siret=identifier)).first()
    if country == "BE":
        return Organisation.objects.filter(bce_number=identifier).first()
    return None


def current_ties(organisation: Organisation) -> QuerySet[Affiliation]:
    """Everyone who acts for ``organisation`` now, managers first: for the staff's corrections
    (the staff see every profile)."""
    return (
        Affiliation.objects.filter(organisation=organisation, end_date__isnull=True)
        .select_related("person")
        .order_by("-is_manager", "person__last_name", "id")
    )


def get_current_tie(organisation: Organisation, pk: int) -> Affiliation:
    tie = current_ties(organisation).filter(pk=pk).first()
    if tie is None:
        raise Http404
    return tie


def has_manager(organisation: Organisation) -> bool:
    return Affiliation.objects.filter(
        organisation=organisation, end_date__isnull=True, is_manager=True
    ).exists()


def seat_communes() -> QuerySet[Commune]:
    """The communes of the cluster's territories, for a French seat."""
    return Commune.objects.select_related("territory").order_by("name", "insee_code")


def belgian_regions() -> QuerySet[Territory]:
    return Territory.objects.filter(kind=TerritoryKind.REGION, country="BE").order_by(
        "sort_order", "code"
    )


def my_affiliations(user: User) -> QuerySet[Affiliation]:
    """The signed-in user's current affiliations, with their organisation."""
    return (
        Affiliation.objects.filter(person__user_id=user.pk, end_date__isnull=True)
        .select_related("organisation__territory")
        .order_by("organisation__name", "id")
    )


def my_affiliation_requests(user: User) -> QuerySet[AffiliationRequest]:
    """The user's own requests still waiting, or refused (confirmed ones are affiliations)."""
    return (
        AffiliationRequest.objects.filter(person__user_id=user.pk)
        .exclude(status=AffiliationRequest.Status.CONFIRMED)
        .select_related("organisation")
    )


def decidable_requests(user: User) -> QuerySet[AffiliationRequest]:
    """The requests, whatever their status, of the organisations ``user`` manages (all of them
    for the staff); never the user's own, staff included."""
    requests = AffiliationRequest.objects.all()
    if not sees_everyone(user):
        managed = Affiliation.objects.filter(
            person__user_id=user.pk,
            end_date__isnull=True,
            is_manager=True,
        ).values("organisation_id")
        requests = requests.filter(organisation_id__in=managed)
    return requests.exclude(person__user_id=user.pk)


def requests_to_decide(user: User) -> QuerySet[AffiliationRequest]:
    """The pending requests ``user`` may confirm or refuse, oldest first."""
    return (
        decidable_requests(user)
        .filter(status=AffiliationRequest.Status.PENDING)
        .select_related("person", "organisation")
        .order_by("requested_at", "id")
    )


def get_request_to_decide(user: User, pk: int) -> AffiliationRequest:
    """A request of an organisation ``user`` manages (already decided ones included: the
    service says so), or 404 — the same whether it is missing or someone else's."""
    request = decidable_requests(user).select_related("person", "organisation").filter(pk=pk)
    found = request.first()
    if found is None:
        raise Http404
    return found
