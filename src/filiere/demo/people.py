"""The demo's people: what they do (archetypes, skills) and how they describe themselves, in
their own language (headlines, bios). Templates only: no real person is described."""

from __future__ import annotations

from dataclasses import dataclass

from filiere.community.models import AffiliationRole, OrganisationKind

#: Faker locales of the people's names (the cluster and its Belgian neighbours).
LOCALES = ("fr_FR", "fr_BE", "nl_BE", "en_GB")

SKILLS = {
    "production": [
        "Financing plans",
        "Co-production",
        "Budgeting",
        "Pitching",
        "Distribution",
        "Rights management",
        "Documentary",
        "Web series",
        "European funds",
    ],
    "av": [
        "DaVinci Resolve",
        "Avid Media Composer",
        "Premiere Pro",
        "Pro Tools",
        "Steadicam",
        "Documentary",
        "Fiction writing",
        "Web documentary",
        "Colour grading",
        "Live sound",
        "Stereoscopy",
        "Virtual production",
    ],
    "animation": [
        "Blender",
        "Maya",
        "Houdini",
        "Nuke",
        "Toon Boom Harmony",
        "TVPaint",
        "After Effects",
        "ZBrush",
        "Substance Painter",
        "Storyboarding",
        "Rigging",
        "Motion capture",
        "Photogrammetry",
        "Stop motion",
    ],
    "games": [
        "Unity",
        "Unreal Engine",
        "Godot",
        "C++",
        "C#",
        "Serious games",
        "Level design",
        "Procedural generation",
        "Wwise",
        "FMOD",
        "Playtesting",
        "Game economy",
    ],
    "immersive": [
        "Virtual reality",
        "Augmented reality",
        "360° video",
        "Spatial audio",
        "Unity",
        "Unreal Engine",
        "Interaction design",
        "Transmedia",
        "Web documentary",
    ],
    "research": [
        "Computer vision",
        "Human-computer interaction",
        "Machine learning",
        "Computer graphics",
        "Haptics",
        "Virtual reality",
        "Python",
        "Cultural mediation",
        "Usage studies",
    ],
    "teaching": ["Teaching", "Curriculum design", "Workshops", "Mentoring", "Project management"],
}


@dataclass(frozen=True)
class Archetype:
    key: str
    weight: float
    professions: tuple[str, ...]
    sectors: tuple[str, ...]
    skills: tuple[str, ...]
    org_kinds: tuple[str, ...]
    roles: tuple[str, ...]


ARCHETYPES = (
    Archetype(
        "producer",
        0.14,
        ("producer", "executive-producer", "production-manager", "production-coordinator"),
        ("cinema", "audiovisual", "animation"),
        ("production",),
        (OrganisationKind.COMPANY,),
        (AffiliationRole.FOUNDER, AffiliationRole.EMPLOYEE),
    ),
    Archetype(
        "av_creator",
        0.20,
        (
            "director",
            "screenwriter",
            "cinematographer",
            "camera-operator",
            "editor",
            "colourist",
            "sound-engineer",
            "sound-designer",
            "composer",
            "assistant-director",
            "script-supervisor",
            "production-designer",
            "actor",
            "interactive-author",
        ),
        ("cinema", "audiovisual"),
        ("av",),
        (OrganisationKind.COMPANY,),
        (AffiliationRole.FREELANCE, AffiliationRole.EMPLOYEE),
    ),
    Archetype(
        "animation",
        0.17,
        (
            "storyboard-artist",
            "character-designer",
            "animator-2d",
            "animator-3d",
            "layout-artist",
            "rigger",
            "lighting-artist",
            "compositor",
            "vfx-supervisor",
            "graphic-artist",
            "motion-designer",
        ),
        ("animation", "cinema"),
        ("animation",),
        (OrganisationKind.COMPANY,),
        (AffiliationRole.EMPLOYEE, AffiliationRole.FREELANCE),
    ),
    Archetype(
        "games",
        0.15,
        (
            "game-designer",
            "level-designer",
            "narrative-designer",
            "gameplay-programmer",
            "technical-artist",
            "qa-tester",
            "ux-designer",
            "graphic-artist",
        ),
        ("video-games",),
        ("games",),
        (OrganisationKind.COMPANY,),
        (AffiliationRole.EMPLOYEE, AffiliationRole.FOUNDER),
    ),
    Archetype(
        "immersive",
        0.06,
        ("xr-developer", "ux-designer", "interactive-author", "technical-artist"),
        ("immersive", "video-games"),
        ("immersive",),
        (OrganisationKind.COMPANY,),
        (AffiliationRole.EMPLOYEE, AffiliationRole.FOUNDER),
    ),
    Archetype(
        "trainer",
        0.08,
        ("trainer", "higher-education-teacher"),
        ("animation", "video-games", "audiovisual"),
        ("teaching", "animation"),
        (OrganisationKind.SCHOOL,),
        (AffiliationRole.TEACHER,),
    ),
    Archetype(
        "researcher",
        0.08,
        ("researcher",),
        ("immersive", "video-games", "animation"),
        ("research",),
        (OrganisationKind.RESEARCH_LAB,),
        (AffiliationRole.RESEARCHER,),
    ),
    Archetype(
        "student",
        0.12,
        ("student",),
        ("animation", "video-games", "audiovisual", "immersive"),
        ("animation", "games"),
        (OrganisationKind.SCHOOL,),
        (AffiliationRole.STUDENT,),
    ),
)

