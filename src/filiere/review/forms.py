"""Forms of the review pages. They validate input and hand plain values to the services."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from filiere.accounts.types import AnyUser
from filiere.community.models import Language, Organisation, Person, Profession
from filiere.community.selectors import visible_people

from . import selectors
from .models import CONFLICT_KINDS, MAX_LOAD, ExpertiseProfile
from .services import ExpertiseChanges, PastWorkData

MAX_TERMS = 30


def _split_terms(value: str, label: str) -> list[str]:
    terms: list[str] = []
    for part in value.split(","):
        term = " ".join(part.split())
        if term and term.lower() not in {t.lower() for t in terms}:
            terms.append(term[:60])
    if len(terms) > MAX_TERMS:
        raise forms.ValidationError(
            ngettext(
                "Give at most %(count)d %(what)s.", "Give at most %(count)d %(what)s.", MAX_TERMS
            )
            % {"count": MAX_TERMS, "what": label}
        )
    return terms


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (kept in the audit log)"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class InviteByEmailForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"), max_length=254)


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Name"), max_length=100, required=False)


# --- The expert's profile -----------------------------------------------------------------------


class ExpertiseForm(forms.Form):
    professions = forms.ModelMultipleChoiceField(
        label=_("Professions"),
        queryset=Profession.objects.order_by("sort_order", "slug"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("Hold Ctrl (or Cmd) to choose several."),
    )
    skills = forms.CharField(
        label=_("Skills"),
        max_length=1000,
        required=False,
        help_text=_("Separated by commas, e.g. Unreal Engine, documentary, sound design."),
    )
    keywords = forms.CharField(
        label=_("Keywords"),
        max_length=1000,
        required=False,
        help_text=_("Subjects and genres you know well, separated by commas."),
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages you read applications in"),
        choices=Language.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    about = forms.CharField(
        label=_("About my expertise"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
    )

    @classmethod
    def initial_for(cls, profile: ExpertiseProfile | None) -> dict[str, Any]:
        if profile is None:
            return {}
        return {
            "professions": list(profile.professions.all()),
            "skills": ", ".join(skill.label for skill in profile.skills.all()),
            "keywords": ", ".join(profile.keywords),
            "languages": profile.languages,
            "about": profile.about,
        }

    def clean_skills(self) -> list[str]:
        return _split_terms(self.cleaned_data["skills"], str(_("skills")))

    def clean_keywords(self) -> list[str]:
        return _split_terms(self.cleaned_data["keywords"], str(_("keywords")))


class PastWorkForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    year = forms.IntegerField(label=_("Year"), min_value=1900, max_value=2100, required=False)
    description = forms.CharField(
        label=_("Description"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        # A row left blank is ignored; a row begun needs its title and year.
        if (data.get("title") or data.get("description")) and not data.get("year"):
            self.add_error("year", _("Give the year of this work."))
        if (data.get("year") or data.get("description")) and not data.get("title"):
            self.add_error("title", _("Give the title of this work."))
        return data


PastWorkFormSet = forms.formset_factory(PastWorkForm, extra=2, max_num=30, validate_max=True)


def expertise_changes(form: ExpertiseForm, works: Any) -> ExpertiseChanges:
    data = form.cleaned_data
    return ExpertiseChanges(
        professions=list(data["professions"]),
        skill_names=data["skills"],
        keywords=data["keywords"],
        languages=list(data["languages"]),
        about=data["about"],
        past_works=[
            PastWorkData(title=w["title"], year=w["year"], description=w.get("description", ""))
            for w in works.cleaned_data
            if w and w.get("title") and w.get("year")
        ],
    )


class AvailabilityForm(forms.Form):
    available = forms.TypedChoiceField(
        label=_("Can you read applications for this call?"),
        choices=[("yes", _("Yes")), ("no", _("No"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    max_load = forms.IntegerField(
        label=_("How many applications at most?"),
        min_value=1,
        max_value=MAX_LOAD,
        required=False,
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("available") and not data.get("max_load"):
            self.add_error("max_load", _("Say how many applications you can read."))
        return data


# --- Conflicts ----------------------------------------------------------------------------------


class PartyForm(forms.Form):
    """A conflict with a person or an organisation of the directory: type, reason, and the party
    found by name. "Search" shows the matches and keeps what was typed; "Save" records it."""

    kind = forms.ChoiceField(label=_("Type of conflict"), choices=[("", "—"), *CONFLICT_KINDS])
    reason = forms.CharField(
        label=_("Reason"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )
    q = forms.CharField(
        label=_("Name of the person or organisation"),
        max_length=100,
        required=False,
        help_text=_("Type part of the name, then search."),
    )
    party = forms.ChoiceField(
        label=_("Person or organisation"), required=False, widget=forms.RadioSelect
    )

    def __init__(self, *args: Any, viewer: AnyUser, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.viewer = viewer
        q = str(self.data.get("q", "")) if self.is_bound else ""
        self.people = selectors.matching_people(viewer, q)
        self.organisations = selectors.matching_organisations(q)
        cast(forms.ChoiceField, self.fields["party"]).choices = [
            *((f"person:{p.pk}", str(p)) for p in self.people),
            *(
                (f"organisation:{o.pk}", f"{o.name} ({_('organisation')})")
                for o in self.organisations
            ),
        ]
        self.searched = bool(q.strip())

    @property
    def saving(self) -> bool:
        return self.is_bound and "save" in self.data

    def clean_party(self) -> str:
        value = self.cleaned_data.get("party") or ""
        if self.saving and not value:
            raise forms.ValidationError(
                _("Search for a name, then choose the person or the organisation.")
            )
        return str(value)

    def chosen(self) -> tuple[Organisation | None, Person | None]:
        kind, _sep, pk = self.cleaned_data["party"].partition(":")
        if kind == "person":
            return None, visible_people(self.viewer).get(pk=int(pk))
        return Organisation.objects.get(pk=int(pk)), None


class LiftForm(ReasonForm):
    expert = forms.IntegerField(widget=forms.HiddenInput)
    application = forms.IntegerField(widget=forms.HiddenInput)
