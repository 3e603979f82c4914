"""Forms of the decisions and letters: the decision (outcome, amount, reasons), a reason to
cancel one, and a letter's feedback (paragraphs separated by a blank line, with the version the
editor read). The rules on amounts and reasons are the service's (``services_decisions``)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Outcome


@dataclass(frozen=True)
class DecisionValues:
    outcome: str
    amount: Decimal
    reason: str


class DecisionForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Decision"), choices=Outcome.choices, widget=forms.RadioSelect
    )
    amount = forms.DecimalField(
        label=_("Amount awarded (EUR)"),
        help_text=_("For an award: above zero, at most the amount requested. Otherwise 0."),
        min_value=Decimal(0),
        max_digits=12,
        decimal_places=2,
        required=False,
    )
    reason = forms.CharField(
        label=_("Reasons"),
        help_text=_(
            "Required to reject (the grounds) or defer (what to improve); the applicant reads "
            "them in the letter."
        ),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=4000,
        required=False,
    )

    def values(self) -> DecisionValues:
        data = self.cleaned_data
        return DecisionValues(
            outcome=data["outcome"],
            amount=data.get("amount") or Decimal(0),
            reason=data.get("reason", ""),
        )


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Reason to cancel"), max_length=500)


class FeedbackForm(forms.Form):
    feedback = forms.CharField(
        label=_("Feedback for the applicant"),
        help_text=_(
            "One paragraph per reviewer, separated by a blank line. Experts' names are taken out."
        ),
        widget=forms.Textarea(attrs={"rows": 14}),
        required=False,
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    @staticmethod
    def initial_of(paragraphs: list[str], version: int) -> dict[str, object]:
        return {"feedback": "\n\n".join(paragraphs), "version": version}

    def paragraphs(self) -> list[str]:
        text = self.cleaned_data.get("feedback", "")
        return [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]
