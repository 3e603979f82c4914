"""The skills vocabulary's seed file (``data/skills.csv``), the matching of typed tags against
it, and the moves that merge one entry into another.

This module imports no model of the app: the data migration passes its historical ``Skill``
model, the management command and the services the current one, so that all three load and
merge the same way.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

DATA_FILE = Path(__file__).resolve().parent / "data" / "skills.csv"
CURATED, PROPOSED = "curated", "proposed"
ROME_CODE = re.compile(r"[A-N]\d{4}")
SYNONYM_SEPARATOR = "|"


@dataclass(frozen=True)
class Entry:
    """One row of the seed file: ``parent`` is the slug of the broader entry ("" for a domain)."""

    slug: str
    parent: str
    name: str
    label_en: str
    label_nl: str
    synonyms: tuple[str, ...]
    rome_codes: str
    sort_order: int


def read_vocabulary(path: Path = DATA_FILE) -> list[Entry]:
    """The seed file's entries, in file order (a parent always comes before its children)."""
    with path.open(encoding="utf-8", newline="") as handle:
        return [
            Entry(
                slug=row["slug"],
                parent=row["parent"],
                name=row["name"],
                label_en=row["label_en"],
                label_nl=row["label_nl"],
                synonyms=split_synonyms(row["synonyms"]),
                rome_codes=row["rome_codes"],
                sort_order=int(row["sort_order"]),
            )
            for row in csv.DictReader(handle)
        ]


def split_synonyms(text: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in text.split(SYNONYM_SEPARATOR) if part.strip())


def match_key(text: str) -> str:
    """What two spellings of one tag have in common: no case, no accents, no punctuation but
    the ``+`` and ``#`` of C++ and C#, single spaces ("Étalonnage" and "etalonnage",
    "3D-modelling" and "3d modelling" give the same key)."""
    text = text.replace("œ", "oe").replace("Œ", "oe").replace("æ", "ae").replace("Æ", "ae")
    text = unicodedata.normalize("NFKD", text)
    text = "".join(char for char in text if not unicodedata.combining(char)).casefold()
    return " ".join(re.sub(r"[^0-9a-z+#]+", " ", text).split())


class SkillLike(Protocol):
    pk: Any
    slug: str
    name: str
    label_en: str
    label_nl: str
    synonyms: list[str]
    status: str


def label_keys(skill: SkillLike) -> set[str]:
    return {match_key(text) for text in (skill.slug, skill.name, skill.label_en, skill.label_nl)}


def synonym_keys(skill: SkillLike) -> set[str]:
    return {match_key(text) for text in skill.synonyms or () if isinstance(text, str)}


@dataclass
class SkillIndex:
    """Finds the entry a typed name stands for: a label (slug, French, English or Dutch name)
    before a synonym, a curated entry before a proposed one."""

    by_label: dict[str, Any] = field(default_factory=dict)
    by_synonym: dict[str, Any] = field(default_factory=dict)
    slugs: set[str] = field(default_factory=set)

    @classmethod
    def of(cls, skills: Iterable[SkillLike]) -> SkillIndex:
        index = cls()
        # Proposed first, so that a curated entry's keys overwrite theirs.
        for skill in sorted(skills, key=lambda skill: skill.status == CURATED):
            index.slugs.add(skill.slug)
            for key in label_keys(skill) - {""}:
                index.by_label[key] = skill
            for key in synonym_keys(skill) - {""}:
                index.by_synonym[key] = skill
        return index

    def find(self, text: str) -> Any | None:
        key = match_key(text)
        return self.by_label.get(key) or self.by_synonym.get(key)


def merged_synonyms(target: SkillLike, source: SkillLike) -> list[str]:
    """The target's synonyms, plus the source's names and synonyms that the target's labels and
    synonyms do not already say."""
    known = label_keys(target) | synonym_keys(target)
    synonyms = list(target.synonyms or [])
    for text in (source.name, source.label_en, source.label_nl, *(source.synonyms or [])):
        key = match_key(text) if isinstance(text, str) else ""
        if key and key not in known:
            known.add(key)
            synonyms.append(text)
    return synonyms


