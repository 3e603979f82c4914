"""The bid form of one application (one form per row of the bidding page: saved one row at a
time, without JavaScript)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import CONFLICT_KINDS, BidValue


class BidForm(forms.Form):
    value = forms.ChoiceField(label=_("Your bid"), choices=[("", "—"), *BidValue.choices])
    conflict_kind = forms.ChoiceField(
        label=_("With a conflict of interest: its type"),
        choices=[("", "—"), *CONFLICT_KINDS],
        required=False,
    )
    reason = forms.CharField(
        label=_("Reason (required with a conflict)"), max_length=1000, required=False
    )
