"""Writes of the review app: the pools of experts, their expertise and availability, conflicts.

Each service checks its permission, owns its transaction and records an audit entry; refusals
are :class:`filiere.errors.ServiceError` with a ``review.`` code (``phrases.REFUSALS``).
"""

from __future__ import annotations

from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from filiere.accounts.models import Role, RoleGrant, User
from filiere.accounts.services import grant_role, revoke_role
from filiere.audit.services import record
from filiere.calls.access import applications_of
from filiere.calls.models import Application, Call, Fund
from filiere.calls.permissions import on_team
from filiere.community.models import Organisation, Person, Profession
from filiere.community.services import skills_from_names
from filiere.engine.conflicts import ConflictKind
from filiere.errors import Invalid, NotAllowed, ServiceError

from .models import (
    Availability,
    ConflictLift,
    Declaration,
    DeclarationSource,
    Expert,
    ExpertiseProfile,
    ExpertStatus,
    PastWork,
    new_token,
)
from .permissions import FUND_SCOPE, is_expert, manages_call_conflicts, manages_pool
from .selectors import current_calls


def email_language(account: User | None) -> str:
    """The language of an e-mail to ``account``: theirs when the site offers it, else the
    platform's (also for an address with no account)."""
    language = account.preferred_language if account is not None else ""
    offered = {code for code, _name in settings.LANGUAGES}
    return language if language in offered else settings.LANGUAGE_CODE


def _require_reason(reason: str) -> str:
    reason = reason.strip()
    if not reason:
        raise Invalid("review.reason_missing", field="reason")
    return reason


def _require_kind(kind: str) -> str:
    if kind not in ConflictKind.__members__.values():
        raise Invalid("review.kind_unknown", field="kind")
    return kind


def _one_party(organisation: Organisation | None, person: Person | None) -> None:
    if (organisation is None) == (person is None):
        raise Invalid("review.party_missing", field="party")


# --- The pool -----------------------------------------------------------------------------------


@transaction.atomic
def invite_expert(*, fund: Fund, by: User, email: str = "", person: Person | None = None) -> Expert:
    """Invite someone to ``fund``'s pool, by e-mail or from the directory (``person``, who must
    have an account); the invitation e-mail leaves after the commit. Someone who left the pool
    may be invited again."""
    if not manages_pool(by, fund.pk):
        raise NotAllowed("review.not_pool_staff")
    user: User | None = None
    if person is not None:
        user = person.user
        if user is None:
            raise Invalid("review.person_without_account", field="person")
        email = user.email
    email = email.strip()
    existing = (
        Expert.objects.select_for_update()
        .filter(fund=fund)
        .filter(Q(email__iexact=email) | (Q(user=user) if user is not None else Q(pk__in=[])))
        .first()
    )
    if existing is not None and existing.status != ExpertStatus.LEFT:
        raise ServiceError("review.already_in_pool", {"email": email}, field="email")
    expert = existing or Expert(fund=fund, email=email)
    expert.email = email
    expert.user = user or expert.user
    expert.status = ExpertStatus.INVITED
    expert.token = new_token()
    expert.invited_by = by
    expert.invited_at = timezone.now()
    expert.joined_at = expert.left_at = None
    try:
        with transaction.atomic():
            expert.save()
    except IntegrityError:  # the same address invited at the same moment by someone else
        raise ServiceError("review.already_in_pool", {"email": email}, field="email") from None
    record(
        actor=by,
        action="review.expert.invited",
        obj=fund,
        data={"email": email, "from_directory": person is not None, "expert": expert.pk},
    )
    transaction.on_commit(lambda: send_invitation(expert_id=expert.pk))
    return expert


