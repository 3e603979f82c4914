"""Bidding: what an expert of a call's pool says about reading each application of the call,
before the assignment is published to them. The run reads the bids into the affinity
(``engine.affinity.bids``); a "conflict" bid also records the expert's declaration.

Imported by ``models.py`` so that Django finds these models in the review app."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from filiere.engine.affinity.bids import Bid as EngineBid

#: How a pair's "why" (``Assignment.why``) holds the expert's bid: ``bid:eager``...
BID_MARK = "bid:"


class BidValue(models.TextChoices):
    EAGER = EngineBid.EAGER.value, _("Eager to review it")
    WILLING = EngineBid.WILLING.value, _("Willing to review it")
    NOT_WILLING = EngineBid.NOT_WILLING.value, _("Not willing to review it")
    CONFLICT = EngineBid.CONFLICT.value, _("Conflict of interest")


class Bid(models.Model):
    """One expert's bid on one application; changed in place until the bidding closes."""

    expert = models.ForeignKey("review.Expert", on_delete=models.CASCADE, related_name="bids")
    application = models.ForeignKey("calls.Application", on_delete=models.CASCADE, related_name="+")
    value = models.CharField(_("bid"), max_length=12, choices=BidValue.choices)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("bid")
        verbose_name_plural = _("bids")
        constraints = [
            models.UniqueConstraint(fields=["expert", "application"], name="bid_one_per_pair")
        ]

    def __str__(self) -> str:
        return f"{self.application_id} / {self.expert_id}: {self.value}"
