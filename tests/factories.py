"""Factories shared by every test package: accounts, people, organisations, funds, calls and
applications (the calls tests' own modules add their moments and helpers on top of these).

``UserFactory`` (verified e-mail, known password) and ``user_with_role`` come from the accounts
tests and are re-exported here. Reference rows (territories, communes, sectors, professions) are
loaded by migrations: fetch them with ``territory()``, ``sector()``, ``profession()``.
"""

import hashlib
from datetime import timedelta
from decimal import Decimal

import factory
from django.core.files.base import ContentFile
from django.utils import timezone

from filiere.calls.models import (
    Application,
    Call,
    Document,
    DocumentType,
    Fund,
    Genre,
    Stage,
    TeamMember,
)
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
    "ApplicationFactory",
    "CallFactory",
    "FundFactory",
    "OrganisationFactory",
    "PersonFactory",
    "SkillFactory",
    "UserFactory",
    "add_document",
    "add_member",
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


# --- Funds, calls and applications -----------------------------------------------------------

PDF_BYTES = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


class FundFactory(factory.django.DjangoModelFactory):
    """The fund of the 2009 call: one row, found by its slug (pass another slug for another)."""

    class Meta:
        model = Fund
        django_get_or_create = ("slug",)

    slug = "experiences-interactives"
    name_fr = "Fonds Expériences interactives"
    name_en = "Interactive Experiences Fund"
    name_nl = "Fonds Interactieve ervaringen"


class CallFactory(factory.django.DjangoModelFactory):
    """A published 2009-like call (1.4 M€; 150 000 € and 50 % per project; five genres and every
    stage) that opened 60 days ago and closed yesterday: instruction time. The calls tests'
    modules set other moments (``OpenCallFactory``, ``DesignCallFactory``)."""

    class Meta:
        model = Call
        skip_postgeneration_save = True

    fund = factory.SubFactory(FundFactory)
    slug = factory.Sequence(lambda n: f"call-{n}")
    reference_prefix = "EI2009"
    title_fr = "Expériences interactives 2009"
    title_en = "Interactive experiences 2009"
    title_nl = "Interactieve ervaringen 2009"
    summary_fr = "Un appel de 1,4 M€ pour les nouveaux genres."
    summary_en = "A €1.4 M call for new genres."
    summary_nl = "Een oproep van 1,4 M€ voor nieuwe genres."
    envelope = Decimal("1400000.00")
    ceiling_amount = Decimal("150000.00")
    ceiling_percent = Decimal("50.00")
    opens_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=60))
    closes_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=1))
    published = True

    @factory.post_generation
    def genres(self, create, extracted, **kwargs):
        if create:
            self.genres.set(extracted if extracted is not None else Genre.objects.all()[:5])

    @factory.post_generation
    def stages(self, create, extracted, **kwargs):
        if create:
            self.stages.set(extracted if extracted is not None else Stage.objects.all())

    @factory.post_generation
    def with_pdf(self, create, extracted, **kwargs):
        if create and extracted:
            self.rules_pdf.save("rules.pdf", ContentFile(PDF_BYTES), save=False)
            self.rules_pdf_scan_status = "clean"  # as if the antivirus had checked it
            self.save()


class ApplicationFactory(factory.django.DjangoModelFactory):
    """A file submitted three hours before its call closed: a serious game in production."""

    class Meta:
        model = Application

    call = factory.SubFactory(CallFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    lead = factory.SubFactory(UserFactory)
    reference = factory.Sequence(lambda n: f"EI2009-{n:05d}")
    title = factory.Sequence(lambda n: f"Projet interactif {n}")
    genre = factory.LazyFunction(lambda: Genre.objects.get(code="serious-game"))
    stage = factory.LazyFunction(lambda: Stage.objects.get(code="production"))
    summary = "Un serious game sur la mémoire minière."
    requested_amount = Decimal("50000.00")
    state = "submitted"
    submitted_at = factory.LazyAttribute(
        lambda o: None if o.state == "draft" else o.call.closes_at - timedelta(hours=3)
    )


def add_document(application, code="synopsis", *, scan="clean", name="synopsis.pdf", data=None):
    """A stored document of ``application`` (a tiny PDF unless ``data``), scanned as ``scan``."""
    content = data or b"%PDF-1.4\n% test document\n"
    document = Document(
        application=application,
        document_type=DocumentType.objects.get(code=code),
        original_name=name,
        content_type="application/pdf",
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        scan_status=scan,
        uploaded_by=application.lead,
    )
    document.file.save("upload", ContentFile(content), save=False)
    document.save()
    return document


def add_member(
    application,
    user=None,
    *,
    email=None,
    role=TeamMember.Role.AUTHOR,
    organisation=None,
    can_edit=True,
    accepted=True,
):
    """``user`` (a new one by default) on ``application``'s team, or only invited when
    ``accepted=False``."""
    user = user or UserFactory()
    return TeamMember.objects.create(
        application=application,
        user=user if accepted else None,
        email=email or user.email,
        role=role,
        organisation=organisation,
        can_edit=can_edit,
        accepted_at=timezone.now() if accepted else None,
    )