def send_invitation(*, expert_id: int) -> None:
    """The invitation e-mail, in the language of the account behind the address (else the
    platform's)."""
    expert = Expert.objects.select_related("fund", "invited_by").get(pk=expert_id)
    account = expert.user or User.objects.filter(email__iexact=expert.email).first()
    with translation.override(email_language(account)):
        context = {
            "expert": expert,
            "fund": expert.fund.name,
            "site_url": settings.FILIERE_SITE_URL,
            "url": reverse("review:invitation", kwargs={"token": expert.token}),
        }
        subject = render_to_string("review/email/invitation_subject.txt", context)
        body = render_to_string("review/email/invitation.txt", context)
    send_mail(" ".join(subject.split()), body, None, [expert.email])


def _verified_addresses(user: User) -> set[str]:
    verified = EmailAddress.objects.filter(user=user, verified=True).values_list("email", flat=True)
    return {user.email.lower()} | {address.lower() for address in verified}


@transaction.atomic
def accept_invitation(*, token: str, user: User) -> Expert:
    """The invitee joins the pool: the expert role scoped to the fund (which asks for a second
    factor) and an expertise profile to fill in."""
    expert = Expert.objects.select_for_update().select_related("fund").filter(token=token).first()
    if expert is None or expert.status == ExpertStatus.LEFT:
        raise ServiceError("review.invitation_unknown")
    if expert.status == ExpertStatus.ACTIVE:
        if expert.user_id == user.pk:
            return expert
        raise ServiceError("review.invitation_used")
    if (expert.user_id is not None and expert.user_id != user.pk) or (
        expert.email.lower() not in _verified_addresses(user)
    ):
        raise ServiceError("review.invitation_other_address", {"email": expert.email})
    if Expert.objects.filter(fund=expert.fund, user=user).exclude(pk=expert.pk).exists():
        raise ServiceError("review.already_in_pool", {"email": user.email})
    grant_role(
        user=user,
        role=Role.EXPERT,
        scope=expert.fund,
        by=None,
        reason=f"accepted the invitation to the pool of {expert.fund.slug}",
    )
    expert.user = user
    expert.status = ExpertStatus.ACTIVE
    expert.joined_at = timezone.now()
    expert.save(update_fields=["user", "status", "joined_at"])
    ExpertiseProfile.objects.get_or_create(user=user)
    record(actor=user, action="review.expert.joined", obj=expert.fund, data={"expert": expert.pk})
    return expert


@transaction.atomic
def remove_expert(*, expert: Expert, by: User, reason: str) -> None:
    """Take someone out of a fund's pool (an invitation is withdrawn): their expert grant for
    the fund ends; their profile and declarations stay theirs."""
    if not manages_pool(by, expert.fund_id):
        raise NotAllowed("review.not_pool_staff")
    reason = _require_reason(reason)
    locked = Expert.objects.select_for_update().get(pk=expert.pk)
    if locked.status == ExpertStatus.LEFT:
        raise ServiceError("review.already_left")
    previous = locked.status
    locked.status = ExpertStatus.LEFT
    locked.left_at = timezone.now()
    locked.save(update_fields=["status", "left_at"])
    if locked.user_id is not None:
        grants = RoleGrant.objects.filter(
            user_id=locked.user_id,
            role=Role.EXPERT,
            scope_type=FUND_SCOPE,
            scope_id=locked.fund_id,
            revoked_at__isnull=True,
        )
        for grant in grants:
            revoke_role(grant=grant, by=None, reason=f"removed from the pool by {by.email}")
    record(
        actor=by,
        action="review.expert.removed",
        obj=locked.fund,
        reason=reason,
        data={"email": locked.email, "expert": locked.pk, "was": previous},
    )
    expert.status, expert.left_at = locked.status, locked.left_at


# --- The expert's own data ----------------------------------------------------------------------


@dataclass(frozen=True)
class PastWorkData:
    title: str
    year: int
    description: str = ""


@dataclass(frozen=True)
class ExpertiseChanges:
    """What the expertise form gives the service: plain values, already validated."""

    professions: list[Profession]
    skill_names: list[str]
    keywords: list[str]
    languages: list[str]
    about: str
    past_works: list[PastWorkData]


