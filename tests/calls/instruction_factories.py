"""Factories for the instruction tests: a fund, a call (closed, 2009-like) and applications."""

from datetime import timedelta
from decimal import Decimal

import factory
from django.core.files.base import ContentFile
from django.utils import timezone

from filiere.calls.models import (
    Application,
    BudgetLine,
    Call,
    Document,
    DocumentType,
    FinancingSource,
    Fund,
    Genre,
    Stage,
    TeamMember,
)
from tests.factories import OrganisationFactory, UserFactory


class FundFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Fund
        django_get_or_create = ("slug",)

    slug = "experiences-interactives"
    name_fr = "Expériences interactives"
    name_en = "Interactive experiences"
    name_nl = "Interactieve ervaringen"


class CallFactory(factory.django.DjangoModelFactory):
    """A published call that closed yesterday at noon (instruction time)."""

    class Meta:
        model = Call
        skip_postgeneration_save = True

    fund = factory.SubFactory(FundFactory)
    slug = factory.Sequence(lambda n: f"call-{n}")
    reference_prefix = "EI2009"
    title_fr = "Appel Expériences interactives 2009"
    title_en = "Interactive experiences call 2009"
    title_nl = "Oproep interactieve ervaringen 2009"
    summary_fr = "Appel à projets de 1,4 M€."
    envelope = Decimal("1400000.00")
    ceiling_amount = Decimal("150000.00")
    opens_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=60))
    closes_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=1))
    published = True

    @factory.post_generation
    def genres(self, create, extracted, **kwargs):
        if create:
            self.genres.set(extracted or Genre.objects.all()[:5])
            self.stages.set(Stage.objects.all())


class ApplicationFactory(factory.django.DjangoModelFactory):
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


def with_budget(application, total=Decimal("120000.00")):
    BudgetLine.objects.create(
        application=application, chapter="crew", label="Équipe", amount=total, position=0
    )
    FinancingSource.objects.create(
        application=application,
        name="Région",
        kind="this_call",
        amount=application.requested_amount,
        secured=False,
    )
    FinancingSource.objects.create(
        application=application,
        name="Fonds propres",
        kind="own_funds",
        amount=total - application.requested_amount,
        secured=True,
    )
    return application


def add_document(application, code="synopsis", *, scan="clean", name="synopsis.pdf", data=None):
    content = data or b"%PDF-1.4\n% test document\n"
    document = Document(
        application=application,
        document_type=DocumentType.objects.get(code=code),
        original_name=name,
        content_type="application/pdf",
        size=len(content),
        sha256="0" * 64,
        scan_status=scan,
        uploaded_by=application.lead,
    )
    document.file.save("ignored", ContentFile(content), save=False)
    document.save()
    return document


def add_member(application, user=None, *, email=None, role="author", organisation=None):
    user = user or UserFactory()
    return TeamMember.objects.create(
        application=application,
        user=user,
        email=email or user.email,
        role=role,
        organisation=organisation,
        accepted_at=timezone.now(),
    )
