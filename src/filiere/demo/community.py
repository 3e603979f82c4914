"""A seeded, reproducible picture of the Pôle Images cluster at its 2009 launch (demo data).

About 300 professionals, 100 companies, 6 research labs, 4 schools, a few professional bodies
and associations, and Walloon, Flemish and Brussels partners, spread over the territories with
weights close to reality (most in the Lille metropolis, anchors in Tourcoing, Roubaix, Lille,
Valenciennes and Wallers). Names come from Faker; organisation names, headlines and bios from
templates: no real person is described. Identifiers are valid (Luhn, mod 97) but random.

Everything the demo creates is flagged ``is_demo``; loading again first removes it, so the
same seed always gives the same picture. Rows are written with ``bulk_create``.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.utils.text import slugify
from faker import Faker

from filiere.community.models import (
    Affiliation,
    AffiliationRole,
    Commune,
    Organisation,
    OrganisationKind,
    Person,
    Profession,
    Sector,
    Territory,
    Visibility,
)
from filiere.community.services import skills_by_name
from filiere.engine.identifiers import make_bce, make_siren, make_siret

from .organisations import (
    BELGIAN_PARTNERS,
    BODIES,
    COMPANY_PATTERNS,
    COMPANY_PROFILES,
    LABS,
    ORG_DESCRIPTIONS,
    PLACES,
    SCHOOLS,
)
from .people import ARCHETYPES, BIOS, GENRES, HEADLINES, LOCALES, SECTOR_PHRASES, SKILLS
from .places import ANCHOR_BY_NAME, ANCHORS, CLUSTER_TERRITORIES, TERRITORY_WEIGHTS

# (person, organisation, role, start, end) of one affiliation to write.
AffiliationRow = tuple[Person, Organisation, str, dt.date, dt.date | None]


@dataclass
class DemoCounts:
    people: int = 0
    organisations: Counter = field(default_factory=Counter)
    affiliations: int = 0


def _scaled(base: int, scale: float) -> int:
    return max(1, round(base * scale))


class DemoBuilder:
    """Builds the demo rows in memory, then writes them in a few bulk inserts."""

    def __init__(self, *, seed: int, scale: float, today: dt.date):
        self.seed = seed
        self.scale = scale
        self.today = today
        self.rng = random.Random(seed)
        self.fakers = {}
        for offset, locale in enumerate(LOCALES):
            faker = Faker(locale)
            faker.seed_instance(seed + offset)
            self.fakers[locale] = faker
        self.territories = {t.code: t for t in Territory.objects.all()}
        self.sectors = {s.slug: s for s in Sector.objects.all()}
        self.professions = {p.slug: p for p in Profession.objects.all()}
        self.communes_by_territory: dict[str, list[Commune]] = {}
        for commune in Commune.objects.select_related("territory").order_by("insee_code"):
            self.communes_by_territory.setdefault(commune.territory.code, []).append(commune)
        self.communes = {c.insee_code: c for cs in self.communes_by_territory.values() for c in cs}
        self.used_slugs: set[str] = set(Person.objects.values_list("slug", flat=True)) | set(
            Organisation.objects.values_list("slug", flat=True)
        )
        self.used_numbers: set[str] = set()
        self.counts = DemoCounts()

    # -- helpers -----------------------------------------------------------------------

    def unique_slug(self, text: str) -> str:
        stem = slugify(text)[:70] or "demo"
        candidate, n = stem, 1
        while candidate in self.used_slugs:
            n += 1
            candidate = f"{stem}-{n}"
        self.used_slugs.add(candidate)
        return candidate

    def _digits(self, count: int, first: str = "") -> str:
        while True:
            number = first + "".join(
                self.rng.choice("0123456789") for _ in range(count - len(first))
            )
            if number not in self.used_numbers and int(number) > 0:
                self.used_numbers.add(number)
                return number

    def _siren(self) -> str:
        return make_siren(self._digits(8, first=self.rng.choice("3456789")))

    def _bce(self) -> str:
        return make_bce(self._digits(8, first="0"))

    def _french_territory(self) -> str:
        codes = list(TERRITORY_WEIGHTS)
        return self.rng.choices(codes, weights=[TERRITORY_WEIGHTS[c] for c in codes])[0]

    def _commune(self, territory_code: str) -> Commune | None:
        communes = self.communes_by_territory.get(territory_code)
        if not communes:
            return None
        weights = [ANCHORS.get(c.insee_code, 0) * 20_000 + c.population for c in communes]
        return self.rng.choices(communes, weights=weights)[0]

    def _year(self, low: int = 1990, high: int = 2009) -> int:
        return self.rng.randint(low, high)

    # -- organisations -------------------------------------------------------------------

    def build_organisations(self) -> list[tuple[Organisation, list[str]]]:
        rows: list[tuple[Organisation, list[str]]] = []
        names: set[str] = set()

        def unique_name(name: str) -> str:
            candidate, n = name, 1
            while candidate in names:
                n += 1
                candidate = f"{name} {n}"
            names.add(candidate)
            return candidate

        profiles = COMPANY_PROFILES
        for _ in range(_scaled(100, self.scale)):
            kind, _w, sectors, nafs = self.rng.choices(profiles, weights=[p[1] for p in profiles])[
                0
            ]
            name = unique_name(
                self.rng.choice(COMPANY_PATTERNS[kind]).format(p=self.rng.choice(PLACES))
            )
            rows.append(self._french_org(name, OrganisationKind.COMPANY, sectors, nafs))
        for i in range(_scaled(6, self.scale)):
            base, town = LABS[i % len(LABS)]
            rows.append(
                self._french_org(
                    unique_name(base),
                    OrganisationKind.RESEARCH_LAB,
                    ("immersive", "video-games", "animation"),
                    ("72.19Z",),
                    anchor=town,
                )
            )
        for i in range(_scaled(4, self.scale)):
            base, town = SCHOOLS[i % len(SCHOOLS)]
            rows.append(
                self._french_org(
                    unique_name(base),
                    OrganisationKind.SCHOOL,
                    ("animation", "video-games", "audiovisual"),
                    ("85.42Z",),
                    anchor=town,
                )
            )
        for i in range(_scaled(len(BODIES), self.scale)):
            base, kind = BODIES[i % len(BODIES)]
            org, chosen = self._french_org(
                unique_name(base), kind, tuple(self.sectors), ("94.99Z",), anchor="lille"
            )
            if kind == OrganisationKind.ASSOCIATION or kind == OrganisationKind.PROFESSIONAL_BODY:
                org.rna = "W" + self._digits(9, first="59")
            rows.append((org, chosen))
        for territory, patterns, places, sectors, count in BELGIAN_PARTNERS:
            for _ in range(_scaled(count, self.scale)):
                name = unique_name(self.rng.choice(patterns).format(p=self.rng.choice(places)))
                year = self._year()
                org = Organisation(
                    slug=self.unique_slug(name),
                    name=name,
                    kind=OrganisationKind.COMPANY,
                    bce_number=self._bce(),
                    # NACE-BEL: game publishing for the games studios, film production else.
                    nace_code="58.210" if " Games " in f" {name} " else "59.111",
                    territory=self.territories[territory],
                    country="BE",
                    website=f"https://{slugify(name)}.example.be",
                    description=self.rng.choice(ORG_DESCRIPTIONS).format(
                        name=name,
                        sector=SECTOR_PHRASES["fr"][sectors[0]],
                        town=self.territories[territory].label_fr,
                        year=year,
                    ),
                    is_demo=True,
                )
                rows.append((org, self.rng.sample(sectors, k=self.rng.randint(1, len(sectors)))))
        return rows

    def _french_org(
        self,
        name: str,
        kind: str,
        sectors: Sequence[str],
        nafs: Sequence[str],
        anchor: str | None = None,
    ) -> tuple[Organisation, list[str]]:
        commune: Commune | None
        if anchor:
            commune = self.communes[ANCHOR_BY_NAME[anchor]]
            territory = commune.territory
        else:
            code = self._french_territory()
            commune = self._commune(code)
            territory = commune.territory if commune else self.territories[code]
        siren = self._siren()
        year = self._year()
        town = commune.name if commune else "Paris"
        org = Organisation(
            slug=self.unique_slug(name),
            name=name,
            kind=kind,
            siren=siren,
            siret=make_siret(siren, "0001"),
            naf_code=self.rng.choice(nafs),
            seat_commune=commune,
            territory=territory,
            country="FR",
            website=f"https://{slugify(name)}.example.fr",
            description=self.rng.choice(ORG_DESCRIPTIONS).format(
                name=name, sector=SECTOR_PHRASES["fr"][sectors[0]], town=town, year=year
            ),
            is_demo=True,
        )
        chosen = self.rng.sample(list(sectors), k=self.rng.randint(1, min(2, len(sectors))))
        return org, chosen

    # -- people --------------------------------------------------------------------------

    def _person_place(self) -> tuple[str, str, str]:
        """(faker locale, text language, territory code)."""
        roll = self.rng.random()
        if roll < 0.86:
            return "fr_FR", "fr", self._french_territory()
        if roll < 0.91:
            return "fr_BE", "fr", self.rng.choice(["wallonia", "wallonia", "brussels"])
        if roll < 0.96:
            return "nl_BE", "nl", self.rng.choice(["flanders", "flanders", "brussels"])
        return "en_GB", "en", self.rng.choice(["mel", "france", "other"])

    def build_people(
        self, orgs_by_kind: dict[str, list[Organisation]]
    ) -> tuple[list[Person], list[tuple[list[str], list[str], list[str]]], list[AffiliationRow]]:
        people: list[Person] = []
        links: list[tuple[list[str], list[str], list[str]]] = []
        affiliations: list[AffiliationRow] = []
        archetypes = ARCHETYPES
        for _ in range(_scaled(300, self.scale)):
            archetype = self.rng.choices(archetypes, weights=[a.weight for a in archetypes])[0]
            locale, language, territory_code = self._person_place()
            faker = self.fakers[locale]
            first, last = faker.first_name(), faker.last_name()
            professions = self.rng.sample(
                archetype.professions, k=min(len(archetype.professions), self.rng.choice([1, 1, 2]))
            )
            if archetype.key == "student":
                professions.append(self.rng.choice((*ARCHETYPES[2].professions, "game-designer")))
            sectors = self.rng.sample(
                archetype.sectors, k=self.rng.randint(1, min(2, len(archetype.sectors)))
            )
            pool = sorted({s for group in archetype.skills for s in SKILLS[group]})
            skills = self.rng.sample(pool, k=min(len(pool), self.rng.randint(3, 6)))
            kind = self.rng.choice(archetype.org_kinds)
            org = self._pick_org(orgs_by_kind, kind, territory_code, sectors)
            years = self.rng.randint(1, 25) if archetype.key != "student" else 1
            labels = {"fr": "label_fr", "nl": "label_nl", "en": "label_en"}[language]
            commune = self._commune(territory_code)
            town = commune.name if commune else self.territories[territory_code].label_fr
            values = {
                "profession": getattr(self.professions[professions[0]], labels),
                "sector": SECTOR_PHRASES[language][sectors[0]],
                "sector_label": getattr(self.sectors[sectors[0]], labels),
                "years": years,
                "org": org.name if org else "",
                "town": town,
                "skill_a": skills[0],
                "skill_b": skills[1],
                "genre": self.rng.choice(GENRES[language]),
            }
            headlines = [h for h in HEADLINES[language] if org or "{org}" not in h]
            if archetype.key == "student":
                headlines = [h for h in headlines if "{years}" not in h and "ree" not in h]
                headlines = [h for h in headlines if "indépendant" not in h] or headlines
            bios = [b for b in BIOS[language] if org or "{org}" not in b]
            visibility = self.rng.choices(
                [Visibility.PUBLIC, Visibility.MEMBERS, Visibility.PRIVATE], weights=[80, 15, 5]
            )[0]
            consent = dt.datetime(2009, 7, 1, 10, tzinfo=dt.UTC) + dt.timedelta(
                days=self.rng.randint(0, 540), minutes=self.rng.randint(0, 600)
            )
            languages = {"fr_FR": ["fr"], "fr_BE": ["fr"], "nl_BE": ["nl", "fr"], "en_GB": ["en"]}[
                locale
            ][:]
            if "en" not in languages and self.rng.random() < 0.55:
                languages.append("en")
            if self.rng.random() < 0.05:
                languages.append("de")
            person = Person(
                slug=self.unique_slug(f"{first} {last}"),
                first_name=first,
                last_name=last,
                headline=self.rng.choice(headlines).format(**values)[:160],
                bio=self.rng.choice(bios).format(**values),
                languages=languages,
                territory=self.territories[territory_code],
                visibility=visibility,
                consent_at=consent,
                is_demo=True,
            )
            people.append(person)
            links.append((professions, sectors, skills))
            if org is not None:
                start = dt.date(self._year(2000 if years > 1 else 2008), self.rng.randint(1, 12), 1)
                affiliations.append((person, org, self.rng.choice(archetype.roles), start, None))
                if years > 8 and self.rng.random() < 0.3:
                    former = self._pick_org(
                        orgs_by_kind, OrganisationKind.COMPANY, territory_code, sectors
                    )
                    if former is not None and former is not org:
                        old_start = dt.date(start.year - self.rng.randint(3, 6), 9, 1)
                        affiliations.append(
                            (person, former, AffiliationRole.EMPLOYEE, old_start, start)
                        )
        return people, links, affiliations

    def _pick_org(
        self,
        orgs_by_kind: dict[str, list[Organisation]],
        kind: str,
        territory_code: str,
        sectors: list[str],
    ) -> Organisation | None:
        candidates = orgs_by_kind.get(kind, [])
        if not candidates:
            return None
        wanted = set(sectors)
        candidates = [o for o in candidates if self.org_sectors[o.pk] & wanted] or candidates
        nearby = [o for o in candidates if o.territory_id == self.territories[territory_code].pk]
        if nearby and self.rng.random() < 0.8:
            return self.rng.choice(nearby)
        return self.rng.choice(candidates)

    # -- writing -------------------------------------------------------------------------

    def write(self) -> DemoCounts:
        org_rows = self.build_organisations()
        organisations = Organisation.objects.bulk_create([org for org, _ in org_rows])
        OrgSector = Organisation.sectors.through
        OrgSector.objects.bulk_create(
            [
                OrgSector(organisation_id=org.pk, sector_id=self.sectors[slug].pk)
                for org, (_, slugs) in zip(organisations, org_rows, strict=True)
                for slug in slugs
            ]
        )
        self.org_sectors = {
            org.pk: set(slugs) for org, (_, slugs) in zip(organisations, org_rows, strict=True)
        }
        orgs_by_kind: dict[str, list[Organisation]] = {}
        for org in organisations:
            orgs_by_kind.setdefault(org.kind, []).append(org)
            self.counts.organisations[org.kind] += 1

        people, links, affiliation_rows = self.build_people(orgs_by_kind)
        skill_names = sorted({name for _, _, skills in links for name in skills})
        # The vocabulary's entries these names stand for (English labels, synonyms...).
        skills = skills_by_name(skill_names)
        people = Person.objects.bulk_create(people)
        through = (Person.professions.through, Person.sectors.through, Person.skills.through)
        rows: tuple[list, list, list] = ([], [], [])
        for person, (professions, sectors, skill_list) in zip(people, links, strict=True):
            rows[0].extend(
                through[0](person_id=person.pk, profession_id=self.professions[p].pk)
                for p in professions
            )
            rows[1].extend(
                through[1](person_id=person.pk, sector_id=self.sectors[s].pk) for s in sectors
            )
            rows[2].extend(
                through[2](person_id=person.pk, skill_id=skills[name].pk)
                for name in skill_list
                if name in skills
            )
        for model, batch in zip(through, rows, strict=True):
            model._default_manager.bulk_create(batch, ignore_conflicts=True)
        Affiliation.objects.bulk_create(
            [
                Affiliation(
                    person=person, organisation=org, role=role, start_date=start, end_date=end
                )
                for person, org, role, start, end in affiliation_rows
            ]
        )
        self.counts.people = len(people)
        self.counts.affiliations = len(affiliation_rows)
        self.people = people
        self.organisations = organisations
        return self.counts

    def applicant_organisation(self) -> Organisation:
        """The company the demo applicant account applies for (after ``write``): the first one
        seated in the cluster's territories, so that its files meet the 2009 call's rules (a
        company of the rest of France would not)."""
        companies = [o for o in self.organisations if o.kind == OrganisationKind.COMPANY]
        return next(
            (o for o in companies if getattr(o.territory, "code", "") in CLUSTER_TERRITORIES),
            companies[0],
        )


def remove_demo_data() -> tuple[int, int]:
    """Delete what an earlier demo load created (people first, then organisations)."""
    people = Person.objects.filter(is_demo=True)
    organisations = Organisation.objects.filter(is_demo=True)
    Affiliation.objects.filter(person__in=people).delete()
    Affiliation.objects.filter(organisation__in=organisations).delete()
    removed_people, _ = people.delete()
    removed_orgs, _ = organisations.delete()
    return removed_people, removed_orgs