@transaction.atomic
def save_expertise(*, user: User, changes: ExpertiseChanges) -> ExpertiseProfile:
    """Replace the expert's expertise profile (its past works included) with ``changes``."""
    if not is_expert(user):
        raise NotAllowed("review.not_expert")
    profile, _created = ExpertiseProfile.objects.get_or_create(user=user)
    profile.keywords = changes.keywords
    profile.languages = changes.languages
    profile.about = changes.about
    profile.save()
    profile.professions.set(changes.professions)
    profile.skills.set(skills_from_names(changes.skill_names, by=user))
    profile.past_works.all().delete()
    PastWork.objects.bulk_create(
        PastWork(profile=profile, title=w.title, year=w.year, description=w.description)
        for w in changes.past_works
    )
    record(
        actor=user,
        action="review.expertise.saved",
        obj=profile,
        data={"past_works": len(changes.past_works), "keywords": len(changes.keywords)},
    )
    return profile


@transaction.atomic
def set_availability(
    *, user: User, call: Call, available: bool, max_load: int | None
) -> Availability:
    """The expert says whether they read for ``call`` (a current call of a fund whose pool they
    are active in), and how many applications at most."""
    expert = Expert.objects.filter(
        fund_id=call.fund_id, user=user, status=ExpertStatus.ACTIVE
    ).first()
    if expert is None or not current_calls(call.fund_id).filter(pk=call.pk).exists():
        raise NotAllowed("review.call_not_current")
    availability, _created = Availability.objects.update_or_create(
        expert=expert,
        call=call,
        defaults={"available": available, "max_load": max_load if available else None},
    )
    record(
        actor=user,
        action="review.availability.set",
        obj=call,
        data={"available": available, "max_load": availability.max_load},
    )
    return availability


# --- Conflicts ----------------------------------------------------------------------------------


@transaction.atomic
def declare_conflict(
    *,
    by: User,
    kind: str,
    reason: str,
    organisation: Organisation | None = None,
    person: Person | None = None,
) -> Declaration:
    """An expert declares a conflict with an organisation or a person of the directory: it holds
    for every application where they take part, in every pool the expert is in."""
    if not is_expert(by):
        raise NotAllowed("review.not_expert")
    declaration = _declare_against_party(
        by=by,
        kind=kind,
        reason=reason,
        organisation=organisation,
        person=person,
        source=DeclarationSource.EXPERT,
        expert_user=by,
    )
    _record_declaration(declaration, "review.conflict.declared", obj=declaration)
    return declaration


@transaction.atomic
def request_exclusion(
    *,
    application: Application,
    by: User,
    kind: str,
    reason: str,
    organisation: Organisation | None = None,
    person: Person | None = None,
) -> Declaration:
    """An applicant asks that a person, or the people of an organisation, do not review their
    application. Whether anyone named is an expert is never said."""
    if not applications_of(by).filter(pk=application.pk).exists():
        raise NotAllowed("review.application_not_in_call")
    declaration = _declare_against_party(
        by=by,
        kind=kind,
        reason=reason,
        organisation=organisation,
        person=person,
        source=DeclarationSource.APPLICANT,
        application=application,
    )
    _record_declaration(declaration, "review.exclusion.requested", obj=application)
    return declaration


def _declare_against_party(
    *,
    by: User,
    kind: str,
    reason: str,
    organisation: Organisation | None,
    person: Person | None,
    source: str,
    expert_user: User | None = None,
    application: Application | None = None,
) -> Declaration:
    """The checks and the row shared by an expert's conflict and an applicant's request: a known
    kind, exactly one party, a reason, and never oneself as the party."""
    kind = _require_kind(kind)
    _one_party(organisation, person)
    reason = _require_reason(reason)
    if person is not None and person.user_id == by.pk:
        raise Invalid("review.own_application", field="party")
    return Declaration.objects.create(
        source=source,
        kind=kind,
        reason=reason,
        expert_user=expert_user,
        application=application,
        organisation=organisation,
        person=person,
        declared_by=by,
    )


