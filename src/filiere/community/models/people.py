from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .organisations import Organisation
from .reference import Profession, Sector, Skill, Territory


class Visibility(models.TextChoices):
    PUBLIC = "public", _("Public")
    MEMBERS = "members", _("Members only")
    PRIVATE = "private", _("Private")


class Language(models.TextChoices):
    FRENCH = "fr", _("French")
    ENGLISH = "en", _("English")
    DUTCH = "nl", _("Dutch")
    GERMAN = "de", _("German")
    OTHER = "other", _("Other language")


class Availability(models.TextChoices):
    OPEN = "open", _("Available for new projects")
    LIMITED = "limited", _("Available part-time")
    UNAVAILABLE = "unavailable", _("Not available at the moment")


#: The profile fields whose visibility a member chooses one by one (``Person.field_visibility``);
#: a field not listed there follows the profile's own ``visibility``.
FIELDS_WITH_VISIBILITY = (
    "headline",
    "bio",
    "works",
    "skills",
    "languages",
    "territory",
    "organisations",
    "availability",
)


class Person(models.Model):
    """A professional's profile in the directory; who may see it follows ``visibility``."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="person",
        verbose_name=_("account"),
    )
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    first_name = models.CharField(_("first name"), max_length=80)
    last_name = models.CharField(_("last name"), max_length=80)
    headline = models.CharField(_("headline"), max_length=160, blank=True)
    bio = models.TextField(_("biography"), max_length=4000, blank=True)
    professions = models.ManyToManyField(
        Profession, blank=True, related_name="people", verbose_name=_("professions")
    )
    skills = models.ManyToManyField(
        Skill, blank=True, related_name="people", verbose_name=_("skills")
    )
    sectors = models.ManyToManyField(
        Sector, blank=True, related_name="people", verbose_name=_("sectors")
    )
    # Codes from `Language`, e.g. ["fr", "nl"].
    languages = models.JSONField(_("languages"), default=list, blank=True)
    territory = models.ForeignKey(
        Territory,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="people",
        verbose_name=_("territory"),
    )
    visibility = models.CharField(
        _("profile visibility"),
        max_length=10,
        choices=Visibility.choices,
        default=Visibility.MEMBERS,
    )
    availability = models.CharField(
        _("availability"), max_length=12, choices=Availability.choices, blank=True
    )
    # Field name (FIELDS_WITH_VISIBILITY) → a ``Visibility`` value, at most as wide as the profile.
    field_visibility = models.JSONField(_("visibility of each field"), default=dict, blank=True)
    # Names, headline, bio, works, skills (three languages and synonyms), professions: the text
    # the directory searches, rebuilt whenever one of them changes. Members search the fields
    # members may see; visitors only ``search_text_public``, so a search never reveals a field.
    search_text = models.TextField(blank=True, editable=False)
    search_text_public = models.TextField(blank=True, editable=False)
    # Its values in the directory's facets that live in other tables (skills with their broader
    # ones, the skills it named, professions, sectors, current organisations' kinds; format:
    # ``facet_tokens``), rebuilt with the texts (``search_text``): the search reads them with the
    # row instead of joining four tables.
    search_facets = models.TextField(blank=True, editable=False)
    consent_at = models.DateTimeField(
        _("consent given at"),
        null=True,
        blank=True,
        help_text=_("When the person agreed to appear in the directory."),
    )
    is_demo = models.BooleanField(
        _("demo data"), default=False, editable=False, help_text=_("Created by `manage.py demo`.")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["last_name", "first_name", "id"]
        verbose_name = _("person")
        verbose_name_plural = _("people")
        indexes = [
            models.Index(fields=["visibility", "last_name", "first_name"]),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    def get_language_labels(self) -> list[str]:
        labels = dict(Language.choices)
        return [str(labels[code]) for code in self.languages if code in labels]


class Work(models.Model):
    """A work a person took part in (a film, a game, an installation…): the directory searches
    it and matchmaking reads it, as experts are described by their past works."""

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="works", verbose_name=_("person")
    )
    title = models.CharField(_("title"), max_length=200)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    role = models.CharField(_("role in it"), max_length=120, blank=True)
    description = models.TextField(_("description"), max_length=2000, blank=True)
    url = models.URLField(_("link"), max_length=300, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", models.F("year").desc(nulls_last=True), "id"]
        verbose_name = _("work")
        verbose_name_plural = _("works")

    def __str__(self) -> str:
        return f"{self.title} ({self.year})" if self.year else self.title


class AffiliationRole(models.TextChoices):
    FOUNDER = "founder", _("Founder or manager")
    EMPLOYEE = "employee", _("Employee")
    FREELANCE = "freelance", _("Freelance collaborator")
    RESEARCHER = "researcher", _("Researcher")
    TEACHER = "teacher", _("Teacher or trainer")
    STUDENT = "student", _("Student")
    MEMBER = "member", _("Member")


class Affiliation(models.Model):
    """A person's tie to an organisation, with a role and optional dates."""

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="affiliations", verbose_name=_("person")
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="affiliations",
        verbose_name=_("organisation"),
    )
    role = models.CharField(_("role"), max_length=20, choices=AffiliationRole.choices)
    title = models.CharField(_("position"), max_length=120, blank=True)
    start_date = models.DateField(_("from"), null=True, blank=True)
    end_date = models.DateField(_("until"), null=True, blank=True)
    is_manager = models.BooleanField(
        _("manages the organisation"),
        default=False,
        help_text=_("Confirms or refuses who else declares working there."),
    )

    class Meta:
        # Undated affiliations last on every database (PostgreSQL would put NULLs first).
        ordering = [models.F("start_date").desc(nulls_last=True), "id"]
        verbose_name = _("affiliation")
        verbose_name_plural = _("affiliations")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(start_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="affiliation_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.organisation} ({self.get_role_display()})"

    @property
    def is_current(self) -> bool:
        return self.end_date is None


class AffiliationRequest(models.Model):
    """Someone declares working for an organisation that already has members: the tie becomes
    an :class:`Affiliation` only once the organisation's manager (or the staff) confirms it."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for confirmation")
        CONFIRMED = "confirmed", _("Confirmed")
        REFUSED = "refused", _("Refused")

    person = models.ForeignKey(
        Person,
        on_delete=models.CASCADE,
        related_name="affiliation_requests",
        verbose_name=_("person"),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="affiliation_requests",
        verbose_name=_("organisation"),
    )
    role = models.CharField(_("role"), max_length=20, choices=AffiliationRole.choices)
    title = models.CharField(_("position"), max_length=120, blank=True)
    start_date = models.DateField(_("since"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    affiliation = models.OneToOneField(
        Affiliation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="request",
        verbose_name=_("affiliation"),
    )

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = _("affiliation request")
        verbose_name_plural = _("affiliation requests")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "organisation"],
                condition=models.Q(status="pending"),
                name="affiliation_request_one_pending",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} → {self.organisation} ({self.get_status_display()})"
