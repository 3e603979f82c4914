"""Reference data, loaded by data migrations into every database: territories, communes,
sectors, professions; and skills, the free tags people add."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from filiere.ui.translated import localized


class Labelled(models.Model):
    """Reference rows carry their own labels in the three platform languages."""

    label_fr = models.CharField(_("label (French)"), max_length=160)
    label_en = models.CharField(_("label (English)"), max_length=160)
    label_nl = models.CharField(_("label (Dutch)"), max_length=160)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """The label in the active language, falling back to French."""
        return localized(self, "label")


class TerritoryKind(models.TextChoices):
    EPCI = "epci", _("Intercommunality (EPCI)")
    REGION = "region", _("Region")
    REST_OF_COUNTRY = "rest_of_country", _("Rest of the country")
    OTHER = "other", _("Other")


class Territory(Labelled):
    """One of the cluster's three EPCI, a Belgian region, the rest of France, or elsewhere."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=TerritoryKind.choices)
    country = models.CharField(_("country"), max_length=2, blank=True, help_text="ISO 3166-1")
    siren = models.CharField(_("SIREN"), max_length=9, blank=True)

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name = _("territory")
        verbose_name_plural = _("territories")

    @property
    def is_cluster_epci(self) -> bool:
        return self.kind == TerritoryKind.EPCI


class Commune(models.Model):
    """A French commune member of one of the cluster's EPCI (DGCL list, 2025 vintage)."""

    insee_code = models.CharField(_("INSEE code"), max_length=5, unique=True)
    siren = models.CharField(_("SIREN"), max_length=9)
    name = models.CharField(_("name"), max_length=120)
    population = models.PositiveIntegerField(_("population"), default=0)
    territory = models.ForeignKey(
        Territory, on_delete=models.PROTECT, related_name="communes", verbose_name=_("territory")
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("commune")
        verbose_name_plural = _("communes")

    def __str__(self) -> str:
        return self.name


class Sector(Labelled):
    slug = models.SlugField(_("slug"), max_length=40, unique=True)

    class Meta:
        ordering = ["sort_order", "slug"]
        verbose_name = _("sector")
        verbose_name_plural = _("sectors")


class Profession(Labelled):
    """A profession of the sector, with its French ROME code and ISCO-08 group when known."""

    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    rome_code = models.CharField(_("ROME code"), max_length=5, blank=True)
    isco_code = models.CharField(_("ISCO-08 code"), max_length=4, blank=True)

    class Meta:
        ordering = ["sort_order", "slug"]
        verbose_name = _("profession")
        verbose_name_plural = _("professions")


class Skill(models.Model):
    """A free tag (``blender``, ``unreal-engine``, ``documentary``), shared by everyone."""

    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=60)

    class Meta:
        ordering = ["name"]
        verbose_name = _("skill")
        verbose_name_plural = _("skills")

    def __str__(self) -> str:
        return self.name
