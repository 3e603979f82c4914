"""Factories for the call design and public tests: funds and calls at given moments."""

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import factory
from django.core.files.base import ContentFile

from filiere.calls.models import Call, Fund, Genre, Stage
from filiere.calls.services.design import default_rules_json

PARIS = ZoneInfo("Europe/Paris")
PDF_BYTES = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


def paris(*args) -> dt.datetime:
    """A moment given as Paris wall-clock time: ``paris(2009, 10, 15, 12)``."""
    return dt.datetime(*args, tzinfo=PARIS)


class DesignFundFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Fund
        django_get_or_create = ("slug",)

    slug = "experiences-interactives"
    name_fr = "Fonds Expériences interactives"
    name_en = "Interactive Experiences Fund"
    name_nl = "Fonds Interactieve ervaringen"


class DesignCallFactory(factory.django.DjangoModelFactory):
    """A published call open from 1 September to 15 October 2009 at noon (Paris)."""

    class Meta:
        model = Call
        skip_postgeneration_save = True

    fund = factory.SubFactory(DesignFundFactory)
    slug = factory.Sequence(lambda n: f"design-call-{n}")
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
    opens_at = factory.LazyFunction(lambda: paris(2009, 9, 1, 12))
    closes_at = factory.LazyFunction(lambda: paris(2009, 10, 15, 12))
    published = True
    eligibility_rules = factory.LazyFunction(default_rules_json)

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
