"""The community app in the Django admin. Reference lists, people and organisations are edited
here; the skills vocabulary and the members' works are read-only, since they change through
audited services: the staff's curation pages (/community/skills/: add, edit, accept, merge) and
each member's own works page."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from .models import (
    Affiliation,
    Commune,
    Organisation,
    Person,
    Profession,
    Sector,
    Skill,
    SkillStatus,
    Territory,
    Work,
)
from .selectors_skills import SkillFilters, descendant_ids_in, search_skills


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Territory)
class TerritoryAdmin(admin.ModelAdmin):
    list_display = ["code", "label_fr", "kind", "country", "siren"]


@admin.register(Commune)
class CommuneAdmin(admin.ModelAdmin):
    list_display = ["name", "insee_code", "siren", "population", "territory"]
    list_filter = ["territory"]
    search_fields = ["name", "insee_code"]


@admin.register(Sector)
class SectorAdmin(admin.ModelAdmin):
    list_display = ["slug", "label_fr", "label_en", "label_nl"]


@admin.register(Profession)
class ProfessionAdmin(admin.ModelAdmin):
    list_display = ["slug", "label_fr", "label_en", "label_nl", "rome_code", "isco_code"]
    search_fields = ["slug", "label_fr", "label_en", "label_nl", "rome_code"]


class SkillDomainFilter(admin.SimpleListFilter):
    """A domain of the vocabulary (a curated entry without a broader one): the domain and every
    entry under it, at any depth."""

    title = _("domain")
    parameter_name = "domain"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        domains = Skill.objects.filter(parent=None, status=SkillStatus.CURATED)
        return [(skill.slug, skill.name) for skill in domains.order_by("sort_order", "name")]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Skill]) -> QuerySet[Skill]:
        if not self.value():
            return queryset
        rows = list(Skill.objects.only("pk", "slug", "parent_id"))
        domain = next((skill for skill in rows if skill.slug == self.value()), None)
        if domain is None:
            return queryset.none()
        return queryset.filter(pk__in={domain.pk, *descendant_ids_in(rows, domain)})


@admin.register(Skill)
class SkillAdmin(ReadOnlyAdmin):
    """Read only: the curation pages add, edit, accept and merge entries (every relation moves
    with a merge, and each change is audited)."""

    list_display = ["name", "label_en", "label_nl", "parent", "status", "rome_codes", "slug"]
    list_filter = [SkillDomainFilter, "status"]
    list_select_related = ["parent"]
    search_fields = ["name"]  # shows the box; get_search_results reads every label and synonym
    search_help_text = _(
        "Labels in French, English and Dutch, and synonyms; case and accents do not matter."
    )
    readonly_fields = ["curation"]

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[Skill], search_term: str
    ) -> tuple[QuerySet[Skill], bool]:
        # The vocabulary's own search: the same matching as the API and the curation pages.
        if not search_term.strip():
            return queryset, False
        found = search_skills(SkillFilters(q=search_term), staff=True)
        return queryset.filter(pk__in=[skill.pk for skill in found]), False

    @admin.display(description=_("curation"))
    def curation(self, skill: Skill) -> SafeString:
        return format_html(
            '<a href="{}">{}</a>',
            reverse("community:skill_edit", args=[skill.slug]),
            _("Edit or merge it on the curation page"),
        )


@admin.register(Work)
class WorkAdmin(ReadOnlyAdmin):
    """Read only: each member adds, edits and deletes their own works (audited)."""

    list_display = ["title", "year", "role", "person"]
    list_select_related = ["person"]
    search_fields = ["title", "person__last_name", "person__first_name"]
    formfield_overrides = {
        models.URLField: {"form_class": forms.URLField, "assume_scheme": "https"},
    }


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "territory", "siren", "bce_number", "naf_code", "nace_code"]
    list_filter = ["kind", "territory", "sectors"]
    search_fields = ["name", "siren", "siret", "bce_number"]
    autocomplete_fields = ["seat_commune"]
    filter_horizontal = ["sectors"]
    # A web site typed without a scheme is https (Django 6's default, explicit here).
    formfield_overrides = {
        models.URLField: {"form_class": forms.URLField, "assume_scheme": "https"},
    }


class AffiliationInline(admin.TabularInline):
    model = Affiliation
    extra = 0
    autocomplete_fields = ["organisation"]


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["last_name", "first_name", "visibility", "territory"]
    list_filter = ["visibility", "territory", "sectors"]
    search_fields = ["last_name", "first_name", "slug"]
    raw_id_fields = ["user"]
    filter_horizontal = ["professions", "skills", "sectors"]
    inlines = [AffiliationInline]
