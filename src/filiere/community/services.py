"""Writes of the community. Each service checks its permission, owns its transaction and
records an audit entry."""

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify

from filiere import errors
from filiere.accounts.models import User
from filiere.accounts.permissions import is_signed_in, is_staff
from filiere.audit.services import record
from filiere.engine import identifiers

from .models import (
    Affiliation,
    AffiliationRequest,
    AffiliationRole,
    Commune,
    Organisation,
    OrganisationKind,
    Person,
    Profession,
    Sector,
    Skill,
    SkillStatus,
    Territory,
    TerritoryKind,
    Visibility,
)
from .permissions import can_edit_person, can_manage_organisation
from .selectors import find_organisation_by_identifier, has_manager
from .skills_data import SkillIndex, match_key


class PermissionDenied(errors.NotAllowed):
    """The acting user may not do this (a ``community.*`` code)."""


MAX_SKILLS = 20


def unique_slug(
    model: type[Person | Organisation],
    base: str,
    *,
    max_length: int = 80,
    exclude_pk: int | None = None,
) -> str:
    """``base`` slugified, with ``-2``, ``-3``... appended until no row of ``model`` uses it."""
    stem = (slugify(base) or "item")[: max_length - 6].strip("-") or "item"
    rows = model.objects.filter(slug__startswith=stem)
    if exclude_pk is not None:
        rows = rows.exclude(pk=exclude_pk)
    taken = set(rows.values_list("slug", flat=True))
    candidate, counter = stem, 1
    while candidate in taken:
        counter += 1
        candidate = f"{stem}-{counter}"
    return candidate


def proposed_slug(name: str, taken: set[str]) -> str:
    """A slug for a new tag, not in ``taken`` (C++ and C# stay apart: c-plus-plus, c-sharp)."""
    spelled = name.replace("+", " plus ").replace("#", " sharp ")
    spelled = spelled.replace("'", " ").replace("’", " ")  # "d'art": "d-art", not "dart"
    stem = slugify(spelled)[:54].strip("-") or "tag"
    candidate, counter = stem, 1
    while candidate in taken:
        counter += 1
        candidate = f"{stem}-{counter}"
    return candidate


@dataclass(frozen=True)
class _VocabularyIndex:
    """A ``SkillIndex`` by primary key, built once per state of the vocabulary: ``digest``
    names the rows it was built from (every field the matching reads)."""

    digest: str
    by_label: dict[str, int]
    by_synonym: dict[str, int]
    slugs: frozenset[str]

    def find(self, text: str) -> int | None:
        key = match_key(text)
        return self.by_label.get(key) or self.by_synonym.get(key)


# By database alias. Built again whenever a row changes (a label, a synonym, a merge, a new
# entry): the digest is taken from the rows each call reads anyway, so it is never stale.
_vocabulary_indexes: dict[str, _VocabularyIndex] = {}


def _vocabulary_digest(skills: list[Skill]) -> str:
    rows = [(s.pk, s.slug, s.name, s.label_en, s.label_nl, s.synonyms, s.status) for s in skills]
    return hashlib.sha256(repr(rows).encode()).hexdigest()


def _vocabulary_index(skills: list[Skill], alias: str) -> _VocabularyIndex:
    """The index of ``skills`` (the whole vocabulary, as just read), reused while unchanged."""
    digest = _vocabulary_digest(skills)
    cached = _vocabulary_indexes.get(alias)
    if cached is not None and cached.digest == digest:
        return cached
    index = SkillIndex.of(skills)
    built = _VocabularyIndex(
        digest=digest,
        by_label={key: skill.pk for key, skill in index.by_label.items()},
        by_synonym={key: skill.pk for key, skill in index.by_synonym.items()},
        slugs=frozenset(index.slugs),
    )
    _vocabulary_indexes[alias] = built
    return built


