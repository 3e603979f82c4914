"""Find partners, the directory ⇄ call loop: the skills an application's team lacks for its
call's genre, and the people and organisations of the directory who have them, with reasons.

- Wanted: the skills of the application's genre (``calls.Genre.skills``) and any the lead adds.
- Covered: the skills of the team (the lead and every invited or accepted member with an
  account: their directory profiles) and of their organisations (the application's, the
  members', and the current organisations of the team's profiles).
- One skill meets another when they are the same, when one is a broader skill (a domain) of the
  other (``Skill.parent``): a domain covers its narrower skills, and a narrower skill meets a
  wanted domain.
- Candidates: profiles the lead may see, with an account, not on the team, not blocked either
  way, whose skills the lead may see; organisations not already on the team. The best first:
  the most missing skills met, exact matches before broader or narrower ones, then by name.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db.models import Prefetch, Q, QuerySet

from filiere.calls.models import Application
from filiere.community.models import Affiliation, Organisation, Person, Skill
from filiere.community.permissions import visibility_q
from filiere.community.selectors import visible_people
from filiere.community.visibility import visible_fields

from .selectors_contacts import blocked_either_way_ids

if TYPE_CHECKING:
    from filiere.accounts.models import User

#: How many people and organisations the page proposes.
MAX_PEOPLE = 12
MAX_ORGANISATIONS = 8
#: Members of a proposed organisation offered for an invitation, at most.
MAX_CONTACTS = 3


@dataclass(frozen=True)
class Match:
    """A missing skill met by a candidate: ``via`` is the candidate's own skill when it is a
    broader or narrower one (empty when it is the same)."""

    wanted: Skill
    via: Skill | None = None


@dataclass
class Candidate:
    person: Person | None = None
    organisation: Organisation | None = None
    matches: list[Match] = field(default_factory=list)
    #: For an organisation: its current members the lead may see and invite.
    contacts: list[Person] = field(default_factory=list)

    @property
    def name(self) -> str:
        if self.person is not None:
            return self.person.display_name
        return self.organisation.name if self.organisation is not None else ""

    def sort_key(self) -> tuple[int, int, str]:
        exact = sum(1 for match in self.matches if match.via is None)
        return (-len(self.matches), -exact, self.name.lower())


@dataclass
class Partners:
    application: Application
    wanted: list[Skill]
    #: Wanted skill → the names of the team members and organisations that cover it.
    covered: list[tuple[Skill, list[str]]]
    missing: list[Skill]
    people: list[Candidate]
    organisations: list[Candidate]
    #: The genre names skills (False: only the skills the lead added are looked for).
    genre_has_skills: bool


class _Tree:
    """The vocabulary's broader-skill links, read once."""

    def __init__(self) -> None:
        self.parent: dict[int, int | None] = dict(Skill.objects.values_list("id", "parent_id"))

    def ancestors(self, skill_id: int) -> set[int]:
        found: set[int] = set()
        current = self.parent.get(skill_id)
        while current is not None and current not in found:
            found.add(current)
            current = self.parent.get(current)
        return found

    def meets(self, have: int, wanted: int) -> bool:
        return have == wanted or have in self.ancestors(wanted) or wanted in self.ancestors(have)

    def related(self, wanted: set[int]) -> set[int]:
        """Every skill that meets one of ``wanted``: themselves, broader and narrower ones."""
        related = set(wanted)
        for skill_id in wanted:
            related |= self.ancestors(skill_id)
        related |= {s for s in self.parent if self.ancestors(s) & wanted}
        return related


def genre_skills(application: Application) -> list[Skill]:
    """The skills the application's genre calls for (none without a genre)."""
    genre = application.genre
    return list(genre.skills.all()) if genre is not None else []


def team_user_ids(application: Application) -> set[int]:
    ids = {application.lead_id}
    ids |= {
        user_id
        for user_id in application.team.values_list("user_id", flat=True)
        if user_id is not None
    }
    return ids


def _current_affiliations() -> Prefetch:
    return Prefetch(
        "affiliations",
        queryset=Affiliation.objects.filter(end_date__isnull=True),
        to_attr="current_affiliations",
    )


