"""Seed the skills vocabulary from data/skills.csv (see filiere.community.skills_data).

Entries are matched on their slug, so running it again is harmless. The free tags members typed
before are kept: one that a label or synonym of the vocabulary names is merged into that entry
(its people, organisations and experts move there); the others become ``proposed`` entries that
the staff curate. Later changes to the file ship with ``manage.py load_skills_vocabulary``.
"""

from django.db import migrations

from filiere.community.skills_data import apply_vocabulary, read_vocabulary


def load(apps, schema_editor):
    skill_model = apps.get_model("community", "Skill")
    apply_vocabulary(skill_model, read_vocabulary(), propose_unknown=True)


def unload(apps, schema_editor):
    # The vocabulary stays: people and organisations may use its entries by now.
    pass


class Migration(migrations.Migration):
    dependencies = [("community", "0005_skills_vocabulary_works_privacy")]
    operations = [migrations.RunPython(load, unload)]
