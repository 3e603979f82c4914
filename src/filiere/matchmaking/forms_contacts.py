"""Forms of contacts: the introduction request's message, the yes/no to being asked, a report,
a moderator's outcome. They read input only; ``services_contacts`` decides."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models_contacts import ReportReason
from .services_contacts import DETAILS_MAX, MESSAGE_MAX, OUTCOME_MAX


class AskForm(forms.Form):
    message = forms.CharField(
        label=_("Your message"),
        max_length=MESSAGE_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "Say who you are and why you would like to be introduced. Your e-mail address is "
            "shared only if the member accepts."
        ),
    )


class ConsentForm(forms.Form):
    accepts = forms.TypedChoiceField(
        label=_("Other members may ask to be introduced to me"),
        choices=[("yes", _("Yes")), ("no", _("No"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )


class ReportForm(forms.Form):
    reason = forms.ChoiceField(label=_("Reason"), choices=ReportReason.choices)
    details = forms.CharField(
        label=_("Details (optional)"),
        required=False,
        max_length=DETAILS_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Only the staff who examine reports read this."),
    )


class OutcomeForm(forms.Form):
    outcome = forms.CharField(
        label=_("What was done"),
        max_length=OUTCOME_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