def skills_by_name(names: Iterable[str], *, by: User | None = None) -> dict[str, Skill]:
    """Each typed name (spaces tidied: the key) with the vocabulary entry it names: its slug,
    French, English or Dutch label, or one of its synonyms, whatever the case and accents. A
    name that matches nothing becomes a ``proposed`` entry (proposed by ``by``) for the staff
    to curate, so no tag is lost. Three queries at most, however many names; the index of
    labels is built again only when the vocabulary has changed (``_vocabulary_index``)."""
    tidied = dict.fromkeys(" ".join(raw.split())[:60] for raw in names)
    typed = [name for name in tidied if match_key(name)]
    # The vocabulary's order (by name), the same each time: the digest then names its state.
    query = Skill.objects.order_by("name", "pk").only(
        "slug", "name", "label_en", "label_nl", "synonyms", "status"
    )
    skills = list(query)
    index = _vocabulary_index(skills, query.db)
    by_pk = {skill.pk: skill for skill in skills}
    taken = set(index.slugs)
    found: dict[str, Skill] = {}
    new: dict[str, Skill] = {}  # by match key: two spellings typed together give one entry
    for name in typed:
        pk = index.find(name)
        if pk is not None:
            found[name] = by_pk[pk]
        elif match_key(name) not in new:
            slug = proposed_slug(name, taken)
            taken.add(slug)
            new[match_key(name)] = Skill(
                slug=slug,
                name=name,
                status=SkillStatus.PROPOSED,
                proposed_by=by if is_signed_in(by) else None,
            )
    if new:
        # A concurrent request may have proposed the same slug: the row it made is used.
        Skill.objects.bulk_create(new.values(), ignore_conflicts=True)
        slugs = [skill.slug for skill in new.values()]
        created = {skill.slug: skill for skill in Skill.objects.filter(slug__in=slugs)}
        for name in typed:
            if name not in found and new[match_key(name)].slug in created:
                found[name] = created[new[match_key(name)].slug]
    return {name: found[name] for name in typed if name in found}  # in the order typed


def skills_from_names(names: Iterable[str], *, by: User | None = None) -> list[Skill]:
    """The vocabulary entries these typed tags name, each once, in the order typed (see
    ``skills_by_name``: unknown tags become proposed entries)."""
    unique: dict[int, Skill] = {}
    for skill in skills_by_name(names, by=by).values():
        unique.setdefault(skill.pk, skill)
    return list(unique.values())


@transaction.atomic
def create_profile(*, user: User, by: User | None = None) -> Person:
    """The profile of ``user``, created from the account's names when there is none yet.

    New profiles are visible to members only, and appear nowhere until consent is given.
    """
    existing = Person.objects.filter(user=user).first()
    if existing is not None:
        return existing
    first = user.first_name or user.email.split("@")[0]
    person = Person.objects.create(
        user=user,
        slug=unique_slug(Person, f"{first} {user.last_name}"),
        first_name=first[:80],
        last_name=user.last_name[:80],
        visibility=Visibility.MEMBERS,
    )
    record(actor=by or user, action="person.created", obj=person)
    return person


@dataclass(frozen=True)
class ProfileChanges:
    """What a profile form gives a service: plain values, already validated."""

    first_name: str
    last_name: str
    headline: str
    bio: str
    territory: Territory | None
    visibility: str
    languages: list[str]
    professions: list[Profession]
    sectors: list[Sector]
    skill_names: list[str]
    consent: bool


@transaction.atomic
def update_profile(*, person: Person, by: User, changes: ProfileChanges) -> Person:
    """Apply a profile edit by its owner (or the staff) and record which fields changed."""
    if not can_edit_person(by, person):
        raise PermissionDenied("community.not_profile_editor")
    changed: list[str] = []
    simple = {
        "first_name": changes.first_name,
        "last_name": changes.last_name,
        "headline": changes.headline,
        "bio": changes.bio,
        "territory_id": changes.territory.pk if changes.territory else None,
        "visibility": changes.visibility,
        "languages": list(changes.languages),
    }
    for field, value in simple.items():
        if getattr(person, field) != value:
            setattr(person, field, value)
            changed.append(field.removesuffix("_id"))
    if changes.consent and person.consent_at is None:
        person.consent_at = timezone.now()
        changed.append("consent_at")
    elif not changes.consent and person.consent_at is not None:
        person.consent_at = None
        changed.append("consent_at")
    if changed:
        person.save()

    skills = skills_from_names(changes.skill_names[:MAX_SKILLS], by=by)
    for name, new in (
        ("professions", changes.professions),
        ("sectors", changes.sectors),
        ("skills", skills),
    ):
        manager = getattr(person, name)
        if {obj.pk for obj in manager.all()} != {obj.pk for obj in new}:
            manager.set(new)
            changed.append(name)

    if changed:
        record(actor=by, action="person.updated", obj=person, data={"fields": sorted(changed)})
    return person


