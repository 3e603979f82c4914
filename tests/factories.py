"""Factories shared by every test package: accounts, people, organisations.

``UserFactory`` (verified e-mail, known password) and ``user_with_role`` come from the accounts
tests and are re-exported here. Reference rows (territories, communes, sectors, professions) are
loaded by migrations: fetch them with ``territory()``, ``sector()``, ``profession()``.
"""

import factory
from django.utils import timezone

from filiere.community.models import (
    Affiliation,
    AffiliationRole,
    Commune,
    Organisation,
    OrganisationKind,
    Person,
    Profession,
    Sector,
    Skill,
    Territory,
    Visibility,
)
from filiere.engine.identifiers import make_siren, make_siret
from tests.accounts.factories import PASSWORD, UserFactory, user_with_role

__all__ = [
    "PASSWORD",
    "AffiliationFactory",
    "OrganisationFactory",
    "PersonFactory",
    "SkillFactory",
    "UserFactory",
    "commune",
    "profession",
    "sector",
    "territory",
    "user_with_role",
]


def territory(code: str = "mel") -> Territory:
    return Territory.objects.get(code=code)


def commune(insee_code: str = "59599") -> Commune:
    return Commune.objects.select_related("territory").get(insee_code=insee_code)


def sector(slug: str = "animation") -> Sector:
    return Sector.objects.get(slug=slug)


def profession(slug: str = "animator-3d") -> Profession:
    return Profession.objects.get(slug=slug)


class SkillFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Skill
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Skill {n}")
    slug = factory.LazyAttribute(lambda o: o.name.lower().replace(" ", "-"))


class PersonFactory(factory.django.DjangoModelFactory):
    """A public profile with consent given; pass ``visibility=`` or ``consent_at=None``."""

    class Meta:
        model = Person
        skip_postgeneration_save = True

    slug = factory.Sequence(lambda n: f"person-{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    headline = "3D animator"
    visibility = Visibility.PUBLIC
    consent_at = factory.LazyFunction(timezone.now)
    languages = factory.LazyFunction(lambda: ["fr"])

    @factory.post_generation
    def professions(self, create, extracted, **kwargs):
        if create and extracted:
            self.professions.set(extracted)

    @factory.post_generation
    def sectors(self, create, extracted, **kwargs):
        if create and extracted:
            self.sectors.set(extracted)

    @factory.post_generation
    def skills(self, create, extracted, **kwargs):
        if create and extracted:
            self.skills.set(extracted)


class OrganisationFactory(factory.django.DjangoModelFactory):
    """A company of Tourcoing with a valid SIREN and SIRET."""

    class Meta:
        model = Organisation
        skip_postgeneration_save = True

    slug = factory.Sequence(lambda n: f"organisation-{n}")
    name = factory.Sequence(lambda n: f"Studio {n}")
    kind = OrganisationKind.COMPANY
    siren = factory.Sequence(lambda n: make_siren(f"{40000000 + n:08d}"))
    siret = factory.LazyAttribute(lambda o: make_siret(o.siren, "0001"))
    naf_code = "59.11C"
    seat_commune = factory.LazyFunction(lambda: commune("59599"))
    territory = factory.LazyAttribute(
        lambda o: o.seat_commune.territory if o.seat_commune else None
    )

    @factory.post_generation
    def sectors(self, create, extracted, **kwargs):
        if create and extracted:
            self.sectors.set(extracted)


class AffiliationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Affiliation

    person = factory.SubFactory(PersonFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = AffiliationRole.EMPLOYEE
