"""Forms of reviewing: the expert's review (built from the call's criteria and scale), the
staff's review settings of a call and their reason to reopen a review."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from filiere.calls.models import Criterion
from filiere.engine.review_score import NOT_APPLICABLE

from .models import Recommendation, ReviewSettings
from .services_review import ReviewValues

SCORE_PREFIX = "score_"


class ReviewForm(forms.Form):
    """One score field per criterion, then the texts; every field may stay empty in a draft
    (the submission service says what is missing)."""

    opinion = forms.CharField(
        label=_("Opinion for the applicant"),
        help_text=_("Sent to the applicant with the decision, without your name."),
        widget=forms.Textarea(attrs={"rows": 8}),
        required=False,
    )
    confidential_note = forms.CharField(
        label=_("Confidential note for the committee"),
        help_text=_("Read by the staff and the committee only, never by the applicant."),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )
    recommendation = forms.ChoiceField(
        label=_("Recommendation"),
        choices=[("", _("Not chosen yet")), *Recommendation.choices],
        required=False,
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(
        self,
        *args: Any,
        criteria: list[Criterion],
        settings: ReviewSettings,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        choices: list[tuple[str, Any]] = [("", _("Not scored yet"))]
        choices += [(str(level), str(level)) for level in range(settings.scale_max + 1)]
        if settings.allow_na:
            choices.append((NOT_APPLICABLE, _("Not applicable")))
        scored = {}
        for criterion in criteria:
            scored[SCORE_PREFIX + criterion.code] = forms.ChoiceField(
                label=_("%(criterion)s (weight %(weight)s)")
                % {"criterion": criterion.label, "weight": criterion.weight},
                choices=choices,
                required=False,
            )
        # The scores first, in the criteria's order.
        self.fields = {**scored, **self.fields}

    def score_fields(self) -> list[forms.BoundField]:
        return [self[SCORE_PREFIX + c.code] for c in self.criteria]

    def text_fields(self) -> list[forms.BoundField]:
        return [self["opinion"], self["confidential_note"], self["recommendation"]]

    def values(self) -> ReviewValues:
        data = self.cleaned_data
        scores: dict[str, int | str] = {}
        for criterion in self.criteria:
            raw = data.get(SCORE_PREFIX + criterion.code) or ""
            if raw == NOT_APPLICABLE:
                scores[criterion.code] = NOT_APPLICABLE
            elif raw:
                scores[criterion.code] = int(raw)
        return ReviewValues(
            scores=scores,
            opinion=data.get("opinion") or "",
            confidential_note=data.get("confidential_note") or "",
            recommendation=data.get("recommendation") or "",
        )

    @staticmethod
    def initial_of(values: ReviewValues, version: int) -> dict[str, Any]:
        initial: dict[str, Any] = {
            SCORE_PREFIX + code: str(score) for code, score in values.scores.items()
        }
        initial.update(
            opinion=values.opinion,
            confidential_note=values.confidential_note,
            recommendation=values.recommendation,
            version=version,
        )
        return initial


class ReviewSettingsForm(forms.ModelForm):
    class Meta:
        model = ReviewSettings
        fields = ["deadline", "scale_max", "allow_na", "guidance", "visibility"]
        widgets = {
            "deadline": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            ),
            "guidance": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "scale_max": _("Scores go from 0 to this number (at most 10)."),
            "guidance": _("What each level means, one line per level (for example “0: absent”)."),
            "visibility": _("Applicants never see the reviews; experts never see names."),
        }


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        help_text=_("Kept in the audit log."),
        max_length=500,
        required=False,
    )