@transaction.atomic
def save_own_profile(*, user: User, changes: ProfileChanges) -> Person:
    """The "my profile" page: create the signed-in user's profile if needed, then update it."""
    person = create_profile(user=user)
    return update_profile(person=person, by=user, changes=changes)


# --- Organisations and affiliations, self-service ----------------------------------------------


class OrganisationError(errors.Invalid):
    """The organisation's data cannot be accepted; ``code`` says why (``organisation.*``, or the
    identifier check's ``siret.invalid_checksum``...), ``field`` where."""

    def __init__(self, code: str, field: str = ""):
        super().__init__(code, field=field)


class DuplicateOrganisation(errors.ServiceError):
    """The company number is already registered: ``organisation`` is to be claimed instead."""

    def __init__(self, organisation: Organisation):
        super().__init__("organisation.duplicate", field="identifier")
        self.organisation = organisation


class AffiliationError(errors.ServiceError):
    """The affiliation request cannot be made or decided; ``code`` (``affiliation.*``) says why."""


FRENCH, BELGIAN = "FR", "BE"


@dataclass(frozen=True)
class NewOrganisation:
    """What the "create my organisation" form gives the service: a French organisation has a
    SIRET, a NAF code and a seat commune; a Belgian one a BCE/KBO number, a NACE-BEL code and a
    region (a Territory of kind ``region`` in Belgium)."""

    name: str
    kind: str
    country: str
    identifier: str
    activity_code: str
    seat_commune: Commune | None = None
    region: Territory | None = None
    website: str = ""


@dataclass(frozen=True)
class AffiliationDeclaration:
    role: str
    title: str = ""
    start_date: date | None = None


def _checked(kind: str, raw: str, field: str) -> str:
    result = identifiers.CHECKS[kind](raw)
    if not result.ok:
        raise OrganisationError(result.code, field)
    return result.value


def _organisation_fields(data: NewOrganisation) -> dict:
    """The model fields of ``data``, every number checked; raises OrganisationError."""
    if not data.name.strip():
        raise OrganisationError("organisation.name_missing", "name")
    if data.kind not in OrganisationKind.values:
        raise OrganisationError("organisation.kind_unknown", "kind")
    fields: dict = {"name": data.name.strip()[:200], "kind": data.kind, "website": data.website}
    if data.country == FRENCH:
        siret = _checked("siret", data.identifier, "identifier")
        if data.seat_commune is None:
            raise OrganisationError("organisation.seat_missing", "seat_commune")
        fields |= {
            "country": FRENCH,
            "siret": siret,
            "siren": siret[:9],
            "naf_code": _checked("naf", data.activity_code, "activity_code"),
            "seat_commune": data.seat_commune,
            "territory": data.seat_commune.territory,
        }
    elif data.country == BELGIAN:
        region = data.region
        if region is None or region.kind != TerritoryKind.REGION or region.country != BELGIAN:
            raise OrganisationError("organisation.seat_missing", "region")
        fields |= {
            "country": BELGIAN,
            "bce_number": _checked("bce", data.identifier, "identifier"),
            "nace_code": _checked("nace", data.activity_code, "activity_code"),
            "territory": region,
        }
    else:
        raise OrganisationError("organisation.country_unknown", "country")
    return fields


