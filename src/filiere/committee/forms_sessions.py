"""Forms of the committee's sessions: a new session, a member by e-mail, the applications to add
to the agenda, a vote, the discussion notes. They read input only; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from filiere.accounts.models import User
from filiere.calls.models import Application, Call

from .models import Session, VoteChoice


class SessionForm(forms.ModelForm):
    """A new session: the call is chosen among those the staff member instructs."""

    call = forms.ModelChoiceField(queryset=Call.objects.none(), label=_("Call"))

    class Meta:
        model = Session
        fields = ["call", "title", "meets_at", "place", "quorum", "second_signature"]
        widgets = {
            "meets_at": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            ),
        }
        help_texts = {
            "quorum": _("How many members must vote on an application for its vote to count."),
            "second_signature": _(
                "A decision proposed by one staff member is confirmed by another."
            ),
        }

    def __init__(self, *args: Any, calls: QuerySet[Call], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["call"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = calls


class MemberForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail address of the member"),
        help_text=_("The address of an existing account on the platform."),
    )
    chairs = forms.BooleanField(label=_("Chairs the session"), required=False)

    def clean_email(self) -> User:
        email = self.cleaned_data["email"]
        user = User.objects.filter(email__iexact=email, is_active=True).first()
        if user is None:
            raise forms.ValidationError(
                _("No account uses this address: ask the person to create one first.")
            )
        return user


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), help_text=_("Kept in the audit log."), max_length=500, required=False
    )


class _ApplicationChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Application) -> str:
        return f"{obj.reference} — {obj.title} ({obj.organisation}, {obj.get_state_display()})"


class AgendaAddForm(forms.Form):
    applications = _ApplicationChoice(
        queryset=Application.objects.none(),
        label=_("Applications to add to the agenda"),
        help_text=_(
            "Those under review or after a hearing are sent to the committee, deferred ones are "
            "put back before it."
        ),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args: Any, eligible: QuerySet[Application], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["applications"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = eligible


class VoteForm(forms.Form):
    choice = forms.ChoiceField(
        label=_("Your vote"), choices=VoteChoice.choices, widget=forms.RadioSelect
    )


class NotesForm(forms.Form):
    notes = forms.CharField(
        label=_("Discussion notes"), widget=forms.Textarea(attrs={"rows": 8}), required=False
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
