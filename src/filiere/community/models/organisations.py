from django.db import models
from django.utils.translation import gettext_lazy as _

from filiere.engine import identifiers

from ..phrases import NAF_LABELS
from ..validators import (
    validate_bce,
    validate_nace,
    validate_naf,
    validate_rna,
    validate_siren,
    validate_siret,
)
from .reference import Commune, Sector, Territory


class OrganisationKind(models.TextChoices):
    COMPANY = "company", _("Company")
    RESEARCH_LAB = "research_lab", _("Research lab")
    SCHOOL = "school", _("School or training body")
    PROFESSIONAL_BODY = "professional_body", _("Professional body")
    PUBLIC_BODY = "public_body", _("Public body")
    ASSOCIATION = "association", _("Association")


class Organisation(models.Model):
    """A company, lab, school or other body of the cluster or one of its partners.

    Identifiers are stored in their compact form (digits only; ``W`` + digits for RNA;
    ``59.11C`` for NAF, ``59.111`` for NACE-BEL). ``territory`` is the seat commune's territory
    for French members of the three EPCI, or set directly for the others (Wallonia, Flanders,
    rest of France...). French organisations have a NAF code, Belgian ones a NACE-BEL code.
    """

    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=OrganisationKind.choices)
    siren = models.CharField(
        _("SIREN"), max_length=9, blank=True, db_index=True, validators=[validate_siren]
    )
    siret = models.CharField(
        _("SIRET (seat)"), max_length=14, blank=True, validators=[validate_siret]
    )
    bce_number = models.CharField(
        _("Belgian enterprise number (BCE/KBO)"),
        max_length=10,
        blank=True,
        db_index=True,
        validators=[validate_bce],
    )
    rna = models.CharField(_("RNA number"), max_length=10, blank=True, validators=[validate_rna])
    naf_code = models.CharField(
        _("NAF/APE code"), max_length=6, blank=True, validators=[validate_naf]
    )
    nace_code = models.CharField(
        _("NACE-BEL code"),
        max_length=6,
        blank=True,
        validators=[validate_nace],
        help_text=_("The activity code of a Belgian organisation, e.g. 59.111."),
    )
    seat_commune = models.ForeignKey(
        Commune,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organisations",
        verbose_name=_("seat commune"),
    )
    territory = models.ForeignKey(
        Territory,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organisations",
        verbose_name=_("territory"),
    )
    country = models.CharField(_("country"), max_length=2, default="FR", help_text="ISO 3166-1")
    sectors = models.ManyToManyField(
        Sector, blank=True, related_name="organisations", verbose_name=_("sectors")
    )
    skills = models.ManyToManyField(
        "community.Skill", blank=True, related_name="organisations", verbose_name=_("skills")
    )
    # As ``Person.search_text``: name, description, skills and sectors, for the directory.
    search_text = models.TextField(blank=True, editable=False)
    # As ``Person.search_facets``: its skills (with their broader ones) and sectors.
    search_facets = models.TextField(blank=True, editable=False)
    website = models.URLField(_("website"), max_length=200, blank=True)
    description = models.TextField(_("description"), max_length=4000, blank=True)
    is_demo = models.BooleanField(
        _("demo data"), default=False, editable=False, help_text=_("Created by `manage.py demo`.")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        indexes = [models.Index(fields=["kind", "name"])]
        # One organisation per company: who registers a known number claims it instead.
        constraints = [
            models.UniqueConstraint(
                fields=["siren"], condition=~models.Q(siren=""), name="organisation_unique_siren"
            ),
            models.UniqueConstraint(
                fields=["bce_number"],
                condition=~models.Q(bce_number=""),
                name="organisation_unique_bce_number",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def siren_display(self) -> str:
        return identifiers.format_siren(self.siren) if self.siren else ""

    @property
    def siret_display(self) -> str:
        return identifiers.format_siret(self.siret) if self.siret else ""

    @property
    def bce_display(self) -> str:
        return identifiers.format_bce(self.bce_number) if self.bce_number else ""

    @property
    def naf_label(self) -> str:
        return str(NAF_LABELS.get(self.naf_code, ""))