def declare_application_conflict(
    *, by: User, application: Application, kind: str, reason: str
) -> Declaration:
    """The expert's own conflict with one application (declining its assignment, or a
    "conflict" bid): it holds for that pair only. The caller records its audit entry."""
    if kind not in ConflictKind.__members__.values():
        raise Invalid("review.kind_unknown", field="conflict_kind")
    reason = _require_reason(reason)
    return Declaration.objects.create(
        source=DeclarationSource.EXPERT,
        kind=kind,
        reason=reason,
        expert_user=by,
        application=application,
        declared_by=by,
    )


def _record_declaration(
    declaration: Declaration, action: str, *, obj: Declaration | Application
) -> None:
    record(
        actor=declaration.declared_by,
        action=action,
        obj=obj,
        reason=declaration.reason,
        data=_party_data(declaration.kind, declaration.organisation, declaration.person),
    )


@transaction.atomic
def withdraw_declaration(*, declaration: Declaration, by: User) -> None:
    """The expert who declared a conflict, or the team of the application whose request it is,
    takes it back. The staff's own additions are lifted instead."""
    if declaration.source == DeclarationSource.EXPERT:
        allowed = declaration.expert_user_id == by.pk
    elif declaration.source == DeclarationSource.APPLICANT and declaration.application_id:
        allowed = applications_of(by).filter(pk=declaration.application_id).exists()
    else:
        allowed = False
    if not allowed:
        raise NotAllowed("review.not_declarant")
    if declaration.withdrawn_at is not None:
        return
    declaration.withdrawn_at = timezone.now()
    declaration.save(update_fields=["withdrawn_at"])
    record(
        actor=by,
        action="review.conflict.withdrawn",
        obj=declaration,
        data={"source": declaration.source, "kind": declaration.kind},
    )


def _party_data(
    kind: str, organisation: Organisation | None, person: Person | None
) -> dict[str, object]:
    return {
        "kind": kind,
        "organisation": organisation.pk if organisation is not None else None,
        "person": person.pk if person is not None else None,
    }


def _staff_pair(call: Call, expert: Expert, application: Application, by: User) -> None:
    if not manages_call_conflicts(by, call):
        raise NotAllowed("review.not_call_staff")
    if expert.fund_id != call.fund_id:
        raise Invalid("review.expert_not_in_pool", field="expert")
    if application.call_id != call.pk:
        raise Invalid("review.application_not_in_call", field="application")
    if on_team(by, application):
        # Nobody decides the conflicts of a file they are on.
        raise NotAllowed("review.not_call_staff")


@transaction.atomic
def add_conflict(
    *, call: Call, expert: Expert, application: Application, by: User, kind: str, reason: str
) -> Declaration:
    """The staff add a conflict between one expert and one application of ``call``."""
    _staff_pair(call, expert, application, by)
    kind = _require_kind(kind)
    reason = _require_reason(reason)
    if expert.user_id is None:
        raise Invalid("review.expert_not_in_pool", field="expert")
    declaration = Declaration.objects.create(
        source=DeclarationSource.STAFF,
        kind=kind,
        reason=reason,
        expert_user_id=expert.user_id,
        application=application,
        declared_by=by,
    )
    record(
        actor=by,
        action="review.conflict.added",
        obj=application,
        reason=reason,
        data={"expert": expert.pk, "kind": kind},
    )
    return declaration


@transaction.atomic
def lift_conflict(
    *, call: Call, expert: Expert, application: Application, by: User, reason: str
) -> ConflictLift:
    """The staff lift every conflict known today between ``expert`` and ``application``."""
    _staff_pair(call, expert, application, by)
    reason = _require_reason(reason)
    lift, _created = ConflictLift.objects.update_or_create(
        application=application,
        expert=expert,
        defaults={"reason": reason, "lifted_by": by, "lifted_at": timezone.now()},
    )
    record(
        actor=by,
        action="review.conflict.lifted",
        obj=application,
        reason=reason,
        data={"expert": expert.pk},
    )
    return lift
