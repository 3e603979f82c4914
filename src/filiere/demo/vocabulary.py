"""The skills vocabulary in use in the demo: the generated organisations describe what they do
with it, some generated people list past works and say whether they are available, and the demo
member account fills in its own profile (skills, works, availability) as a member would, typing
one tag the vocabulary lacks (proposed to the curators).

The generated directory is written as ``demo.community`` writes it (rows in bulk, no audit entry
for people who never signed in); the member account goes through the community's services. The
directory's search texts are then rebuilt once, since bulk writes send no signal.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass

from filiere.accounts.models import User
from filiere.community.models import (
    Availability,
    Organisation,
    OrganisationKind,
    Person,
    Profession,
    Sector,
    Skill,
    Work,
)
from filiere.community.search_text import rebuild_all
from filiere.community.services import ProfileChanges, update_profile
from filiere.community.services_privacy import (
    PrivacyChanges,
    WorkData,
    add_work,
    update_profile_privacy,
)

from .community import DemoBuilder

# What a company does, read from its name (``organisations.COMPANY_PATTERNS``): first match.
COMPANY_KINDS = (
    ("games", re.compile(r"\b(Games|Interactive|Jeux|Play)\b")),
    ("immersive", re.compile(r"\b(XR|Immersive|Réalités|VR)\b")),
    ("post", re.compile(r"\b(Post|Son|VFX|Lab Image)\b")),
    ("animation", re.compile(r"\b(Animation|Anim|Pictures|Studios)\b|^Studio ")),
)
#: Vocabulary slugs: the first two always, then two or three of the others.
SKILLS_BY_KIND = {
    "production": (
        ("producing", "financing-plans"),
        (
            "co-production",
            "documentary-filmmaking",
            "budgeting",
            "project-development",
            "pitching",
            "public-funding",
            "short-film",
            "web-series",
        ),
    ),
    "animation": (
        ("animation-2d", "character-animation"),
        (
            "animation-3d",
            "storyboarding",
            "layout",
            "toon-boom-harmony",
            "tvpaint",
            "blender",
            "rigging",
            "compositing",
        ),
    ),
    "post": (
        ("film-editing", "colour-grading"),
        (
            "sound-editing",
            "mixing",
            "compositing",
            "davinci-resolve",
            "nuke",
            "mastering-delivery",
            "pro-tools",
        ),
    ),
    "games": (
        ("game-design", "gameplay-programming"),
        (
            "level-design",
            "unity",
            "unreal-engine",
            "serious-games",
            "game-art",
            "mobile-games",
            "playtesting",
            "game-audio",
        ),
    ),
    "immersive": (
        ("virtual-reality", "real-time-3d"),
        (
            "augmented-reality",
            "360-video",
            "unity",
            "immersive-installations",
            "spatial-audio",
            "xr-interaction-design",
            "projection-mapping",
        ),
    ),
    OrganisationKind.RESEARCH_LAB: (
        ("academic-research", "research-development"),
        (
            "hci",
            "prototyping",
            "motion-capture",
            "computer-graphics",
            "haptics",
            "usage-studies",
            "game-studies",
            "technology-transfer",
        ),
    ),
    OrganisationKind.SCHOOL: (
        ("teaching", "vocational-training"),
        ("workshops", "animation-3d", "game-design", "film-editing", "mentoring", "e-learning"),
    ),
    "body": (
        ("event-production", "communication"),
        (
            "public-funding",
            "european-funds",
            "entrepreneurship",
            "festival-strategy",
            "audience-development",
            "cultural-mediation",
        ),
    ),
}
#: Past works of generated people, by their first sector: (title, role) patterns.
WORKS = {
    "cinema": (("Les Terrils d'hiver", "court métrage"), ("La Filature", "long métrage")),
    "audiovisual": (("Frontières du Nord", "documentaire 52'"), ("Carnets de l'Escaut", "série")),
    "animation": (("Le Géant de Cassel", "série 26 × 7'"), ("Petit Hibou", "court métrage")),
    "video-games": (("Beffroi Quest", "jeu mobile"), ("Courées", "serious game")),
    "immersive": (("Mémoires de mine", "expérience VR"), ("Lumières du canal", "mapping vidéo")),
}
#: A tag the demo member types that the vocabulary lacks: proposed to the curators.
MEMBER_NEW_TAG = "Cartographie sonore"
MEMBER_SKILLS = [
    "Sound design",
    "Son pour le jeu vidéo",
    "Wwise",
    "FMOD",
    "Bruitage",
    "Son spatialisé",
    MEMBER_NEW_TAG,
]
MEMBER_WORKS = (
    WorkData(
        title="Courées, un serious game sur l'habitat ouvrier",
        year=2008,
        role="Sound design et intégration Wwise",
        description="Ambiances, bruitages et musique adaptative d'un jeu pédagogique de Roubaix.",
        url="",
    ),
    WorkData(
        title="Mémoires de mine",
        year=2007,
        role="Son spatialisé",
        description="Une visite en réalité virtuelle du carreau de fosse de Wallers-Arenberg.",
        url="",
    ),
)


@dataclass
class DemoVocabularyResult:
    organisations: int = 0
    organisation_skills: int = 0
    works: int = 0
    available: int = 0


def company_kind(name: str) -> str:
    for kind, pattern in COMPANY_KINDS:
        if pattern.search(name):
            return kind
    return "production"


def _kind_of(organisation: Organisation) -> str:
    if organisation.kind == OrganisationKind.COMPANY:
        return company_kind(organisation.name)
    if organisation.kind in SKILLS_BY_KIND:
        return str(organisation.kind)
    return "body"


def organisation_skill_slugs(organisation: Organisation, seed: int) -> list[str]:
    """Three to five slugs, the same for the same organisation and seed."""
    always, others = SKILLS_BY_KIND[_kind_of(organisation)]
    rng = random.Random(f"{seed}:{organisation.slug}")
    return [*always, *rng.sample(others, k=rng.randint(1, 3))]


def _organisation_skills(builder: DemoBuilder, skills: dict[str, Skill]) -> int:
    through = Organisation.skills.through
    rows = [
        through(organisation_id=organisation.pk, skill_id=skills[slug].pk)
        for organisation in builder.organisations
        for slug in organisation_skill_slugs(organisation, builder.seed)
        if slug in skills
    ]
    through.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


def _people_works(builder: DemoBuilder) -> tuple[int, int]:
    """One person in ten lists one or two past works; one in three says if they are free."""
    rng = random.Random(builder.seed + 11)
    sectors = dict(
        Person.sectors.through.objects.filter(
            person_id__in=[p.pk for p in builder.people]
        ).values_list("person_id", "sector__slug")
    )
    works = []
    available: dict[str, list[int]] = {}
    for person in builder.people:
        if rng.random() < 0.34:
            status = rng.choices(list(Availability.values), weights=[5, 3, 2])[0]
            available.setdefault(status, []).append(person.pk)
        patterns = WORKS.get(sectors.get(person.pk, ""), ())
        if patterns and rng.random() < 0.1:
            for position, (title, form) in enumerate(rng.sample(patterns, k=rng.randint(1, 2))):
                works.append(
                    Work(
                        person=person,
                        title=title,
                        year=rng.randint(2001, 2009),
                        role=form,
                        position=position,
                    )
                )
    Work.objects.bulk_create(works)
    for status, ids in available.items():
        Person.objects.filter(pk__in=ids).update(availability=status)
    return len(works), sum(len(ids) for ids in available.values())


def _member_profile(member: User) -> None:
    """The demo member fills in their profile as a member would (audited as theirs)."""
    person = Person.objects.filter(user=member).first()
    if person is None:
        return
    update_profile(
        person=person,
        by=member,
        changes=ProfileChanges(
            first_name=person.first_name,
            last_name=person.last_name,
            headline=person.headline,
            bio=(
                "Sound designer à Lille : ambiances, bruitages et musique interactive pour le jeu "
                "vidéo et les expériences immersives, du serious game à la visite en réalité "
                "virtuelle."
            ),
            territory=person.territory,
            visibility=person.visibility,
            languages=list(person.languages),
            professions=list(Profession.objects.filter(slug="sound-designer")),
            sectors=list(Sector.objects.filter(slug__in=["video-games", "immersive"])),
            skill_names=MEMBER_SKILLS,
            consent=True,
        ),
    )
    for work in MEMBER_WORKS:
        add_work(person=person, by=member, data=work)
    update_profile_privacy(
        person=person,
        by=member,
        changes=PrivacyChanges(availability=Availability.LIMITED, field_visibility={}),
    )


def seed_demo_vocabulary(builder: DemoBuilder, member: User | None) -> DemoVocabularyResult:
    """After ``builder.write()`` and the demo accounts: see the module's text."""
    slugs = {s for _kind, (a, b) in SKILLS_BY_KIND.items() for s in (*a, *b)}
    skills = {skill.slug: skill for skill in Skill.objects.filter(slug__in=slugs)}
    result = DemoVocabularyResult(organisations=len(builder.organisations))
    result.organisation_skills = _organisation_skills(builder, skills)
    result.works, result.available = _people_works(builder)
    if member is not None:
        _member_profile(member)
    rebuild_all()
    return result
