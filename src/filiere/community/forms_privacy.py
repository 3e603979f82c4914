"""The privacy part of "my profile" (who sees each field, availability) and the works form."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Availability, Person, Visibility, Work
from .models.people import FIELDS_WITH_VISIBILITY
from .services_privacy import PrivacyChanges, WorkData
from .visibility import WIDTH

FIELD_LABELS = {
    "headline": _("Headline"),
    "bio": _("Biography"),
    "works": _("Works"),
    "skills": _("Skills"),
    "languages": _("Languages"),
    "territory": _("Territory"),
    "organisations": _("Organisations"),
    "availability": _("Availability"),
}

LIKE_PROFILE = ""
AUDIENCE_CHOICES = [
    (LIKE_PROFILE, _("Like my profile")),
    (Visibility.PUBLIC.value, _("Everyone")),
    (Visibility.MEMBERS.value, _("Members")),
    (Visibility.PRIVATE.value, _("Only me and the staff")),
]
AUDIENCE_NAMES = {
    Visibility.PUBLIC.value: _("everyone"),
    Visibility.MEMBERS.value: _("members"),
    Visibility.PRIVATE.value: _("only you and the staff"),
}


def audience_field_name(field: str) -> str:
    return f"see_{field}"


class ProfilePrivacyForm(forms.Form):
    """Availability and one audience per field of ``FIELDS_WITH_VISIBILITY``; posted with the
    profile form (prefix ``privacy``), whose ``visibility`` bounds every field."""

    availability = forms.ChoiceField(
        label=_("Availability"),
        choices=[("", _("Not given")), *Availability.choices],
        required=False,
    )

    def __init__(self, *args: Any, profile_visibility: str = "", **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "privacy")
        super().__init__(*args, **kwargs)
        # An unknown profile visibility is the profile form's error; here it bounds as private.
        self.profile_visibility = (
            profile_visibility if profile_visibility in Visibility.values else Visibility.PRIVATE
        )
        for field in FIELDS_WITH_VISIBILITY:
            self.fields[audience_field_name(field)] = forms.ChoiceField(
                label=_("Who sees: %(field)s") % {"field": FIELD_LABELS.get(field, field)},
                choices=AUDIENCE_CHOICES,
                required=False,
            )

    @classmethod
    def initial_for(cls, person: Person | None) -> dict[str, Any]:
        if person is None:
            return {}
        chosen = person.field_visibility or {}
        return {
            "availability": person.availability,
            **{
                audience_field_name(field): chosen.get(field, LIKE_PROFILE)
                for field in FIELDS_WITH_VISIBILITY
            },
        }

    def audience_fields(self) -> list[forms.BoundField]:
        return [self[audience_field_name(field)] for field in FIELDS_WITH_VISIBILITY]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        bound = WIDTH[Visibility(self.profile_visibility)]
        for field in FIELDS_WITH_VISIBILITY:
            name = audience_field_name(field)
            audience = data.get(name) or LIKE_PROFILE
            if audience != LIKE_PROFILE and WIDTH[Visibility(audience)] > bound:
                self.add_error(
                    name,
                    _(
                        "Your profile is seen by %(profile)s: this field cannot be seen by "
                        "%(field)s. Choose a narrower audience, or widen your profile first."
                    )
                    % {
                        "profile": AUDIENCE_NAMES[self.profile_visibility],
                        "field": AUDIENCE_NAMES[audience],
                    },
                )
        return data

    def changes(self) -> PrivacyChanges:
        data = self.cleaned_data
        audiences = {
            field: data[audience_field_name(field)]
            for field in FIELDS_WITH_VISIBILITY
            if data.get(audience_field_name(field))
        }
        return PrivacyChanges(availability=data["availability"], field_visibility=audiences)


class WorkForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    year = forms.IntegerField(label=_("Year"), required=False, min_value=1900)
    role = forms.CharField(
        label=_("Your role in it"),
        max_length=120,
        required=False,
        help_text=_("e.g. Sound designer, Lead animator."),
    )
    description = forms.CharField(
        label=_("Description"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    url = forms.URLField(label=_("Link"), max_length=300, required=False, assume_scheme="https")

    def clean_year(self) -> int | None:
        year = self.cleaned_data["year"]
        if year is not None and year > datetime.date.today().year + 5:
            raise forms.ValidationError(_("Give a year no more than five years ahead."))
        return year

    @classmethod
    def initial_for(cls, work: Work) -> dict[str, Any]:
        return {
            "title": work.title,
            "year": work.year,
            "role": work.role,
            "description": work.description,
            "url": work.url,
        }

    def data_out(self) -> WorkData:
        data = self.cleaned_data
        return WorkData(
            title=data["title"],
            year=data["year"],
            role=data["role"],
            description=data["description"],
            url=data["url"],
        )
