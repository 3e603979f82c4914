"""Forms of the follow-up: a payment request with its proofs, the staff's refusal and
payment date, an invoice of the spend ledger, a report's file, the closure with a recovery,
a declared aid. The rules are the services'."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from filiere.community.models import Commune

from .models import BelgianRegion, SpendCategory


def date_input() -> forms.DateInput:
    """A browser's date picker: it reads only ISO dates (a French "04/12/2026" leaves it
    empty), whatever the page's language."""
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


class PaymentRequestForm(forms.Form):
    proofs = MultipleFileField(
        label=_("Proofs"),
        help_text=_(
            "Invoices, statements, bank certificate: PDF, image or spreadsheet, up to 10 files."
        ),
    )
    note = forms.CharField(
        label=_("Note for the staff"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
    )


class RefuseForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for the refusal"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )


class PaidForm(forms.Form):
    paid_on = forms.DateField(
        label=_("Date of the payment"),
        widget=date_input(),
        initial=timezone.localdate,
    )


class InvoiceForm(forms.Form):
    supplier_name = forms.CharField(label=_("Supplier"), max_length=200)
    supplier_id = forms.CharField(
        label=_("Supplier's SIRET or Belgian enterprise number"),
        max_length=20,
        help_text=_("14 digits for a SIRET, 10 digits for a BCE/KBO number."),
    )
    commune = forms.ModelChoiceField(
        label=_("Supplier's commune (France)"),
        queryset=Commune.objects.order_by("name"),
        required=False,
        help_text=_("Leave empty for a French supplier outside the listed communes."),
    )
    region = forms.ChoiceField(
        label=_("Supplier's region (Belgium)"),
        choices=[("", "—"), *BelgianRegion.choices],
        required=False,
    )
    amount = forms.DecimalField(
        label=_("Amount excluding VAT (EUR)"),
        min_value=Decimal("0.01"),
        max_digits=12,
        decimal_places=2,
    )
    category = forms.ChoiceField(label=_("Category"), choices=SpendCategory.choices)
    invoice_number = forms.CharField(label=_("Invoice number"), max_length=60, required=False)
    invoice_date = forms.DateField(label=_("Invoice date"), widget=date_input(), required=False)

    FIELDS = (
        "supplier_name",
        "supplier_id",
        "amount",
        "commune",
        "region",
        "category",
        "invoice_number",
        "invoice_date",
    )

    def invoice(self) -> dict[str, Any]:
        """The checked fields, as ``services_spend.declare_invoice`` takes them (page and API)."""
        return {name: self.cleaned_data[name] for name in self.FIELDS}


class ReportForm(forms.Form):
    file = forms.FileField(
        label=_("Report"), help_text=_("One file: PDF, or a Word or OpenDocument text.")
    )


class ReportDueForm(forms.Form):
    due_on = forms.DateField(label=_("New due date"), widget=date_input())
    reason = forms.CharField(
        label=_("Reason for the change"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )


class CloseForm(forms.Form):
    recovery = forms.DecimalField(
        label=_("Unspent amount to recover (EUR)"),
        min_value=Decimal(0),
        max_digits=12,
        decimal_places=2,
        required=False,
    )
    recovery_reason = forms.CharField(
        label=_("Reason for the recovery"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        required=False,
    )


class RecoveryForm(forms.Form):
    amount = forms.DecimalField(
        label=_("Amount to recover (EUR)"),
        min_value=Decimal("0.01"),
        max_digits=12,
        decimal_places=2,
    )
    reason = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )


class AidForm(forms.Form):
    granter = forms.CharField(label=_("Granted by"), max_length=200)
    granted_on = forms.DateField(label=_("Date granted"), widget=date_input())
    amount = forms.DecimalField(
        label=_("Amount (EUR)"), min_value=Decimal("0.01"), max_digits=12, decimal_places=2
    )


class LedgerFilterForm(forms.Form):
    fund = forms.ChoiceField(label=_("Fund"), required=False)
    cofunder = forms.ChoiceField(label=_("Co-funder"), required=False)
    year = forms.IntegerField(label=_("Year paid"), required=False, min_value=2000, max_value=2100)

    def __init__(
        self, *args: Any, funds: list[tuple[str, str]], cofunders: list[str], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["fund"].choices = [("", _("All funds")), *funds]  # type: ignore[attr-defined]
        self.fields["cofunder"].choices = [  # type: ignore[attr-defined]
            ("", _("All co-funders")),
            *[(name, name) for name in cofunders],
        ]
