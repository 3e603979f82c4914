from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import selectors
from .models import AffiliationRole, Language, OrganisationKind, Person, Visibility
from .services import (
    BELGIAN,
    FRENCH,
    MAX_SKILLS,
    AffiliationDeclaration,
    NewOrganisation,
    ProfileChanges,
)
from .validators import normalise

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from filiere.accounts.models import User

    from .models import Organisation


class SlugChoiceField(forms.ModelChoiceField):
    """A select of reference rows addressed by slug/code in the URL, labelled in the UI language."""

    def __init__(
        self,
        queryset: QuerySet[Any],
        *,
        to_field_name: str = "slug",
        empty_label: StrOrPromise,
        label: StrOrPromise,
    ) -> None:
        super().__init__(
            queryset=queryset,
            to_field_name=to_field_name,
            required=False,
            empty_label=empty_label,
            label=label,
            error_messages={
                "invalid_choice": _("This choice is unknown; the filter was ignored."),
            },
        )


class FilterForm(forms.Form):
    """Base of the GET filter forms: invalid fields are reported, then left out of the search."""

    def valid_values(self) -> dict[str, str]:
        if not self.is_bound:
            return {}
        self.is_valid()
        values = {}
        for name, value in self.cleaned_data.items():
            if value in (None, ""):
                continue
            key = getattr(self.fields[name], "to_field_name", None)
            values[name] = getattr(value, key) if key else value
        return values