def _check_declaration(declaration: AffiliationDeclaration) -> None:
    if declaration.role not in AffiliationRole.values:
        raise AffiliationError("affiliation.role_unknown")


@transaction.atomic
def create_organisation(
    *, by: User, data: NewOrganisation, affiliation: AffiliationDeclaration
) -> Organisation:
    """Register an organisation and its creator's affiliation, as its manager.

    Raises DuplicateOrganisation when its SIREN/SIRET or BCE/KBO number is already registered
    (the creator claims that one instead), OrganisationError on invalid data."""
    if not is_signed_in(by):
        raise PermissionDenied("community.members_only")
    fields = _organisation_fields(data)
    _check_declaration(affiliation)
    number = fields.get("siret") or fields["bce_number"]
    existing = find_organisation_by_identifier(country=fields["country"], identifier=number)
    if existing is not None:
        raise DuplicateOrganisation(existing)
    person = create_profile(user=by)
    try:
        # A savepoint: a concurrent registration of the same number loses on the unique
        # constraint and is told to claim the winner's organisation.
        with transaction.atomic():
            organisation = Organisation.objects.create(
                slug=unique_slug(Organisation, fields["name"]), **fields
            )
    except IntegrityError:
        existing = find_organisation_by_identifier(country=fields["country"], identifier=number)
        if existing is None:
            raise
        raise DuplicateOrganisation(existing) from None
    tie = Affiliation.objects.create(
        person=person,
        organisation=organisation,
        role=affiliation.role,
        title=affiliation.title,
        start_date=affiliation.start_date,
        is_manager=True,
    )
    record(
        actor=by,
        action="community.organisation.create",
        obj=organisation,
        data={"country": fields["country"], "identifier": number},
    )
    record(
        actor=by,
        action="community.affiliation.create",
        obj=tie,
        data={"organisation": organisation.pk, "manager": True},
    )
    return organisation


#: Days during which a refused person may not ask the same organisation again.
REFUSAL_COOLDOWN_DAYS = 30


@transaction.atomic
def request_affiliation(
    *, by: User, organisation: Organisation, declaration: AffiliationDeclaration
) -> AffiliationRequest:
    """``by`` declares working for ``organisation`` (claims it): pending until its manager or
    the staff confirm it."""
    if not is_signed_in(by):
        raise PermissionDenied("community.members_only")
    _check_declaration(declaration)
    person = create_profile(user=by)
    if Affiliation.objects.filter(
        person=person, organisation=organisation, end_date__isnull=True
    ).exists():
        raise AffiliationError("affiliation.already_member")
    if AffiliationRequest.objects.filter(
        person=person, organisation=organisation, status=AffiliationRequest.Status.PENDING
    ).exists():
        raise AffiliationError("affiliation.already_pending")
    if AffiliationRequest.objects.filter(
        person=person,
        organisation=organisation,
        status=AffiliationRequest.Status.REFUSED,
        decided_at__gte=timezone.now() - timedelta(days=REFUSAL_COOLDOWN_DAYS),
    ).exists():
        # A refusal stands for a while: the manager's list is not flooded with the same request.
        raise AffiliationError("affiliation.recently_refused")
    request = AffiliationRequest.objects.create(
        person=person,
        organisation=organisation,
        role=declaration.role,
        title=declaration.title,
        start_date=declaration.start_date,
    )
    record(
        actor=by,
        action="community.affiliation.request",
        obj=request,
        data={"organisation": organisation.pk, "role": declaration.role},
    )
    return request


def _pending_for_decision(by: User, request: AffiliationRequest) -> AffiliationRequest:
    """The request, locked and still pending, that ``by`` may decide; raises otherwise."""
    locked = (
        AffiliationRequest.objects.select_for_update()
        .select_related("person", "organisation")
        .get(pk=request.pk)
    )
    if not can_manage_organisation(by, locked.organisation):
        raise PermissionDenied("community.not_manager")
    if locked.person.user_id == by.pk:
        # Staff included: a second person decides, or anyone could make themselves manager.
        raise PermissionDenied("community.own_request")
    if locked.status != AffiliationRequest.Status.PENDING:
        raise AffiliationError("affiliation.not_pending")
    return locked


