"""Forms of find partners: the skills the lead looks for besides the genre's, and the role of an
invitation. They read input only; the services decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from filiere.calls.models import TeamMember
from filiere.community.models import Skill, SkillStatus


class WantedForm(forms.Form):
    """``?skill=slug&skill=…``: more skills to look for (the vocabulary's curated entries)."""

    skill = forms.ModelMultipleChoiceField(
        label=_("Also looking for"),
        queryset=Skill.objects.filter(status=SkillStatus.CURATED).order_by("name"),
        to_field_name="slug",
        required=False,
    )


class InviteForm(forms.Form):
    person = forms.SlugField(widget=forms.HiddenInput)
    role = forms.ChoiceField(label=_("Role"), choices=TeamMember.Role.choices)