# --- Texts (content of the demo, written in the person's own language) ----------------------

HEADLINES = {
    "fr": [
        "{profession} — {sector_label}",
        "{profession}, {years} ans d'expérience dans {sector}",
        "{profession} indépendant·e · {sector_label}",
        "{profession} chez {org}",
    ],
    "nl": [
        "{profession} — {sector_label}",
        "{profession} met {years} jaar ervaring in {sector}",
        "Freelance {profession} · {sector_label}",
    ],
    "en": [
        "{profession} — {sector_label}",
        "{profession} with {years} years in {sector}",
        "Freelance {profession} · {sector_label}",
    ],
}
BIOS = {
    "fr": [
        "Installé·e à {town}, je travaille depuis {years} ans dans {sector}. J'ai rejoint {org} "
        "et je m'intéresse particulièrement à {skill_a} et {skill_b}.",
        "Après une formation dans la région, j'ai travaillé dans {sector}, sur des projets "
        "diffusés en France et en Belgique. Mes outils : {skill_a}, {skill_b}.",
        "Je cherche des partenaires pour un projet de {genre}. Compétences : {skill_a}, "
        "{skill_b}. Basé·e à {town}.",
    ],
    "nl": [
        "Ik werk al {years} jaar in {sector}, vanuit {town}. Bij {org} houd ik me vooral bezig "
        "met {skill_a} en {skill_b}.",
        "Op zoek naar Franse partners voor een project rond {genre}. Vaardigheden: {skill_a}, "
        "{skill_b}.",
    ],
    "en": [
        "Based in {town}, I have worked in {sector} for {years} years, currently with {org}. "
        "Main interests: {skill_a} and {skill_b}.",
        "Looking for partners in the Euroregion for a {genre} project. Skills: {skill_a}, "
        "{skill_b}.",
    ],
}
# How each sector reads inside a sentence ("... years in {sector}").
SECTOR_PHRASES = {
    "fr": {
        "cinema": "le cinéma",
        "audiovisual": "l'audiovisuel",
        "animation": "l'animation",
        "video-games": "le jeu vidéo",
        "immersive": "les mondes virtuels et l'immersif",
    },
    "nl": {
        "cinema": "film",
        "audiovisual": "de audiovisuele sector",
        "animation": "animatie",
        "video-games": "games",
        "immersive": "virtuele werelden en XR",
    },
    "en": {
        "cinema": "cinema",
        "audiovisual": "television and audiovisual",
        "animation": "animation",
        "video-games": "video games",
        "immersive": "virtual worlds and XR",
    },
}
GENRES = {
    "fr": [
        "serious game",
        "webdocumentaire",
        "série d'animation",
        "documentaire de proximité",
        "série courte pour Internet",
        "expérience en réalité virtuelle",
    ],
    "nl": ["serious game", "webdocumentaire", "animatiereeks", "korte webreeks", "VR-ervaring"],
    "en": [
        "serious game",
        "web documentary",
        "animated series",
        "short web series",
        "VR experience",
    ],
}
