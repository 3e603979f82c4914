"""The demo's pool of experts for the fund of a call, with conflicts of every origin.

Run by ``manage.py demo_applications`` (so by ``manage.py demo`` too) after the call's
applications, since some conflicts name them. About a dozen experts (``pool_texts``), the demo
expert account ``expert@example.org`` among them, fill the fund's pool through
``review.seed.seed_pool``: expertise, past works, availability for the call (one of them not
available) and conflicts declared about organisations that applied. Some work for a research lab
or a Belgian partner of the call's applications, or left an applicant organisation two years ago,
so the engine finds conflicts of its own. Then, through the review services as the people would:
the staff remove one expert (who left) and invite another by address (no account yet), the demo
applicant asks to exclude an expert from one of their files, and the staff add one conflict and
lift another, each with a reason.

Running it again gives the same picture: accounts and pool rows are found by address, what the
demo declared, requested, added or lifted before is replaced.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.text import slugify

from filiere.accounts.models import Role, RoleGrant, User
from filiere.calls.models import Application, Call, TeamMember
from filiere.community.models import (
    Affiliation,
    AffiliationRole,
    Organisation,
    OrganisationKind,
    Person,
    Profession,
    Territory,
    Visibility,
)
from filiere.community.services import skills_from_names
from filiere.review import selectors, services
from filiere.review.models import (
    ConflictLift,
    Declaration,
    DeclarationSource,
    Expert,
    ExpertStatus,
)
from filiere.review.seed import PoolSeed, seed_pool

from .accounts import DEMO_APPLICANT_EMAIL, DEMO_EXPERT_EMAIL, DEMO_STAFF_EMAIL
from .pool_texts import (
    BELGIAN_EXPERT,
    DECLARED,
    DEMO_EXPERT,
    EXCLUSION,
    EXPERT_DOMAIN,
    EXPERTS,
    FORMER_EMPLOYEE,
    INVITED_EMAIL,
    LAB_EXPERT,
    LEFT_EXPERT,
    LEFT_REASON,
    LIFT_REASON,
    STAFF_CONFLICT,
    ExpertText,
)

#: Applications the experts review: neither drafts nor withdrawn (as ``review.selectors``).
REVIEWED_OUT = ("draft", "withdrawn")


@dataclass
class DemoPoolResult:
    active: int = 0
    invited: int = 0
    left: int = 0
    conflicts: int = 0  # (application, expert) pairs of the call in conflict, lifted included
    lifted: int = 0


def seed_demo_pool(call: Call, *, today: dt.date | None = None) -> DemoPoolResult:
    """Fill the pool of ``call``'s fund and the call's conflicts (see the module's text)."""
    today = today or timezone.localdate()
    with transaction.atomic():
        staff = _staff()
        applicant = User.objects.filter(email=DEMO_APPLICANT_EMAIL).first()
        _clear(call, [u for u in (staff, applicant) if u is not None])
        reviewed = list(
            Application.objects.filter(call=call)
            .exclude(state__in=REVIEWED_OUT)
            .select_related("organisation")
            .order_by("reference")
        )
        users = {text.key: _account(text) for text in (*EXPERTS, LEFT_EXPERT)}
        demo_expert = User.objects.filter(email=DEMO_EXPERT_EMAIL).first()
        _affiliations(users, reviewed, today)
        declared = _declared_about(reviewed)
        texts = [*EXPERTS, LEFT_EXPERT]
        seeds = [_seed(users[t.key], t, declared.get(t.key, ())) for t in texts]
        if demo_expert is not None:
            seeds.insert(0, _seed(demo_expert, DEMO_EXPERT, ()))
        experts = {e.email: e for e in seed_pool(fund=call.fund, seeds=seeds, calls=[call])}
        if staff is not None:
            left = experts[users[LEFT_EXPERT.key].email]
            services.remove_expert(expert=left, by=staff, reason=LEFT_REASON)
            _invited(call, staff)
        if applicant is not None:
            _exclusion(applicant, call, users)
        if staff is not None and reviewed:
            _staff_conflict(call, staff, experts[users[STAFF_CONFLICT[0]].email], reviewed)
            _lift(call, staff, experts, users)
        rows = selectors.conflicts_of_call(call, today=today)
    statuses = list(Expert.objects.filter(fund=call.fund).values_list("status", flat=True))
    return DemoPoolResult(
        active=statuses.count(ExpertStatus.ACTIVE),
        invited=statuses.count(ExpertStatus.INVITED),
        left=statuses.count(ExpertStatus.LEFT),
        conflicts=len(rows),
        lifted=sum(1 for row in rows if row.lift is not None),
    )


def _staff() -> User | None:
    """The demo staff account, else any global staff member or administrator."""
    found = User.objects.filter(email=DEMO_STAFF_EMAIL).first()
    if found is not None:
        return found
    grants = RoleGrant.objects.filter(
        role__in=[Role.STAFF, Role.ADMIN], scope_type="", revoked_at__isnull=True
    )
    return User.objects.filter(pk__in=grants.values("user_id")).order_by("pk").first()


def _clear(call: Call, demo_users: list[User]) -> None:
    """What an earlier run requested, added or lifted on the call (the experts' own
    declarations are replaced by ``seed_pool``)."""
    Declaration.objects.filter(
        application__call=call,
        source__in=[DeclarationSource.APPLICANT, DeclarationSource.STAFF],
        declared_by__in=demo_users,
    ).delete()
    ConflictLift.objects.filter(
        application__call=call, expert__fund_id=call.fund_id, lifted_by__in=demo_users
    ).delete()


def _account(text: ExpertText) -> User:
    """An expert's account (no usable password: they are not demo logins) and a private
    directory profile, flagged demo like the other generated people."""
    user, created = User.objects.update_or_create(
        email=f"{text.key}@{EXPERT_DOMAIN}",
        defaults={
            "first_name": text.first_name,
            "last_name": text.last_name,
            "preferred_language": text.languages[0],
        },
    )
    if created:
        user.password = make_password(None)
        user.save(update_fields=["password"])
    person = Person.objects.filter(user=user).first()
    values = {
        "first_name": text.first_name,
        "last_name": text.last_name,
        "headline": text.headline,
        "bio": text.about,
        "languages": list(text.languages),
        "territory": Territory.objects.filter(code=text.territory).first(),
        # Private: an applicant browsing the directory must not come across the names of the
        # experts who may review their file (the crawl's canaries are these names).
        "visibility": Visibility.PRIVATE,
        "is_demo": True,
    }
    if person is None:
        person = Person.objects.create(
            user=user,
            slug=_free_slug(f"{text.first_name} {text.last_name}"),
            consent_at=timezone.now(),
            **values,
        )
    else:
        for name, value in values.items():
            setattr(person, name, value)
        person.save()
    person.professions.set(Profession.objects.filter(slug__in=text.professions))
    person.skills.set(skills_from_names(text.skills))
    return user


def _free_slug(name: str) -> str:
    stem = slugify(name)[:70] or "expert"
    candidate, n = stem, 1
    while Person.objects.filter(slug=candidate).exists():
        n += 1
        candidate = f"{stem}-{n}"
    return candidate


def _affiliations(users: dict[str, User], reviewed: list[Application], today: dt.date) -> None:
    """Ties that make the engine find conflicts: a research lab and a Belgian partner of the
    call's applications, and an applicant organisation left two years ago."""
    partners = TeamMember.objects.filter(application__in=reviewed, organisation__isnull=False)
    lab = _first_partner(partners, "lab_partner") or _any(kind=OrganisationKind.RESEARCH_LAB)
    belgian = _first_partner(partners, "belgian_coproducer") or _any(country="BE")
    applicants = _distinct_organisations(reviewed)
    former = applicants[len(DECLARED)] if len(applicants) > len(DECLARED) else None
    taken = {o.pk for o in (lab, belgian, *applicants) if o is not None}
    others = Organisation.objects.filter(is_demo=True).exclude(pk__in=taken).order_by("pk")
    competitor = others.filter(kind=OrganisationKind.COMPANY).first() or others.first()
    ties = [
        (LAB_EXPERT, lab, AffiliationRole.RESEARCHER, dt.date(2003, 9, 1), None),
        (BELGIAN_EXPERT, belgian, AffiliationRole.FOUNDER, dt.date(1998, 1, 15), None),
        (
            FORMER_EMPLOYEE,
            former,
            AffiliationRole.EMPLOYEE,
            dt.date(2001, 3, 1),
            today - dt.timedelta(days=2 * 365),
        ),
        (EXCLUSION[0], competitor, AffiliationRole.EMPLOYEE, dt.date(2005, 6, 1), None),
    ]
    for key, organisation, role, start, end in ties:
        person = users[key].person
        Affiliation.objects.filter(person=person).delete()
        if organisation is not None:
            Affiliation.objects.create(
                person=person, organisation=organisation, role=role, start_date=start, end_date=end
            )


def _first_partner(partners: QuerySet[TeamMember], role: str) -> Organisation | None:
    member = (
        partners.filter(role=role).select_related("organisation").order_by("application__reference")
    ).first()
    return member.organisation if member is not None else None


def _any(**filters: object) -> Organisation | None:
    return Organisation.objects.filter(is_demo=True, **filters).order_by("pk").first()


def _distinct_organisations(reviewed: list[Application]) -> list[Organisation]:
    seen: dict[int, Organisation] = {}
    for application in reviewed:
        if application.organisation.is_demo:
            seen.setdefault(application.organisation_id, application.organisation)
    return list(seen.values())


def _declared_about(
    reviewed: list[Application],
) -> dict[str, tuple[tuple[Organisation, str, str], ...]]:
    """Each declaring expert's conflict, about the next applicant organisation of the call."""
    organisations = _distinct_organisations(reviewed)
    return {
        key: ((organisation, kind, reason),)
        for (key, kind, reason), organisation in zip(DECLARED, organisations, strict=False)
    }


def _seed(
    user: User, text: ExpertText, conflicts: tuple[tuple[Organisation, str, str], ...]
) -> PoolSeed:
    return PoolSeed(
        user=user,
        professions=text.professions,
        skills=text.skills,
        keywords=text.keywords,
        languages=text.languages,
        about=text.about,
        works=text.works,
        max_load=text.max_load,
        conflicts=conflicts,
    )


def _invited(call: Call, staff: User) -> None:
    """An invitation by e-mail not answered yet (written as it stands: no e-mail leaves)."""
    Expert.objects.update_or_create(
        fund=call.fund,
        email=INVITED_EMAIL,
        defaults={
            "user": None,
            "status": ExpertStatus.INVITED,
            "invited_by": staff,
            "invited_at": timezone.now(),
            "joined_at": None,
            "left_at": None,
        },
    )


def _exclusion(applicant: User, call: Call, users: dict[str, User]) -> None:
    """The demo applicant asks, on one of their submitted files, that nobody of a competing
    studio read it: they name the studio (where an expert of the pool works), never a person,
    so no expert's name is ever on the applicant's pages."""
    application = (
        Application.objects.filter(call=call, lead=applicant)
        .exclude(state__in=REVIEWED_OUT)
        .order_by("reference")
        .first()
    )
    if application is None:
        return
    key, kind, reason = EXCLUSION
    studio = _current_organisation(users[key])
    if studio is None:
        return
    services.request_exclusion(
        application=application,
        by=applicant,
        kind=kind,
        reason=reason,
        organisation=studio,
    )


def _current_organisation(user: User) -> Organisation | None:
    affiliation = (
        Affiliation.objects.filter(person__user=user, end_date__isnull=True)
        .select_related("organisation")
        .first()
    )
    return affiliation.organisation if affiliation is not None else None


def _staff_conflict(call: Call, staff: User, expert: Expert, reviewed: list[Application]) -> None:
    _key, kind, reason = STAFF_CONFLICT
    application = reviewed[min(2, len(reviewed) - 1)]
    services.add_conflict(
        call=call, expert=expert, application=application, by=staff, kind=kind, reason=reason
    )


def _lift(call: Call, staff: User, experts: dict[str, Expert], users: dict[str, User]) -> None:
    """Lift one conflict the engine found for the lab's (else the Belgian partner's) expert."""
    rows = [row for row in selectors.conflicts_of_call(call) if row.active]
    for key in (LAB_EXPERT, BELGIAN_EXPERT):
        expert = experts[users[key].email]
        row = next((r for r in rows if r.expert_id == expert.pk), None)
        if row is not None:
            services.lift_conflict(
                call=call,
                expert=expert,
                application=Application.objects.get(pk=row.application_id),
                by=staff,
                reason=LIFT_REASON,
            )
            return