def move_links(skill_model: Any, source: Any, target: Any) -> dict[str, int]:
    """Point every row that refers to ``source`` at ``target`` instead, for every relation to
    the model (people, organisations, experts' profiles, genres, and whatever a later app
    adds), found through ``_meta.related_objects``; a link the target already has is dropped.
    Returns the number of rows moved per relation ("community.person.skills": 3)."""
    moved: dict[str, int] = {}
    for relation in skill_model._meta.related_objects:
        remote = relation.field
        label = f"{relation.related_model._meta.label_lower}.{remote.name}"
        if relation.many_to_many:
            rows = relation.through._default_manager
            owner, skill = remote.m2m_field_name(), remote.m2m_reverse_field_name()
            already = rows.filter(**{skill: target.pk}).values(owner)
            count = (
                rows.filter(**{skill: source.pk})
                .exclude(**{f"{owner}__in": already})
                .update(**{skill: target.pk})
            )
            rows.filter(**{skill: source.pk}).delete()
        else:
            rows = relation.related_model._default_manager
            count = rows.filter(**{remote.name: source.pk}).update(**{remote.name: target.pk})
        if count:
            moved[label] = count
    return moved


def merge_into(skill_model: Any, source: Any, target: Any) -> dict[str, int]:
    """Merge ``source`` into ``target``: its links move, its names become synonyms of the
    target, and it is deleted. The caller checks that ``target`` is not under ``source``."""
    moved = move_links(skill_model, source, target)
    target.synonyms = merged_synonyms(target, source)
    target.save(update_fields=["synonyms"])
    source.delete()
    return moved


@dataclass
class LoadReport:
    created: int = 0
    updated: int = 0
    merged: list[tuple[str, str]] = field(default_factory=list)
    proposed: int = 0


def apply_vocabulary(
    skill_model: Any, entries: Sequence[Entry], *, propose_unknown: bool
) -> LoadReport:
    """Create or update every entry of the file (matched on its slug; synonyms an entry gained
    from merges are kept), then merge each other entry whose slug, name or synonym the file's
    labels or synonyms say into that entry. With ``propose_unknown``, the remaining ones
    become ``proposed``: free tags awaiting curation, never deleted."""
    report = LoadReport()
    in_file: dict[str, Any] = {}
    existing = {skill.slug: skill for skill in skill_model._default_manager.all()}
    for entry in entries:
        values = {
            "name": entry.name,
            "label_en": entry.label_en,
            "label_nl": entry.label_nl,
            "parent": in_file[entry.parent] if entry.parent else None,
            "rome_codes": entry.rome_codes,
            "sort_order": entry.sort_order,
            "status": CURATED,
        }
        skill = existing.get(entry.slug)
        if skill is None:
            skill = skill_model._default_manager.create(
                slug=entry.slug, synonyms=list(entry.synonyms), **values
            )
            report.created += 1
        else:
            for name, value in values.items():
                setattr(skill, name, value)
            known = synonym_keys(skill)
            skill.synonyms = list(skill.synonyms or []) + [
                text for text in entry.synonyms if match_key(text) not in known
            ]
            skill.save()
            report.updated += 1
        in_file[entry.slug] = skill
    index = SkillIndex.of(in_file.values())
    for slug, other in existing.items():
        if slug in in_file:
            continue
        target = next(
            filter(None, (index.find(text) for text in (other.slug, other.name, *other.synonyms))),
            None,
        )
        if target is not None:
            merge_into(skill_model, other, target)
            report.merged.append((slug, target.slug))
        elif propose_unknown and other.status != PROPOSED:
            other.status = PROPOSED
            other.save(update_fields=["status"])
            report.proposed += 1
    return report
