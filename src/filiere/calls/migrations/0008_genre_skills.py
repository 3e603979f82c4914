"""Genres are described with the skills vocabulary: what a team making such a work needs.

The seeded genres get their usual skills (entries of community's data/skills.csv, loaded by
community 0006); a genre or a skill that is missing is skipped, and the staff edit the rest.
"""

from django.db import migrations, models

GENRE_SKILLS = {
    "serious-game": [
        "game-design",
        "serious-games",
        "gameplay-programming",
        "game-art",
        "ux-research",
        "playtesting",
        "sound-design",
        "unity",
    ],
    "web-documentary": [
        "web-documentary",
        "documentary-filmmaking",
        "interactive-writing",
        "web-development",
        "ux-design",
        "film-editing",
        "sound-design",
    ],
    "animation-series": [
        "series-writing",
        "storyboarding",
        "character-design",
        "animation-2d",
        "animation-3d",
        "animation-directing",
        "compositing",
        "sound-design",
        "co-production",
    ],
    "local-documentary": [
        "documentary-filmmaking",
        "documentary-writing",
        "cinematography",
        "location-sound",
        "film-editing",
        "colour-grading",
        "mixing",
    ],
    "web-fiction-series": [
        "web-series",
        "screenwriting",
        "film-directing",
        "acting",
        "cinematography",
        "film-editing",
        "mixing",
        "community-management",
    ],
    "immersive-work": [
        "virtual-reality",
        "augmented-reality",
        "real-time-3d",
        "xr-interaction-design",
        "spatial-audio",
        "3d-modelling",
        "unreal-engine",
        "unity",
    ],
    "video-game": [
        "game-design",
        "level-design",
        "gameplay-programming",
        "game-art",
        "game-audio",
        "quality-assurance",
        "game-production",
    ],
}


def link(apps, schema_editor):
    Genre = apps.get_model("calls", "Genre")
    Skill = apps.get_model("community", "Skill")
    slugs = {slug for wanted in GENRE_SKILLS.values() for slug in wanted}
    skills = {skill.slug: skill for skill in Skill.objects.filter(slug__in=slugs)}
    for genre in Genre.objects.filter(code__in=GENRE_SKILLS):
        genre.skills.add(*(skills[slug] for slug in GENRE_SKILLS[genre.code] if slug in skills))


def unlink(apps, schema_editor):
    pass  # the field goes with the migration's reversal


class Migration(migrations.Migration):
    dependencies = [
        ("calls", "0007_files_scanned"),
        ("community", "0006_seed_skills_vocabulary"),
    ]

    operations = [
        migrations.AddField(
            model_name="genre",
            name="skills",
            field=models.ManyToManyField(
                blank=True, related_name="genres", to="community.skill", verbose_name="skills"
            ),
        ),
        migrations.RunPython(link, unlink),
    ]