@transaction.atomic
def confirm_affiliation(*, by: User, request: AffiliationRequest) -> Affiliation:
    """The manager (or the staff) confirms: the person is affiliated from now on. When the
    organisation has no manager (registered before self-service), the confirmed person
    becomes its manager."""
    pending = _pending_for_decision(by, request)
    tie = Affiliation.objects.create(
        person=pending.person,
        organisation=pending.organisation,
        role=pending.role,
        title=pending.title,
        start_date=pending.start_date,
        is_manager=not has_manager(pending.organisation),
    )
    pending.status = AffiliationRequest.Status.CONFIRMED
    pending.decided_by = by
    pending.decided_at = timezone.now()
    pending.affiliation = tie
    pending.save(update_fields=["status", "decided_by", "decided_at", "affiliation"])
    record(
        actor=by,
        action="community.affiliation.confirm",
        obj=pending,
        data={"organisation": pending.organisation_id, "manager": tie.is_manager},
    )
    return tie


@transaction.atomic
def refuse_affiliation(
    *, by: User, request: AffiliationRequest, reason: str = ""
) -> AffiliationRequest:
    """The manager (or the staff) refuses: no affiliation; the person sees the refusal."""
    pending = _pending_for_decision(by, request)
    pending.status = AffiliationRequest.Status.REFUSED
    pending.decided_by = by
    pending.decided_at = timezone.now()
    pending.reason = reason[:500]
    pending.save(update_fields=["status", "decided_by", "decided_at", "reason"])
    record(
        actor=by,
        action="community.affiliation.refuse",
        obj=pending,
        reason=pending.reason,
        data={"organisation": pending.organisation_id},
    )
    return pending


def _current_tie_for_staff(by: User, affiliation: Affiliation) -> Affiliation:
    if not is_staff(by):
        raise PermissionDenied("community.staff_only")
    locked = Affiliation.objects.select_for_update().select_related("person").get(pk=affiliation.pk)
    if locked.person.user_id == by.pk:
        raise PermissionDenied("community.own_affiliation")
    if locked.end_date is not None:
        raise AffiliationError("affiliation.already_ended")
    return locked


@transaction.atomic
def end_affiliation(*, by: User, affiliation: Affiliation, reason: str) -> Affiliation:
    """The staff end a tie that is wrong or over (someone who registered a company that is not
    theirs, a person who left): from today the person no longer acts for the organisation."""
    if not reason.strip():
        raise AffiliationError("affiliation.reason_missing")
    tie = _current_tie_for_staff(by, affiliation)
    tie.end_date = timezone.localdate()
    was_manager, tie.is_manager = tie.is_manager, False
    tie.save(update_fields=["end_date", "is_manager"])
    record(
        actor=by,
        action="community.affiliation.end",
        obj=tie,
        reason=reason[:500],
        data={"organisation": tie.organisation_id, "was_manager": was_manager},
    )
    return tie


@transaction.atomic
def make_manager(*, by: User, affiliation: Affiliation, reason: str) -> Affiliation:
    """The staff make this current affiliate the organisation's manager (who confirms the others)
    in place of whoever was."""
    if not reason.strip():
        raise AffiliationError("affiliation.reason_missing")
    tie = _current_tie_for_staff(by, affiliation)
    previous = list(
        Affiliation.objects.select_for_update()
        .filter(organisation_id=tie.organisation_id, end_date__isnull=True, is_manager=True)
        .exclude(pk=tie.pk)
        .values_list("pk", flat=True)
    )
    Affiliation.objects.filter(pk__in=previous).update(is_manager=False)
    tie.is_manager = True
    tie.save(update_fields=["is_manager"])
    record(
        actor=by,
        action="community.affiliation.make_manager",
        obj=tie,
        reason=reason[:500],
        data={"organisation": tie.organisation_id, "previous_managers": previous},
    )
    return tie