class ProfileForm(forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=80)
    last_name = forms.CharField(label=_("Last name"), max_length=80)
    headline = forms.CharField(
        label=_("Headline"),
        max_length=160,
        required=False,
        help_text=_("One line, e.g. “3D animator and rigger, feature films and series”."),
    )
    bio = forms.CharField(
        label=_("Biography"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    professions = forms.ModelMultipleChoiceField(
        label=_("Professions"),
        queryset=selectors.professions(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("Hold Ctrl (or Cmd) to choose several."),
    )
    sectors = forms.ModelMultipleChoiceField(
        label=_("Sectors"),
        queryset=selectors.sectors(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    skills = forms.CharField(
        label=_("Skills"),
        max_length=600,
        required=False,
        help_text=_("Separated by commas, e.g. Blender, Unreal Engine, documentary."),
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages"),
        choices=Language.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    territory = forms.ModelChoiceField(
        label=_("Territory"),
        queryset=selectors.territories(),
        required=False,
        empty_label=_("Not given"),
    )
    visibility = forms.ChoiceField(
        label=_("Who can see my profile"),
        choices=Visibility.choices,
        widget=forms.RadioSelect,
        help_text=_(
            "Public: everyone. Members only: signed-in members. Private: only you and the staff."
        ),
    )
    consent = forms.BooleanField(
        label=_("I agree that my profile appears in the directory, as set above."),
        required=False,
    )

    @classmethod
    def initial_for(cls, person: Person | None, user: User) -> dict[str, Any]:
        if person is None:
            return {
                "first_name": user.first_name,
                "last_name": user.last_name,
                "visibility": Visibility.MEMBERS,
            }
        return {
            "first_name": person.first_name,
            "last_name": person.last_name,
            "headline": person.headline,
            "bio": person.bio,
            "professions": list(person.professions.all()),
            "sectors": list(person.sectors.all()),
            "skills": ", ".join(skill.label for skill in person.skills.all()),
            "languages": person.languages,
            "territory": person.territory_id,
            "visibility": person.visibility,
            "consent": person.consent_at is not None,
        }

    def clean_skills(self) -> list[str]:
        names = [" ".join(part.split()) for part in self.cleaned_data["skills"].split(",")]
        names = [name for name in names if name]
        if len(names) > MAX_SKILLS:
            raise forms.ValidationError(
                ngettext(
                    "Give at most %(count)d skill.", "Give at most %(count)d skills.", MAX_SKILLS
                )
                % {"count": MAX_SKILLS}
            )
        too_long = [name for name in names if len(name) > 60]
        if too_long:
            raise forms.ValidationError(
                _("A skill has at most 60 characters: “%(skill)s…” is longer.")
                % {"skill": too_long[0][:30]}
            )
        return names

    def changes(self) -> ProfileChanges:
        data = self.cleaned_data
        return ProfileChanges(
            first_name=data["first_name"],
            last_name=data["last_name"],
            headline=data["headline"],
            bio=data["bio"],
            territory=data["territory"],
            visibility=data["visibility"],
            languages=list(data["languages"]),
            professions=list(data["professions"]),
            sectors=list(data["sectors"]),
            skill_names=data["skills"],
            consent=data["consent"],
        )


class AffiliationForm(forms.Form):
    """How a person works for an organisation: what they declare when joining or registering it."""

    role = forms.ChoiceField(label=_("Your role"), choices=AffiliationRole.choices)
    title = forms.CharField(
        label=_("Your position"),
        max_length=120,
        required=False,
        help_text=_("e.g. Producer, Lead developer."),
    )
    start_date = forms.DateField(
        label=_("Since"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("The date you started working there, if you want to give it."),
    )

    def clean_start_date(self) -> datetime.date | None:
        start = self.cleaned_data["start_date"]
        if start and start > timezone.localdate():
            raise ValidationError(_("This date is in the future."))
        return start

    def declaration(self) -> AffiliationDeclaration:
        data = self.cleaned_data
        return AffiliationDeclaration(
            role=data["role"], title=data["title"], start_date=data["start_date"]
        )


class OrganisationForm(AffiliationForm):
    """Register a French organisation (SIRET, NAF, seat commune) or a Belgian one (BCE/KBO,
    NACE-BEL, region); ``existing`` is the organisation when the number is already registered."""

    name = forms.CharField(label=_("Name of the organisation"), max_length=200)
    kind = forms.ChoiceField(
        label=_("Kind of organisation"),
        choices=OrganisationKind.choices,
        initial=OrganisationKind.COMPANY,
    )
    website = forms.URLField(
        label=_("Website"), max_length=200, required=False, assume_scheme="https"
    )

    field_order = [
        "name",
        "kind",
        "identifier",
        "activity_code",
        "seat_commune",
        "region",
        "website",
        "role",
        "title",
        "start_date",
    ]

    def __init__(self, *args: Any, country: str, **kwargs: Any) -> None:
        self.country = country
        self.existing: Organisation | None = None
        if country == FRENCH:
            extra = {
                "identifier": forms.CharField(
                    label=_("SIRET number"),
                    max_length=40,
                    help_text=_("14 digits, from the Kbis or the INSEE notice."),
                ),
                "activity_code": forms.CharField(
                    label=_("NAF/APE code"), max_length=40, help_text=_("e.g. 59.11C.")
                ),
                "seat_commune": forms.ModelChoiceField(
                    label=_("Commune of the seat"),
                    queryset=selectors.seat_communes(),
                    empty_label=_("Choose a commune"),
                    help_text=_("The communes of the cluster's three intercommunalities."),
                ),
            }
        else:
            extra = {
                "identifier": forms.CharField(
                    label=_("Enterprise number (BCE/KBO)"),
                    max_length=40,
                    help_text=_("10 digits, e.g. 0403.019.261."),
                ),
                "activity_code": forms.CharField(
                    label=_("NACE-BEL code"), max_length=40, help_text=_("e.g. 59.111.")
                ),
                "region": forms.ModelChoiceField(
                    label=_("Region of the seat"),
                    queryset=selectors.belgian_regions(),
                    empty_label=_("Choose a region"),
                ),
            }
        super().__init__(*args, **kwargs)
        self.fields.update(extra)
        self.order_fields(self.field_order)

    def clean_identifier(self) -> str:
        kind = "siret" if self.country == FRENCH else "bce"
        value = normalise(kind, self.cleaned_data["identifier"])
        self.existing = selectors.find_organisation_by_identifier(
            country=self.country, identifier=value
        )
        if self.existing is not None:
            raise ValidationError(
                _(
                    "This organisation is already registered as “%(name)s”: ask to join it "
                    "instead (see below)."
                )
                % {"name": self.existing.name},
                code="duplicate",
            )
        return value

    def clean_activity_code(self) -> str:
        return normalise(
            "naf" if self.country == FRENCH else "nace", self.cleaned_data["activity_code"]
        )

    def new_organisation(self) -> NewOrganisation:
        data = self.cleaned_data
        return NewOrganisation(
            name=data["name"],
            kind=data["kind"],
            country=self.country,
            identifier=data["identifier"],
            activity_code=data["activity_code"],
            seat_commune=data.get("seat_commune"),
            region=data.get("region"),
            website=data["website"],
        )


class RefusalForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (shown to the person)"), max_length=500, required=False
    )


class TieCorrectionForm(forms.Form):
    """The staff's reason for ending an affiliation or moving the manager role."""

    reason = forms.CharField(label=_("Reason (kept in the audit log)"), max_length=500)


COUNTRIES = {"fr": FRENCH, "be": BELGIAN}
