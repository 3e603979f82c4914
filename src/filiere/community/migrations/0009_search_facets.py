"""``search_facets`` on people and organisations: their values in the directory's facets that live
in other tables, read with the row by the search instead of a join over four tables. Filled here
in the format of ``facet_tokens`` (one token per value: ``s`` skill and its broader
ones, ``o`` a skill the person named, ``p`` profession, ``c`` sector, ``k`` kind of a current
organisation); kept up to date by ``search_text`` from then on."""

from collections import defaultdict

from django.db import migrations, models

#: As ``facet_tokens.VOCABULARY_DEPTH``: a skill, its broader one and that one's broader one.
SKILL_DEPTH = 3


def _tokens(values):
    return " ".join(sorted({f"{mark}{value}" for mark, row in values for value in row}))


def fill(apps, schema_editor):
    Skill = apps.get_model("community", "Skill")
    Person = apps.get_model("community", "Person")
    Organisation = apps.get_model("community", "Organisation")
    Affiliation = apps.get_model("community", "Affiliation")
    parents = dict(Skill.objects.values_list("pk", "parent_id"))

    def broader(pk):
        for _depth in range(SKILL_DEPTH):
            if pk is None:
                return
            yield pk
            pk = parents.get(pk)

    def owned(through, owner, other):
        rows = defaultdict(list)
        for owner_pk, other_pk in through.objects.values_list(owner, other):
            rows[owner_pk].append(other_pk)
        return rows

    person_skills = owned(Person.skills.through, "person_id", "skill_id")
    professions = owned(Person.professions.through, "person_id", "profession_id")
    person_sectors = owned(Person.sectors.through, "person_id", "sector_id")
    kinds = defaultdict(list)
    for person_pk, kind in Affiliation.objects.filter(end_date__isnull=True).values_list(
        "person_id", "organisation__kind"
    ):
        kinds[person_pk].append(kind)
    people = []
    for person in Person.objects.only("pk"):
        person.search_facets = _tokens(
            [
                ("s", [pk for skill in person_skills[person.pk] for pk in broader(skill)]),
                ("o", person_skills[person.pk]),
                ("p", professions[person.pk]),
                ("c", person_sectors[person.pk]),
                ("k", kinds[person.pk]),
            ]
        )
        people.append(person)
    Person.objects.bulk_update(people, ["search_facets"], batch_size=500)

    organisation_skills = owned(Organisation.skills.through, "organisation_id", "skill_id")
    sectors = owned(Organisation.sectors.through, "organisation_id", "sector_id")
    organisations = []
    for organisation in Organisation.objects.only("pk"):
        organisation.search_facets = _tokens(
            [
                ("s", [pk for skill in organisation_skills[organisation.pk] for pk in broader(skill)]),
                ("c", sectors[organisation.pk]),
            ]
        )
        organisations.append(organisation)
    Organisation.objects.bulk_update(organisations, ["search_facets"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [("community", "0008_search_vectors")]

    operations = [
        migrations.AddField(
            model_name="person",
            name="search_facets",
            field=models.TextField(blank=True, editable=False),
        ),
        migrations.AddField(
            model_name="organisation",
            name="search_facets",
            field=models.TextField(blank=True, editable=False),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
