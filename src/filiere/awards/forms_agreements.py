"""Forms of the agreements: generate (the schedule's shares, the territories where spending
counts, the conditions), amend (what changes and why), and the signed copy. The rules on
amounts and shares are the service's (``services_agreements``) and the engine's."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import TrancheLabel


def _share(label: Any) -> forms.DecimalField:  # a lazy translation
    return forms.DecimalField(
        label=label,
        min_value=Decimal(0),
        max_value=Decimal(100),
        max_digits=5,
        decimal_places=2,
        help_text=_("Share of the amount, in %; 0 for no such tranche."),
    )


class GenerateForm(forms.Form):
    signature = _share(TrancheLabel.SIGNATURE.label)
    mid_term = _share(TrancheLabel.MID_TERM.label)
    final_report = _share(TrancheLabel.FINAL_REPORT.label)
    territories = forms.MultipleChoiceField(
        label=_("Territories where the regional spend counts"),
        widget=forms.CheckboxSelectMultiple,
    )
    conditions = forms.CharField(
        label=_("Conditions"),
        help_text=_("Particular conditions of this agreement, printed in it."),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
        required=False,
    )

    def __init__(
        self,
        *args: Any,
        territory_choices: Sequence[tuple[str, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["territories"]).choices = territory_choices

    def schedule(self) -> list[tuple[str, Decimal]]:
        return [
            (label, self.cleaned_data[label])
            for label in ("signature", "mid_term", "final_report")
            if self.cleaned_data[label]
        ]


class AmendForm(forms.Form):
    amount = forms.DecimalField(
        label=_("Amount (EUR)"),
        min_value=Decimal(0),
        max_digits=12,
        decimal_places=2,
        help_text=_("At most the amount decided; never below what is already paid."),
    )
    spend_percent = forms.DecimalField(
        label=_("Regional spend required (% of the amount)"),
        min_value=Decimal(0),
        max_digits=6,
        decimal_places=2,
    )
    spend_floor = forms.DecimalField(
        label=_("Regional spend floor (EUR)"), min_value=Decimal(0), max_digits=12, decimal_places=2
    )
    territories = forms.MultipleChoiceField(
        label=_("Territories where the regional spend counts"),
        widget=forms.CheckboxSelectMultiple,
    )
    conditions = forms.CharField(
        label=_("Conditions"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
        required=False,
    )
    reason = forms.CharField(
        label=_("Reason for the amendment"),
        help_text=_("Kept in the agreement's history and printed in it."),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )

    def __init__(
        self, *args: Any, territory_choices: Sequence[tuple[str, str]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["territories"]).choices = territory_choices


class SignedCopyForm(forms.Form):
    file = forms.FileField(
        label=_("Signed agreement (PDF)"),
        help_text=_("The agreement signed by the beneficiary, scanned as one PDF file."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,application/pdf"}),
    )
