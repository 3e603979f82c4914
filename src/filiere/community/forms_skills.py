"""Forms of the skills vocabulary: the staff's entry and merge forms, and the typed-tags field
an organisation's manager fills in."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .models import Skill
from .selectors_skills import broader_choices, curated_skills, descendant_ids
from .services import MAX_SKILLS
from .services_skills import SkillChanges
from .skills_data import ROME_CODE, SYNONYM_SEPARATOR

MAX_TAG_LENGTH = 60


class SkillNamesField(forms.CharField):
    """Skills typed as free tags separated by commas; each is matched against the vocabulary
    when saved (unknown ones are proposed to the staff)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("Skills"))
        kwargs.setdefault(
            "help_text",
            _(
                "Separated by commas, e.g. Blender, sound design, co-production. In French, "
                "English or Dutch: each is matched to the skills vocabulary."
            ),
        )
        super().__init__(max_length=600, required=False, **kwargs)

    def clean(self, value: Any) -> list[str]:
        text = super().clean(value)
        names = [" ".join(part.split()) for part in text.split(",")]
        names = [name for name in names if name]
        if len(names) > MAX_SKILLS:
            raise forms.ValidationError(
                ngettext(
                    "Give at most %(count)d skill.", "Give at most %(count)d skills.", MAX_SKILLS
                )
                % {"count": MAX_SKILLS}
            )
        too_long = [name for name in names if len(name) > MAX_TAG_LENGTH]
        if too_long:
            raise forms.ValidationError(
                _("A skill has at most 60 characters: “%(skill)s…” is longer.")
                % {"skill": too_long[0][:30]}
            )
        return names


def typed_names(skills: Any) -> str:
    """The text a tags field shows for these entries, in the active language."""
    return ", ".join(skill.label for skill in skills)


class OrganisationSkillsForm(forms.Form):
    skills = SkillNamesField(
        help_text=_(
            "What the organisation does or offers, separated by commas, e.g. motion capture, "
            "Unreal Engine, post-production. Each is matched to the skills vocabulary."
        )
    )


class SkillForm(forms.Form):
    """An entry of the vocabulary, as the staff edit it (or accept a proposed one)."""

    name = forms.CharField(label=_("Name in French"), max_length=60)
    label_en = forms.CharField(label=_("Name in English"), max_length=80, required=False)
    label_nl = forms.CharField(label=_("Name in Dutch"), max_length=80, required=False)
    slug = forms.SlugField(
        label=_("Short name"),
        max_length=60,
        help_text=_("Lower case letters, digits and hyphens; it appears in addresses."),
    )
    parent = forms.ModelChoiceField(
        label=_("Broader entry"),
        queryset=Skill.objects.none(),
        required=False,
        empty_label=_("None: this entry is a domain"),
    )
    synonyms = forms.CharField(
        label=_("Synonyms"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Other words for it, in any language, one per line: a member who types one of "
            "them gets this entry."
        ),
    )
    rome_codes = forms.CharField(
        label=_("ROME codes"),
        required=False,
        max_length=60,
        help_text=_("The French job codes it belongs to, separated by commas, e.g. L1510, E1205."),
    )
    sort_order = forms.IntegerField(label=_("Order"), min_value=0, max_value=32767, initial=0)

    def __init__(self, *args: Any, skill: Skill | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        parent = self.fields["parent"]
        assert isinstance(parent, forms.ModelChoiceField)
        parent.queryset = broader_choices(skill)

    @staticmethod
    def initial_for(skill: Skill) -> dict[str, Any]:
        return {
            "name": skill.name,
            "label_en": skill.label_en,
            "label_nl": skill.label_nl,
            "slug": skill.slug,
            "parent": skill.parent_id,
            "synonyms": "\n".join(skill.synonyms or []),
            "rome_codes": ", ".join(code for code in skill.rome_codes.split(",") if code),
            "sort_order": skill.sort_order,
        }

    def clean_synonyms(self) -> list[str]:
        text = self.cleaned_data["synonyms"].replace(SYNONYM_SEPARATOR, "\n")
        return [line.strip() for line in text.splitlines() if line.strip()]

    def clean_rome_codes(self) -> list[str]:
        codes = [code.strip().upper() for code in self.cleaned_data["rome_codes"].split(",")]
        codes = [code for code in codes if code]
        wrong = [code for code in codes if not ROME_CODE.fullmatch(code)]
        if wrong:
            raise forms.ValidationError(
                _("“%(code)s” is not a ROME code: a letter and four digits, e.g. L1510.")
                % {"code": wrong[0]}
            )
        return codes

    def changes(self) -> SkillChanges:
        data = self.cleaned_data
        return SkillChanges(
            slug=data["slug"],
            name=data["name"],
            label_en=data["label_en"],
            label_nl=data["label_nl"],
            parent=data["parent"],
            synonyms=data["synonyms"],
            rome_codes=data["rome_codes"],
            sort_order=data["sort_order"],
        )


class MergeForm(forms.Form):
    into = forms.ModelChoiceField(
        label=_("Merge into"),
        queryset=Skill.objects.none(),
        to_field_name="slug",
        empty_label=_("Choose the entry to keep"),
        help_text=_(
            "Everyone and everything described with the duplicate will be described with this "
            "entry; the duplicate's names become its synonyms, and the duplicate is deleted."
        ),
    )

    def __init__(self, *args: Any, duplicate: Skill, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        into = self.fields["into"]
        assert isinstance(into, forms.ModelChoiceField)
        into.queryset = curated_skills().exclude(pk__in={duplicate.pk, *descendant_ids(duplicate)})
