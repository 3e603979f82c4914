"""PostgreSQL: the GIN indexes of the directory's text vectors (migration 0008) take each write
at once (``fastupdate = off``) instead of in a pending list merged later by (auto)vacuum.

Why: while a pending list holds entries, the planner prices reading the index far higher, and
after texts were rewritten in bulk (the demo, ``rebuild_search_text``, a skill merge) it scanned
the whole table instead, reading every stored vector: a search for a rare word took 20–30 ms at
3,000 people instead of 0.1–0.5 ms, until autovacuum came by. The texts change one profile at a
time otherwise, so writing the index directly costs little. Nothing on SQLite."""

from django.db import migrations

INDEXES = [
    f"{table}_{column}_tsv_{config}"
    for table, column in (
        ("person", "search_text"),
        ("person", "search_text_public"),
        ("organisation", "search_text"),
    )
    for config in ("french", "english", "dutch")
]


def pending_list_off(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for index in INDEXES:
        schema_editor.execute(f"ALTER INDEX IF EXISTS {index} SET (fastupdate = off)")
        # What the list holds already goes into the index now.
        schema_editor.execute(
            "SELECT gin_clean_pending_list(c.oid) FROM pg_class c WHERE c.relname = %s",
            [index],
        )


def pending_list_on(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for index in INDEXES:
        schema_editor.execute(f"ALTER INDEX IF EXISTS {index} RESET (fastupdate)")


class Migration(migrations.Migration):
    dependencies = [("community", "0009_search_facets")]

    operations = [migrations.RunPython(pending_list_off, pending_list_on)]
