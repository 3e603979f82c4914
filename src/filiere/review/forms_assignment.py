"""Forms of the assignment pages: start a run, add a pair, answer an assignment."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import CONFLICT_KINDS, MAX_CHURN, MAX_REVIEWS, AssignmentMode
from .selectors import expert_name


class StartRunForm(forms.Form):
    mode = forms.ChoiceField(
        label=_("Mode"),
        choices=AssignmentMode.choices,
        initial=AssignmentMode.OPTIMAL,
        widget=forms.RadioSelect,
    )
    reviews = forms.IntegerField(
        label=_("Reviews per application"), min_value=1, max_value=MAX_REVIEWS, initial=3
    )
    churn_penalty = forms.FloatField(
        label=_("Cost of each change to the current proposal"),
        help_text=_(
            "In affinity points, from 0 (choose afresh) to 1 (keep every proposed pair that "
            "can be kept). Published and locked pairs are always kept."
        ),
        min_value=0.0,
        max_value=MAX_CHURN,
        initial=0.0,
        required=False,
    )


class AddPairForm(forms.Form):
    application = forms.TypedChoiceField(label=_("Application"), coerce=int)
    expert = forms.TypedChoiceField(label=_("Expert"), coerce=int)

    def __init__(
        self, *args: Any, experts: list[Any], applications: list[Any], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["expert"]).choices = [("", "—")] + [
            (e.pk, expert_name(e.user, e.email)) for e in experts
        ]
        cast(forms.ChoiceField, self.fields["application"]).choices = [("", "—")] + [
            (a.pk, f"{a.reference} — {a.title}") for a in applications
        ]


class AnswerForm(forms.Form):
    answer = forms.ChoiceField(
        label=_("Your answer"),
        choices=[("accept", _("I accept to review it")), ("decline", _("I decline"))],
        widget=forms.RadioSelect,
    )
    conflict_kind = forms.ChoiceField(
        label=_("Declining because of a conflict of interest? Its type"),
        choices=[("", _("No conflict")), *CONFLICT_KINDS],
        required=False,
    )
    reason = forms.CharField(
        label=_("Reason (required with a conflict)"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
