"""Pages of the skills vocabulary: the staff curate it (tree, edit, accept, merge); an
organisation's manager says which skills it has."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from filiere.accounts.permissions import is_staff

from . import selectors_skills, services_skills
from .forms_skills import MergeForm, OrganisationSkillsForm, SkillForm, typed_names
from .models import SkillStatus
from .permissions import can_manage_organisation

if TYPE_CHECKING:
    from filiere.accounts.types import AuthenticatedHttpRequest


def _staff_only(request: AuthenticatedHttpRequest) -> None:
    if not is_staff(request.user):
        raise PermissionDenied


@login_required
def vocabulary(request: AuthenticatedHttpRequest) -> HttpResponse:
    # permission: staff only (403 for other members); the whole vocabulary, proposed entries
    # included, with how many people and organisations use each entry
    _staff_only(request)
    only_proposed = request.GET.get("status") == SkillStatus.PROPOSED
    skills = list(selectors_skills.skills_with_counts())
    return render(
        request,
        "community/skills/vocabulary.html",
        {
            "domains": [] if only_proposed else selectors_skills.vocabulary_tree(skills),
            "proposed": selectors_skills.proposed_skills(skills),
            "only_proposed": only_proposed,
        },
    )


def _save_error(form: SkillForm, error: services_skills.SkillError) -> None:
    form.add_error(error.field or None, error.message)


@login_required
def skill_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    # permission: staff only (403 for other members)
    _staff_only(request)
    form = SkillForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            skill = services_skills.create_skill(by=request.user, changes=form.changes())
        except services_skills.SkillError as error:
            _save_error(form, error)
        else:
            messages.success(request, _("“%(name)s” was added.") % {"name": skill.label})
            return redirect("community:skills")
    return render(request, "community/skills/edit.html", {"form": form, "skill": None})


@login_required
def skill_edit(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    # permission: staff only (403 for other members); 404 for an unknown entry. "Accept" turns
    # a proposed entry into a curated one with what the form says.
    _staff_only(request)
    skill = selectors_skills.get_skill(slug)
    if request.method == "POST":
        form = SkillForm(request.POST, skill=skill)
        if form.is_valid():
            accept = "accept" in request.POST
            try:
                skill = services_skills.update_skill(
                    by=request.user, skill=skill, changes=form.changes(), accept=accept
                )
            except services_skills.SkillError as error:
                _save_error(form, error)
            else:
                done = _("“%(name)s” joined the vocabulary.") if accept else _("Saved.")
                messages.success(request, done % {"name": skill.label})
                return redirect("community:skill_edit", slug=skill.slug)
    else:
        form = SkillForm(initial=SkillForm.initial_for(skill), skill=skill)
    return render(request, "community/skills/edit.html", {"form": form, "skill": skill})


@login_required
def skill_merge(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    # permission: staff only (403 for other members); 404 for an unknown entry
    _staff_only(request)
    duplicate = selectors_skills.get_skill(slug)
    form = MergeForm(request.POST or None, duplicate=duplicate)
    if request.method == "POST" and form.is_valid():
        try:
            target = services_skills.merge_skill(
                by=request.user, duplicate=duplicate, into=form.cleaned_data["into"]
            )
        except services_skills.SkillError as error:
            form.add_error("into", error.message)
        else:
            messages.success(
                request,
                _("“%(duplicate)s” was merged into “%(target)s”.")
                % {"duplicate": duplicate.label, "target": target.label},
            )
            return redirect("community:skill_edit", slug=target.slug)
    return render(request, "community/skills/merge.html", {"form": form, "skill": duplicate})


@login_required
def organisation_skills(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    # permission: the organisation's current manager or staff (403 for other members); 404 for
    # an unknown organisation
    organisation = selectors_skills.organisation_with_skills(slug)
    if not can_manage_organisation(request.user, organisation):
        raise PermissionDenied
    if request.method == "POST":
        form = OrganisationSkillsForm(request.POST)
        if form.is_valid():
            services_skills.set_organisation_skills(
                by=request.user, organisation=organisation, names=form.cleaned_data["skills"]
            )
            messages.success(request, _("The organisation's skills have been saved."))
            return redirect("community:organisation", slug=organisation.slug)
    else:
        form = OrganisationSkillsForm(initial={"skills": typed_names(organisation.skills.all())})
    return render(
        request,
        "community/skills/organisation_skills.html",
        {"form": form, "organisation": organisation},
    )
