"""Load the reference data every database needs: territories, communes, sectors, professions.

Rows are matched on their natural key and updated, so running the loader again is harmless.
Later changes to the CSV files ship with a new migration calling the same loader.
"""

import csv
from pathlib import Path

from django.db import migrations

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
EPCI_CODES = {"200093201": "mel", "245901160": "valenciennes", "200042190": "porte-du-hainaut"}


def _rows(name):
    with (DATA_DIR / name).open(encoding="utf-8", newline="") as handle:
        yield from csv.DictReader(handle)


def load(apps, schema_editor):
    Territory = apps.get_model("community", "Territory")
    Commune = apps.get_model("community", "Commune")
    Sector = apps.get_model("community", "Sector")
    Profession = apps.get_model("community", "Profession")

    labels = ("label_fr", "label_en", "label_nl")
    territories = {}
    for row in _rows("territories.csv"):
        territories[row["code"]], _ = Territory.objects.update_or_create(
            code=row["code"],
            defaults={
                "kind": row["kind"],
                "country": row["country"],
                "siren": row["siren"],
                "sort_order": int(row["sort_order"]),
                **{key: row[key] for key in labels},
            },
        )
    for row in _rows("communes_epci_2025.csv"):
        Commune.objects.update_or_create(
            insee_code=row["code_insee"],
            defaults={
                "siren": row["commune_siren"],
                "name": row["commune_nom"],
                "population": int(row["population_totale_2025"]),
                "territory": territories[EPCI_CODES[row["epci_siren"]]],
            },
        )
    for row in _rows("sectors.csv"):
        Sector.objects.update_or_create(
            slug=row["slug"],
            defaults={"sort_order": int(row["sort_order"]), **{key: row[key] for key in labels}},
        )
    for row in _rows("professions.csv"):
        Profession.objects.update_or_create(
            slug=row["slug"],
            defaults={
                "sort_order": int(row["sort_order"]),
                "rome_code": row["rome_code"],
                "isco_code": row["isco_code"],
                **{key: row[key] for key in labels},
            },
        )


class Migration(migrations.Migration):
    dependencies = [("community", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
