from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from filiere.accounts.models import ConsentPurpose


class DeleteAccountForm(forms.Form):
    """The last step before deletion: the person types their own e-mail address."""

    email = forms.EmailField(
        label=_("Type your e-mail address to confirm"),
        max_length=254,
        help_text=_("The address you sign in with."),
    )

    def __init__(self, *args: Any, expected_email: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.expected_email = expected_email

    def clean_email(self) -> str:
        email: str = self.cleaned_data["email"]
        if email.strip().lower() != self.expected_email.lower():
            raise forms.ValidationError(_("This is not the address of your account."))
        return email


class ConsentForm(forms.Form):
    purpose = forms.ChoiceField(choices=ConsentPurpose.choices)
    granted = forms.TypedChoiceField(
        choices=[("yes", _("Yes")), ("no", _("No"))], coerce=lambda value: value == "yes"
    )
