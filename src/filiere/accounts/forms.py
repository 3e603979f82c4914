from typing import Any, cast

from django import forms
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from filiere.ui.params import as_id

from . import scopes
from .models import LANGUAGE_CHOICES, Role, User

GLOBAL_SCOPE = ""
REASON_REQUIRED = _("Give a reason: it is kept in the audit log.")


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Token name"),
        max_length=80,
        help_text=_("A name that tells you where the token is used, e.g. “data export script”."),
    )
    access = forms.ChoiceField(
        label=_("Access"),
        choices=[
            ("read_only", _("Read only: the token can read, never change anything")),
            ("read_write", _("Read and write")),
        ],
        initial="read_only",
        # Not required: a form sent without a choice gets the safer read-only token.
        required=False,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["name"].help_text = _(
            "A name that tells you where the token is used, e.g. “data export script”. "
            "The token expires after %(days)s days."
        ) % {"days": settings.FILIERE_API_TOKEN_LIFETIME_DAYS}

    @property
    def read_only(self) -> bool:
        return self.cleaned_data.get("access") != "read_write"


class LanguageForm(forms.Form):
    language = forms.ChoiceField(
        label=_("Language of the site and of your e-mails"),
        choices=LANGUAGE_CHOICES,
    )


def _scope_choices() -> list:
    """The whole platform, then one group per registered scope type (a fund, a call...)."""
    choices: list = [(GLOBAL_SCOPE, _("The whole platform"))]
    for kind in scopes.registered():
        options = [(f"{kind.code}:{obj.pk}", str(obj)) for obj in kind.objects()]
        if options:
            choices.append((str(kind.label), options))
    return choices


class GrantRoleForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail address of the person"),
        help_text=_("The person must already have an account."),
    )
    role = forms.ChoiceField(
        label=_("Role"), choices=[(v, lbl) for v, lbl in Role.choices if v != Role.MEMBER]
    )
    scope = forms.ChoiceField(
        label=_("For"),
        required=False,
        help_text=_("The whole platform, or only one fund or one call."),
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Kept in the audit log with your name."),
        error_messages={"required": REASON_REQUIRED},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["scope"]).choices = _scope_choices()

    def clean_email(self) -> User:
        email = self.cleaned_data["email"]
        user = User.objects.filter(email__iexact=email, is_active=True).first()
        if user is None:
            raise forms.ValidationError(_("No active account uses this address."))
        return user

    def clean_scope(self) -> models.Model | None:
        value = self.cleaned_data.get("scope") or GLOBAL_SCOPE
        if value == GLOBAL_SCOPE:
            return None
        code, _sep, pk = value.partition(":")
        kind = scopes.get(code)
        number = as_id(pk)
        obj = kind.objects().filter(pk=number).first() if kind and number else None
        if obj is None:
            raise forms.ValidationError(_("Choose one of the listed funds or calls."))
        return obj

    def clean_reason(self) -> str:
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError(REASON_REQUIRED)
        return reason


class RevokeRoleForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Kept in the audit log with your name."),
        error_messages={"required": REASON_REQUIRED},
    )

    def clean_reason(self) -> str:
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError(REASON_REQUIRED)
        return reason


class RoleFilterForm(forms.Form):
    user = forms.CharField(label=_("Person (name or e-mail)"), required=False, max_length=200)
    role = forms.ChoiceField(
        label=_("Role"),
        required=False,
        choices=[("", _("All roles")), *[(v, lbl) for v, lbl in Role.choices if v != Role.MEMBER]],
    )
