from django import forms
from django.contrib import admin
from django.db import models

from .models import (
    Affiliation,
    Commune,
    Organisation,
    Person,
    Profession,
    Sector,
    Skill,
    Territory,
)


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


@admin.register(Skill)
class SkillAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name", "slug"]


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
