"""The committee stage: sessions and their members, the agenda, votes, the envelope simulator's
scenarios, decisions with amounts (and their second sign-off) and the decision letters.

The committee advises; the decision on money is recorded through ``services_decisions`` (one
door), which fires the application's transition through ``calls``' ``record_decision``.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

#: The scope name of a committee grant for one session (``RoleGrant.scope_type``).
SESSION_SCOPE = "committee_session"


class SessionStatus(models.TextChoices):
    PREPARING = "preparing", _("In preparation")
    OPEN = "open", _("Open to its members")
    CLOSED = "closed", pgettext_lazy("committee session", "Closed")


class Session(models.Model):
    """One meeting of the committee on a call's applications."""

    call = models.ForeignKey("calls.Call", on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("title"), max_length=200)
    meets_at = models.DateTimeField(_("meets on"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    quorum = models.PositiveSmallIntegerField(
        _("quorum (members who must vote)"), default=3, validators=[MinValueValidator(1)]
    )
    # Two people for money: a decision proposed by one staff member is confirmed by another.
    second_signature = models.BooleanField(
        _("decisions confirmed by a second person"), default=True
    )
    status = models.CharField(
        max_length=10, choices=SessionStatus.choices, default=SessionStatus.PREPARING
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-meets_at", "-pk"]
        verbose_name = _("committee session")
        verbose_name_plural = _("committee sessions")

    def __str__(self) -> str:
        return self.title


class SessionMember(models.Model):
    """A member of a session; ``grant`` is the committee role scoped to the session that gives
    them its pages (revoked when they are removed)."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    grant = models.ForeignKey(
        "accounts.RoleGrant", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    chairs = models.BooleanField(_("chairs the session"), default=False)
    added_at = models.DateTimeField(auto_now_add=True)
    removed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("session member")
        verbose_name_plural = _("session members")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "user"],
                condition=models.Q(removed_at__isnull=True),
                name="one_active_membership_per_session",
            )
        ]

    def __str__(self) -> str:
        return f"{self.session_id}:{self.user_id}"


class AgendaItem(models.Model):
    """An application on a session's agenda, with the discussion's notes."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="items")
    application = models.ForeignKey("calls.Application", on_delete=models.PROTECT, related_name="+")
    position = models.PositiveIntegerField(default=0)
    notes = models.TextField(_("discussion notes"), blank=True)
    notes_version = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "application"], name="one_item_per_application_and_session"
            )
        ]

    def __str__(self) -> str:
        return f"{self.session_id}:{self.application_id}"


class VoteChoice(models.TextChoices):
    FUND = "fund", pgettext_lazy("committee vote", "Fund")
    REJECT = "reject", _("Do not fund")
    DEFER = "defer", _("Defer")
    ABSTAIN = "abstain", _("Abstain")


class Vote(models.Model):
    """A member's recorded vote on an agenda item (one per member; a new vote replaces it)."""

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="votes")
    voter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    choice = models.CharField(_("vote"), max_length=10, choices=VoteChoice.choices)
    cast_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        constraints = [
            models.UniqueConstraint(fields=["item", "voter"], name="one_vote_per_member_and_item")
        ]

    def __str__(self) -> str:
        return f"{self.item_id}:{self.voter_id}={self.choice}"


class Scenario(models.Model):
    """One run of the envelope simulator (``engine.selection.select``) for a session: the rules
    as the staff set them, and the engine's result as JSON once the background task is done."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        RUNNING = "running", _("In progress")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="scenarios")
    envelope = models.DecimalField(_("envelope (EUR)"), max_digits=12, decimal_places=2)
    # {"quotas": [{field, value, min_count, max_count, min_amount, max_amount}],
    #  "max_per_organisation": int|null, "min_score": float|null, "partial_awards": bool,
    #  "partial_floor": float, "cofunders": [{name, envelope, field, values}], "objective": str}
    rules = models.JSONField(default=dict, blank=True)
    forced_in = models.JSONField(default=list, blank=True)  # application ids
    forced_out = models.JSONField(default=list, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    result = models.JSONField(null=True, blank=True)
    error = models.CharField(max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("simulation")
        verbose_name_plural = _("simulations")

    def __str__(self) -> str:
        return f"{self.session_id}#{self.pk}"


class Outcome(models.TextChoices):
    # The codes of the engine's decision transitions (workflow: award, reject, defer).
    AWARD = "award", _("Award")
    REJECT = "reject", _("Reject")
    DEFER = "defer", _("Defer")


class DecisionStatus(models.TextChoices):
    PROPOSED = "proposed", _("Awaiting a second signature")
    CONFIRMED = "confirmed", _("Recorded")
    CANCELLED = "cancelled", _("Cancelled")


class Decision(models.Model):
    """The decision on an application: outcome, amount (awards only) and reasons. Proposed by
    one person, confirmed by another when the session asks for two; the application's
    transition fires at confirmation."""

    application = models.ForeignKey("calls.Application", on_delete=models.PROTECT, related_name="+")
    session = models.ForeignKey(
        Session, null=True, blank=True, on_delete=models.PROTECT, related_name="decisions"
    )
    outcome = models.CharField(_("decision"), max_length=10, choices=Outcome.choices)
    amount = models.DecimalField(
        _("amount awarded (EUR)"), max_digits=12, decimal_places=2, default=0
    )
    reason = models.TextField(_("reasons"), blank=True)
    status = models.CharField(
        max_length=10, choices=DecisionStatus.choices, default=DecisionStatus.PROPOSED
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    proposed_at = models.DateTimeField(auto_now_add=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-proposed_at", "-pk"]
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        constraints = [
            # One live decision per application (a deferred one gets a new decision later).
            models.UniqueConstraint(
                fields=["application"],
                condition=models.Q(status="proposed"),
                name="one_proposed_decision_per_application",
            ),
            models.CheckConstraint(
                condition=models.Q(amount__gte=0), name="decision_amount_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application_id}:{self.outcome}"


class LetterStatus(models.TextChoices):
    DRAFT = "draft", _("In the outbox")
    SENT = "sent", _("Sent")


class Letter(models.Model):
    """The letter telling the applicant a confirmed decision, in their language. ``feedback`` is
    drawn from the reviews' opinions, anonymised, and may be edited by staff until it is sent;
    the PDF is rendered from these fields, so what was sent can be rendered again."""

    decision = models.OneToOneField(Decision, on_delete=models.PROTECT, related_name="letter")
    language = models.CharField(_("language"), max_length=8)
    feedback = models.JSONField(default=list, blank=True)  # paragraphs, "Reviewer A" labelled
    status = models.CharField(
        max_length=10, choices=LetterStatus.choices, default=LetterStatus.DRAFT
    )
    version = models.PositiveIntegerField(default=0)
    sent_at = models.DateTimeField(null=True, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("decision letter")
        verbose_name_plural = _("decision letters")

    def __str__(self) -> str:
        return f"{self.decision_id} ({self.status})"
