"""PostgreSQL: a GIN index per text search configuration (French, English, Dutch) on each text
the directory searches, the same expressions as ``selectors_directory`` (Django's
``SearchVector``), so that a search reads the index instead of parsing every text. Nothing on
SQLite, whose fallback scans the texts."""

from django.db import migrations

CONFIGS = ("french", "english", "dutch")
TEXTS = (
    ("community_person", "search_text"),
    ("community_person", "search_text_public"),
    ("community_organisation", "search_text"),
)


def _indexes():
    for table, column in TEXTS:
        for config in CONFIGS:
            name = f"{table.removeprefix('community_')}_{column}_{config}_fts"
            yield name, table, column, config


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, table, column, config in _indexes():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING GIN "
            f"(to_tsvector('{config}'::regconfig, COALESCE({column}, '')))"
        )


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, *_ in _indexes():
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("community", "0006_seed_skills_vocabulary")]

    operations = [migrations.RunPython(create_indexes, drop_indexes)]
