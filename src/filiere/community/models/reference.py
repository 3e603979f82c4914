"""Reference data, loaded by data migrations into every database: territories, communes,
sectors, professions; and the skills vocabulary, with the tags members propose."""

from django.db import models
from django.utils.translation import get_language
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


class SkillStatus(models.TextChoices):
    CURATED = "curated", _("In the vocabulary")
    PROPOSED = "proposed", _("Proposed by a member, awaiting curation")


def skill_label(name: str, label_en: str, label_nl: str) -> str:
    """A skill's name in the active language, falling back to the French one."""
    language = (get_language() or "fr")[:2]
    if language == "en":
        return label_en or name
    if language == "nl":
        return label_nl or name
    return name


class Skill(models.Model):
    """An entry of the one skills vocabulary (a trade, technique or tool of the image industries)
    that describes people, organisations, offers and needs, experts and genres.

    Entries without ``parent`` are the domains (animation, sound…). ``name`` is the French
    label; ``label`` gives the active language's. A tag a member types that matches no label
    or synonym becomes a ``proposed`` entry that staff curate (keep, or merge into another):
    it is never lost."""

    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    name = models.CharField(_("name (French)"), max_length=60)
    label_en = models.CharField(_("name (English)"), max_length=80, blank=True)
    label_nl = models.CharField(_("name (Dutch)"), max_length=80, blank=True)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("broader skill"),
    )
    # Other words for it, in any language ("compositing", "incrustation"…): search finds them.
    synonyms = models.JSONField(_("synonyms"), default=list, blank=True)
    # The French ROME job code(s) this skill belongs to, comma-separated ("L1304,E1205").
    rome_codes = models.CharField(_("ROME codes"), max_length=60, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=SkillStatus.choices, default=SkillStatus.CURATED
    )
    proposed_by = models.ForeignKey(
        "accounts.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("proposed by"),
    )
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, null=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("skill")
        verbose_name_plural = _("skills")
        indexes = [models.Index(fields=["status", "name"])]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """The name in the active language, falling back to the French one."""
        return skill_label(self.name, self.label_en, self.label_nl)
