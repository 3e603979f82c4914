"""Forms of the pairs of a call: choose an expert and an application (the staff's conflicts and
assignment pages), start a run, add a pair, answer an assignment."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import CONFLICT_KINDS, DEFAULT_REVIEWS, MAX_CHURN, MAX_REVIEWS, AssignmentMode
from .selectors import expert_name


class PairChoiceForm(forms.Form):
    """One expert and one application, chosen among those the page offers."""

    expert = forms.TypedChoiceField(label=_("Expert"), coerce=int)
    application = forms.TypedChoiceField(label=_("Application"), coerce=int)

    def __init__(
        self, *args: Any, experts: list[Any], applications: list[Any], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self._experts = experts
        self._applications = applications
        cast(forms.ChoiceField, self.fields["expert"]).choices = [("", "—")] + [
            (e.pk, expert_name(e.user, e.email)) for e in experts
        ]
        cast(forms.ChoiceField, self.fields["application"]).choices = [("", "—")] + [
            (a.pk, f"{a.reference} — {a.title}") for a in applications
        ]

    def chosen_pair(self) -> tuple[Any, Any]:
        """The expert and the application chosen (once the form is valid)."""
        expert = next(e for e in self._experts if e.pk == self.cleaned_data["expert"])
        application = next(
            a for a in self._applications if a.pk == self.cleaned_data["application"]
        )
        return expert, application


class StaffConflictForm(PairChoiceForm):
    kind = forms.ChoiceField(label=_("Type of conflict"), choices=[("", "—"), *CONFLICT_KINDS])
    reason = forms.CharField(
        label=_("Reason (kept in the audit log)"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class StartRunForm(forms.Form):
    mode = forms.ChoiceField(
        label=_("Mode"),
        choices=AssignmentMode.choices,
        initial=AssignmentMode.OPTIMAL,
        widget=forms.RadioSelect,
    )
    reviews = forms.IntegerField(
        label=_("Reviews per application"),
        min_value=1,
        max_value=MAX_REVIEWS,
        initial=DEFAULT_REVIEWS,
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


class AddPairForm(PairChoiceForm):
    field_order = ["application", "expert"]


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
