"""The texts the directory searches: ``Person.search_text`` (what members may see of a profile),
``Person.search_text_public`` (what visitors may see) and ``Organisation.search_text``; and
``search_facets``, a row's values in the facets that live in other tables.

Each text is lower case with accents folded ("Chloé" → "chloe"), the name (and a person's
headline) first, then a line break, then the rest: the search ranks a word found before the
line break first. A field members may not see (``private``) is in neither text, a field
visitors may not see only in ``search_text``, so a search never reveals a field.

``search_facets`` (format: ``facet_tokens``) is rebuilt with them; the directory reads it with
the row and keeps, per viewer, only the values of the fields the viewer may see.

The texts follow every change, whoever writes it (services, the admin, the demo's builders):
``connect_signals`` (called by ``AppConfig.ready``) rebuilds them when a profile, its works,
skills, professions, sectors or affiliations, an organisation, its skills or sectors, or a
skill's or profession's labels change. Bulk writes send no signal: they call
``refresh_search_text``, and ``manage.py rebuild_search_text`` rebuilds every text (once after
an upgrade).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from django.db.models import Model, Prefetch, Q, QuerySet
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete

from .facet_tokens import VOCABULARY_DEPTH, facet_text
from .folding import normalise
from .models import (
    Affiliation,
    Organisation,
    Person,
    Profession,
    Sector,
    Skill,
    Visibility,
    Work,
)
from .visibility import audience_of

#: Rows rebuilt per batch by ``rebuild_all``.
BATCH = 500


def _joined(head: Iterable[str], body: Iterable[str]) -> str:
    first = normalise(" ".join(part for part in head if part))
    rest = normalise(" ".join(part for part in body if part))
    return f"{first}\n{rest}"


def _skill_words(skill: Skill) -> Iterator[str]:
    yield from (skill.name, skill.label_en, skill.label_nl, *map(str, skill.synonyms or ()))
    # The broader skills' labels too: "animation" finds the riggers and the layout artists.
    broader = skill.parent
    while broader is not None:
        yield from (broader.name, broader.label_en, broader.label_nl)
        broader = broader.parent


def _labels(row: Profession | Sector) -> tuple[str, str, str]:
    return (row.label_fr, row.label_en, row.label_nl)


def _current_ties(person: Person) -> Iterable[Affiliation]:
    current = getattr(person, "current_affiliations", None)
    if current is None:
        current = person.affiliations.filter(end_date__isnull=True).select_related("organisation")
    return current


def person_texts(person: Person) -> tuple[str, str]:
    """``(search_text, search_text_public)`` of a person whose skills (with their parent),
    professions, works and ``current_affiliations`` are prefetched."""
    fields: dict[str, list[str]] = {
        "headline": [person.headline],
        "bio": [person.bio],
        "works": [
            part
            for work in person.works.all()
            for part in (work.title, work.role, work.description)
        ],
        "skills": [word for skill in person.skills.all() for word in _skill_words(skill)],
        "organisations": [tie.organisation.name for tie in _current_ties(person)],
    }
    # Names and professions belong to the profile itself: whoever sees it sees them.
    names = [person.first_name, person.last_name]
    professions = [label for row in person.professions.all() for label in _labels(row)]
    audiences = {field: audience_of(person, field) for field in fields}

    def text(allowed: set[str], profile_seen: bool) -> str:
        if not profile_seen:
            return ""
        shown = {field for field, audience in audiences.items() if audience in allowed}
        head = [*names, *(fields["headline"] if "headline" in shown else [])]
        body = [*professions]
        for field in ("bio", "works", "skills", "organisations"):
            if field in shown:
                body.extend(fields[field])
        return _joined(head, body)

    members = text({Visibility.PUBLIC, Visibility.MEMBERS}, True)
    public = text({Visibility.PUBLIC}, person.visibility == Visibility.PUBLIC)
    return members, public


def _broader_ids(skill: Skill) -> Iterator[int]:
    """The skill and its broader ones (``skill.parent`` selected with its own parent)."""
    level: Skill | None = skill
    for _depth in range(VOCABULARY_DEPTH):
        if level is None:
            return
        yield level.pk
        level = level.parent


def person_facets(person: Person) -> str:
    """``search_facets`` of a person prefetched as for ``person_texts`` (and sectors)."""
    return facet_text(
        skills=(pk for skill in person.skills.all() for pk in _broader_ids(skill)),
        named_skills=(skill.pk for skill in person.skills.all()),
        professions=(row.pk for row in person.professions.all()),
        sectors=(row.pk for row in person.sectors.all()),
        kinds=(tie.organisation.kind for tie in _current_ties(person)),
    )


def organisation_facets(organisation: Organisation) -> str:
    """``search_facets`` of an organisation prefetched as for ``organisation_text``."""
    return facet_text(
        skills=(pk for skill in organisation.skills.all() for pk in _broader_ids(skill)),
        sectors=(row.pk for row in organisation.sectors.all()),
    )


def organisation_text(organisation: Organisation) -> str:
    """The text of an organisation whose skills (with their parent) and sectors are prefetched."""
    body = [organisation.description]
    body += [word for skill in organisation.skills.all() for word in _skill_words(skill)]
    body += [label for sector in organisation.sectors.all() for label in _labels(sector)]
    return _joined([organisation.name], body)


def _people_for_texts(ids: Iterable[int] | None) -> QuerySet[Person]:
    people = Person.objects.all() if ids is None else Person.objects.filter(pk__in=list(ids))
    return people.order_by("pk").prefetch_related(
        Prefetch("skills", Skill.objects.select_related("parent__parent")),
        "professions",
        "sectors",
        Prefetch("works", Work.objects.order_by("position", "id")),
        Prefetch(
            "affiliations",
            Affiliation.objects.filter(end_date__isnull=True)
            .select_related("organisation")
            .order_by("id"),
            to_attr="current_affiliations",
        ),
    )


def _organisations_for_texts(ids: Iterable[int] | None) -> QuerySet[Organisation]:
    rows = Organisation.objects.all()
    if ids is not None:
        rows = rows.filter(pk__in=list(ids))
    return rows.order_by("pk").prefetch_related(
        Prefetch("skills", Skill.objects.select_related("parent__parent")), "sectors"
    )


def _batches(queryset: QuerySet[Any]) -> Iterator[list[Any]]:
    """``queryset`` in slices of ``BATCH`` by primary key, each with its prefetches."""
    last = 0
    while True:
        batch = list(queryset.filter(pk__gt=last)[:BATCH])
        if not batch:
            return
        yield batch
        last = batch[-1].pk


def refresh_people(ids: Iterable[int] | None = None) -> int:
    """Rebuild the texts and facets of these people (every person when ``ids`` is None);
    return how many changed. A constant number of queries per batch of ``BATCH`` people."""
    changed = 0
    columns = ["search_text", "search_text_public", "search_facets"]
    for batch in _batches(_people_for_texts(ids)):
        stale = []
        for person in batch:
            rebuilt = (*person_texts(person), person_facets(person))
            if tuple(getattr(person, column) for column in columns) != rebuilt:
                for column, value in zip(columns, rebuilt, strict=True):
                    setattr(person, column, value)
                stale.append(person)
        # bulk_update: no signal, no ``updated_at`` change (the profile itself did not change).
        Person.objects.bulk_update(stale, columns)
        changed += len(stale)
    return changed


def refresh_organisations(ids: Iterable[int] | None = None) -> int:
    """Rebuild the texts and facets of these organisations (all when ``ids`` is None); return
    how many changed."""
    changed = 0
    for batch in _batches(_organisations_for_texts(ids)):
        stale = []
        for organisation in batch:
            rebuilt = (organisation_text(organisation), organisation_facets(organisation))
            if (organisation.search_text, organisation.search_facets) != rebuilt:
                organisation.search_text, organisation.search_facets = rebuilt
                stale.append(organisation)
        Organisation.objects.bulk_update(stale, ["search_text", "search_facets"])
        changed += len(stale)
    return changed


def refresh_search_text(
    *, person_ids: Iterable[int] = (), organisation_ids: Iterable[int] = ()
) -> None:
    """For writers that send no signal (``bulk_create``, ``update``, through-table rows)."""
    person_ids, organisation_ids = list(person_ids), list(organisation_ids)
    if person_ids:
        refresh_people(person_ids)
    if organisation_ids:
        refresh_organisations(organisation_ids)


def rebuild_all() -> tuple[int, int]:
    """Every text: ``(people changed, organisations changed)``."""
    return refresh_people(None), refresh_organisations(None)


def refresh_for_skills(skill_ids: Iterable[int]) -> None:
    """After a skill's labels, synonyms or broader skill changed: the people and organisations
    described by it or by a narrower skill (two levels down, as deep as the vocabulary)."""
    ids = list(skill_ids)
    skills = Q(skill_id__in=ids) | Q(skill__parent_id__in=ids) | Q(skill__parent__parent_id__in=ids)
    refresh_search_text(
        person_ids=Person.skills.through.objects.filter(skills).values_list("person_id", flat=True),
        organisation_ids=Organisation.skills.through.objects.filter(skills).values_list(
            "organisation_id", flat=True
        ),
    )


# --- Signals: the texts follow every write ----------------------------------------------------


def _on_person_saved(sender: type[Model], instance: Person, raw: bool = False, **_: Any) -> None:
    if not raw:
        refresh_people([instance.pk])


def _on_tie_changed(sender: type[Model], instance: Work | Affiliation, **kwargs: Any) -> None:
    if not kwargs.get("raw"):
        refresh_people([instance.person_id])


def _on_organisation_saved(
    sender: type[Model], instance: Organisation, raw: bool = False, **_: Any
) -> None:
    if raw:
        return
    refresh_organisations([instance.pk])
    # Its name is in the texts of the people who work there.
    refresh_people(
        Affiliation.objects.filter(organisation_id=instance.pk, end_date__isnull=True).values_list(
            "person_id", flat=True
        )
    )


def _on_skill_saved(sender: type[Model], instance: Skill, raw: bool = False, **_: Any) -> None:
    if not raw:
        refresh_for_skills([instance.pk])


def _on_skill_deleting(sender: type[Model], instance: Skill, **_: Any) -> None:
    # The through rows go with the skill, without m2m signals: note who had it.
    described = (
        Q(skill_id=instance.pk)
        | Q(skill__parent_id=instance.pk)
        | Q(skill__parent__parent_id=instance.pk)
    )
    instance._search_text_owners = (  # type: ignore[attr-defined]
        list(Person.skills.through.objects.filter(described).values_list("person_id", flat=True)),
        list(
            Organisation.skills.through.objects.filter(described).values_list(
                "organisation_id", flat=True
            )
        ),
    )


def _on_skill_deleted(sender: type[Model], instance: Skill, **_: Any) -> None:
    people, organisations = getattr(instance, "_search_text_owners", ([], []))
    refresh_search_text(person_ids=people, organisation_ids=organisations)


def _on_profession_saved(
    sender: type[Model], instance: Profession, raw: bool = False, **_: Any
) -> None:
    if not raw:
        refresh_people(instance.people.values_list("pk", flat=True))


def _on_sector_saved(sender: type[Model], instance: Sector, raw: bool = False, **_: Any) -> None:
    if not raw:
        refresh_organisations(instance.organisations.values_list("pk", flat=True))


# through model → (the owner's column, the other side's column, how to refresh owners)
_M2M: dict[type[Model], tuple[str, str, Any]] = {}


def _on_m2m_changed(
    sender: type[Model],
    instance: Model,
    action: str,
    reverse: bool,
    pk_set: set[int] | None,
    **_: Any,
) -> None:
    owner, other, refresh = _M2M[sender]
    if action == "pre_clear" and reverse:
        instance._search_text_owners = list(  # type: ignore[attr-defined]
            sender._default_manager.filter(**{other: instance.pk}).values_list(owner, flat=True)
        )
        return
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if action != "post_clear" and not pk_set:
        return
    if not reverse:
        refresh([instance.pk])
    elif action == "post_clear":
        refresh(getattr(instance, "_search_text_owners", []))
    else:
        refresh(pk_set)


def connect_signals() -> None:
    uid = "community.search_text"
    post_save.connect(_on_person_saved, sender=Person, dispatch_uid=f"{uid}.person")
    for model in (Work, Affiliation):
        post_save.connect(_on_tie_changed, sender=model, dispatch_uid=f"{uid}.{model.__name__}")
        post_delete.connect(
            _on_tie_changed, sender=model, dispatch_uid=f"{uid}.{model.__name__}.delete"
        )
    post_save.connect(_on_organisation_saved, sender=Organisation, dispatch_uid=f"{uid}.org")
    post_save.connect(_on_skill_saved, sender=Skill, dispatch_uid=f"{uid}.skill")
    pre_delete.connect(_on_skill_deleting, sender=Skill, dispatch_uid=f"{uid}.skill.deleting")
    post_delete.connect(_on_skill_deleted, sender=Skill, dispatch_uid=f"{uid}.skill.deleted")
    post_save.connect(_on_profession_saved, sender=Profession, dispatch_uid=f"{uid}.profession")
    post_save.connect(_on_sector_saved, sender=Sector, dispatch_uid=f"{uid}.sector")
    _M2M.update(
        {
            Person.skills.through: ("person_id", "skill_id", refresh_people),
            Person.professions.through: ("person_id", "profession_id", refresh_people),
            Person.sectors.through: ("person_id", "sector_id", refresh_people),
            Organisation.skills.through: ("organisation_id", "skill_id", refresh_organisations),
            Organisation.sectors.through: ("organisation_id", "sector_id", refresh_organisations),
        }
    )
    for through in _M2M:
        m2m_changed.connect(
            _on_m2m_changed, sender=through, dispatch_uid=f"{uid}.m2m.{through.__name__}"
        )
