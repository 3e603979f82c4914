import hashlib
import secrets

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    MEMBER = "member", _("Member")
    APPLICANT = "applicant", _("Applicant")
    EXPERT = "expert", _("Expert")
    COMMITTEE = "committee", _("Committee member")
    STAFF = "staff", _("Staff")
    ADMIN = "admin", _("Administrator")


#: The languages of the interface and of the e-mails, for a person to choose from.
LANGUAGE_CHOICES = [("fr", "Français"), ("en", "English"), ("nl", "Nederlands")]


class User(AbstractUser):
    """An account. Sign-in is by e-mail; the profile lives in `community.Person`."""

    email = models.EmailField(_("e-mail address"), unique=True)
    # People sign in with their e-mail address; a username is optional (allauth leaves it
    # empty), and NULL rather than "" so that any number of accounts may go without one.
    # django-stubs types AbstractUser.username as a str: a NULL one is what this field is for.
    username = models.CharField(  # type: ignore[assignment]
        _("username"),
        max_length=150,
        unique=True,
        null=True,
        blank=True,
        default=None,
        validators=[AbstractUser.username_validator],
    )
    preferred_language = models.CharField(
        _("preferred language"),
        max_length=8,
        choices=LANGUAGE_CHOICES,
        default="fr",
        help_text=_("Used for the e-mails the platform sends you."),
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.get_full_name() or self.email

    def role_set(self) -> frozenset[tuple[str, str, int]]:
        """All (role, scope_type, scope_id) this user holds now, read once per instance."""
        cached = getattr(self, "_role_set", None)
        if cached is None:
            cached = frozenset(
                self.role_grants.filter(revoked_at__isnull=True).values_list(
                    "role", "scope_type", "scope_id"
                )
            )
            self._role_set = cached
        return cached

    def has_role(self, role: str, *, scope_type: str = "", scope_id: int = 0) -> bool:
        """True when the user holds `role` globally, or for the given scope."""
        grants = self.role_set()
        if (role, "", 0) in grants:
            return True
        return bool(scope_type) and (role, scope_type, scope_id) in grants

    def has_role_anywhere(self, role: str) -> bool:
        return any(granted == role for granted, _scope, _id in self.role_set())


class RoleGrant(models.Model):
    """A role held by a user, globally (no scope) or for one object (e.g. expert for one call)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_grants")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    scope_type = models.CharField(
        _("scope type"), max_length=40, blank=True, help_text=_("Empty for a global role.")
    )
    # 0 for a global role: a real value keeps the uniqueness constraint simple on every database.
    scope_id = models.PositiveBigIntegerField(_("scope id"), default=0, blank=True)
    granted_at = models.DateTimeField(_("granted at"), auto_now_add=True)
    granted_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    #: "Call for projects: …", set for display by ``selectors.with_scope_labels``.
    scope_label: str

    class Meta:
        verbose_name = _("role grant")
        verbose_name_plural = _("role grants")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "scope_type", "scope_id"],
                condition=models.Q(revoked_at__isnull=True),
                name="one_active_grant_per_scope",
            ),
            models.CheckConstraint(
                condition=(models.Q(scope_type="") & models.Q(scope_id=0))
                | (~models.Q(scope_type="") & models.Q(scope_id__gt=0)),
                name="scope_type_and_id_together",
            ),
        ]

    def __str__(self) -> str:
        scope = f" ({self.scope_type} {self.scope_id})" if self.scope_type else ""
        return f"{self.user} — {self.get_role_display()}{scope}"


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiToken(models.Model):
    """A personal token for API clients. Only its SHA-256 is stored; the key is shown once."""

    PREFIX = "flr_"

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=80)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    hint = models.CharField(max_length=12, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    # Set by the service from FILIERE_API_TOKEN_LIFETIME_DAYS: a forgotten key stops working.
    expires_at = models.DateTimeField(_("expires at"))
    # A read-only token may only read (GET, HEAD, OPTIONS): scripts that export data need no more.
    read_only = models.BooleanField(_("read only"), default=False)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.hint}…)"

    @classmethod
    def new_key(cls) -> str:
        return cls.PREFIX + secrets.token_urlsafe(32)


class ConsentPurpose(models.TextChoices):
    """What a member may agree to, each recorded on its own (RGPD: consent is specific)."""

    CALLS_DIGEST = "calls_digest", _("The weekly digest of calls I could answer")
    NEEDS_DIGEST = "needs_digest", _("The weekly digest of offers and needs matching my skills")
    CONTACT = "contact", _("Receiving introduction requests from other members")


class Consent(models.Model):
    """One consent given or withdrawn: the log is kept, the latest row per purpose counts."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="consents")
    purpose = models.CharField(_("purpose"), max_length=20, choices=ConsentPurpose.choices)
    granted = models.BooleanField(_("granted"))
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    # Where it was given: "profile page", "api", "registration"…, for the record.
    source = models.CharField(_("source"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        ordering = ["-recorded_at", "-id"]
        indexes = [models.Index(fields=["user", "purpose", "-recorded_at"])]

    def __str__(self) -> str:
        state = "granted" if self.granted else "withdrawn"
        return f"{self.user_id} {self.purpose} {state}"