def _coverage(
    application: Application, tree: _Tree, wanted: list[Skill]
) -> tuple[list[tuple[Skill, list[str]]], list[Skill], set[int], set[str]]:
    """What the team covers, what it lacks, its accounts, its invited addresses."""
    user_ids = team_user_ids(application)
    emails = {email.lower() for email in application.team.values_list("email", flat=True)}
    people = list(
        Person.objects.filter(user_id__in=user_ids).prefetch_related(
            "skills", _current_affiliations()
        )
    )
    organisation_ids = {application.organisation_id} | {
        org_id
        for org_id in application.team.values_list("organisation_id", flat=True)
        if org_id is not None
    }
    for person in people:
        organisation_ids |= {a.organisation_id for a in person.current_affiliations}  # type: ignore[attr-defined]
    organisations = list(
        Organisation.objects.filter(pk__in=organisation_ids).prefetch_related("skills")
    )
    holders: list[tuple[str, list[int]]] = [
        (p.display_name, [s.pk for s in p.skills.all()]) for p in people
    ] + [(o.name, [s.pk for s in o.skills.all()]) for o in organisations]
    covered: list[tuple[Skill, list[str]]] = []
    missing: list[Skill] = []
    for skill in wanted:
        names = [name for name, have in holders if any(tree.meets(h, skill.pk) for h in have)]
        if names:
            covered.append((skill, names))
        else:
            missing.append(skill)
    return covered, missing, user_ids, emails


def _matches(tree: _Tree, have: list[Skill], missing: list[Skill]) -> list[Match]:
    found = []
    for wanted in missing:
        exact = next((s for s in have if s.pk == wanted.pk), None)
        if exact is not None:
            found.append(Match(wanted=wanted))
            continue
        near = next((s for s in have if tree.meets(s.pk, wanted.pk)), None)
        if near is not None:
            found.append(Match(wanted=wanted, via=near))
    return found


def find_partners(
    application: Application, viewer: User, extra: list[Skill] | None = None
) -> Partners:
    """The page's content for ``viewer`` (who manages the application's team: the caller's
    gatekeeper checked it)."""
    from_genre = genre_skills(application)
    wanted = list({s.pk: s for s in [*from_genre, *(extra or [])]}.values())
    tree = _Tree()
    covered, missing, user_ids, emails = _coverage(application, tree, wanted)
    people: list[Candidate] = []
    organisations: list[Candidate] = []
    if missing:
        related = tree.related({s.pk for s in missing})
        matching_skills = Prefetch(
            "skills", queryset=Skill.objects.filter(pk__in=related), to_attr="matching_skills"
        )
        excluded = user_ids | blocked_either_way_ids(viewer.pk) | {viewer.pk}
        # The team's invitations by address: the same person, whatever the account.
        found = (
            visible_people_with_accounts(viewer)
            .filter(skills__in=related)
            .exclude(user_id__in=excluded)
            .exclude(Q(user__email__in=emails))
            .distinct()
            .prefetch_related(matching_skills)
        )
        for person in found:
            # Matching on skills the viewer may not see would reveal them.
            if "skills" not in visible_fields(person, viewer) or person.user is None:
                continue
            if person.user.email.lower() in emails:
                continue
            matches = _matches(tree, person.matching_skills, missing)
            if matches:
                people.append(Candidate(person=person, matches=matches))
        people.sort(key=Candidate.sort_key)
        people = people[:MAX_PEOPLE]

        team_organisations = {application.organisation_id} | {
            org_id
            for org_id in application.team.values_list("organisation_id", flat=True)
            if org_id is not None
        }
        for organisation in (
            Organisation.objects.filter(skills__in=related)
            .exclude(pk__in=team_organisations)
            .distinct()
            .prefetch_related(matching_skills)
        ):
            matches = _matches(tree, organisation.matching_skills, missing)
            if matches:
                organisations.append(Candidate(organisation=organisation, matches=matches))
        organisations.sort(key=Candidate.sort_key)
        organisations = organisations[:MAX_ORGANISATIONS]
        _attach_contacts(organisations, viewer, excluded, emails)
    return Partners(
        application=application,
        wanted=wanted,
        covered=covered,
        missing=missing,
        people=people,
        organisations=organisations,
        genre_has_skills=bool(from_genre),
    )


def visible_people_with_accounts(viewer: User) -> QuerySet[Person]:
    """Profiles ``viewer`` may see that belong to an active account (who can be invited)."""
    return (
        visible_people(viewer)
        .filter(user__isnull=False, user__is_active=True)
        .select_related("user")
    )


def _attach_contacts(
    organisations: list[Candidate], viewer: User, excluded: set[int], emails: set[str]
) -> None:
    """Each proposed organisation's current members the lead may see and invite (one query)."""
    by_id = {c.organisation.pk: c for c in organisations if c.organisation is not None}
    if not by_id:
        return
    ties = (
        Affiliation.objects.filter(
            visibility_q(viewer, prefix="person__"),
            organisation_id__in=list(by_id),
            end_date__isnull=True,
            person__user__isnull=False,
            person__user__is_active=True,
        )
        .exclude(person__user_id__in=excluded)
        .select_related("person__user")
        .order_by("person__last_name", "person__first_name", "id")
    )
    for tie in ties:
        candidate = by_id[tie.organisation_id]
        person = tie.person
        if person.user is None or person.user.email.lower() in emails:
            continue
        if len(candidate.contacts) < MAX_CONTACTS and person not in candidate.contacts:
            candidate.contacts.append(person)
