"""Forms of the offers and needs board: the board's filters, a post, a moderator's refusal, the
digests' consents. They read input only; the services decide (and check again)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from filiere.community.forms import FilterForm, SlugChoiceField
from filiere.community.models import Language, Organisation, Territory

from .models import PostKind
from .selectors_board import WORKING_LANGUAGES, BoardFilters, filter_skills, filter_territories
from .services_board import (
    DEFAULT_LISTING_DAYS,
    DESCRIPTION_MAX,
    DURATION_MAX,
    MAX_LISTING_DAYS,
    REASON_MAX,
    TITLE_MAX,
    PostDraft,
)

#: A few characters beyond each limit reach the service, which says the limit in words.
_SLACK = 1


def _languages() -> list[tuple[str, Any]]:
    labels = dict(Language.choices)
    return [(code, labels[code]) for code in WORKING_LANGUAGES]


class BoardFilterForm(FilterForm):
    kind = forms.ChoiceField(
        label=_("Offers or needs"),
        choices=[("", _("Offers and needs")), *PostKind.choices],
        required=False,
        error_messages={"invalid_choice": _("This choice is unknown; the filter was ignored.")},
    )
    skill = SlugChoiceField(filter_skills(), empty_label=_("Any skill"), label=_("Skill"))
    territory = SlugChoiceField(
        filter_territories(),
        to_field_name="code",
        empty_label=_("Any territory"),
        label=_("Territory"),
    )
    language = forms.ChoiceField(
        label=_("Working language"),
        choices=[("", _("Any language")), *_languages()],
        required=False,
        error_messages={"invalid_choice": _("This choice is unknown; the filter was ignored.")},
    )

    def filters(self) -> BoardFilters:
        return BoardFilters(**self.valid_values())


class PostForm(forms.Form):
    """An offer or a need. Lengths are checked by the service too (the API has no form)."""

    kind = forms.ChoiceField(label=_("I…"), choices=PostKind.choices, widget=forms.RadioSelect)
    organisation = forms.ModelChoiceField(
        label=_("On behalf of"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=_("Myself"),
        help_text=_("An organisation you manage, or yourself."),
    )
    title = forms.CharField(
        label=_("Title"),
        max_length=TITLE_MAX + _SLACK,
        help_text=_("e.g. Looking for a sound designer for a serious game, 3 months"),
    )
    description = forms.CharField(
        label=_("Description"),
        max_length=DESCRIPTION_MAX + _SLACK,
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    skills = forms.CharField(
        label=_("Skills"),
        max_length=600,
        required=False,
        help_text=_("Separated by commas, e.g. sound design, Unreal Engine, motion capture."),
    )
    territory = forms.ModelChoiceField(
        label=_("Territory"),
        queryset=Territory.objects.all(),
        required=False,
        empty_label=_("Anywhere"),
    )
    starts_on = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    ends_on = forms.DateField(
        label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    duration = forms.CharField(
        label=_("Duration"),
        max_length=DURATION_MAX + _SLACK,
        required=False,
        help_text=_("In your words, e.g. 3 months, two days in March."),
    )
    language = forms.ChoiceField(label=_("Working language"), choices=_languages())
    expires_on = forms.DateField(
        label=_("Listed until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, *args: Any, organisations: QuerySet[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organisation"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = organisations
        self.fields["expires_on"].help_text = gettext(
            "%(default)s days from today if left empty; at most %(days)s days."
        ) % {"default": DEFAULT_LISTING_DAYS, "days": MAX_LISTING_DAYS}

    def draft(self) -> PostDraft:
        data = self.cleaned_data
        return PostDraft(
            kind=data["kind"],
            title=data["title"],
            description=data["description"],
            skills=tuple(part for part in data["skills"].split(",") if part.strip()),
            territory=data["territory"],
            starts_on=data["starts_on"],
            ends_on=data["ends_on"],
            duration=data["duration"],
            language=data["language"],
            expires_on=data["expires_on"],
            organisation=data.get("organisation"),
        )

    @staticmethod
    def initial_from(post: Any) -> dict[str, Any]:
        return {
            "kind": post.kind,
            "organisation": post.organisation_id,
            "title": post.title,
            "description": post.description,
            "skills": ", ".join(skill.label for skill in post.skills.all()),
            "territory": post.territory_id,
            "starts_on": post.starts_on,
            "ends_on": post.ends_on,
            "duration": post.duration,
            "language": post.language,
            "expires_on": post.expires_on,
        }


class RefusalForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason, shown to the author"),
        max_length=REASON_MAX + _SLACK,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class DigestConsentForm(forms.Form):
    """The two weekly digests, each given or withdrawn on its own."""

    calls_digest = forms.BooleanField(
        label=_("Each week, e-mail me the open calls I could answer"), required=False
    )
    needs_digest = forms.BooleanField(
        label=_("Each week, e-mail me the needs matching my skills"), required=False
    )
