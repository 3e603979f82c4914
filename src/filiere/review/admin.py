"""The review app in the Django admin: read-only, since every change goes through a service
(audited): pools, declarations and lifts are changed from the platform's pages."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import (
    Assignment,
    AssignmentRun,
    Availability,
    ConflictLift,
    Declaration,
    Expert,
    ExpertiseProfile,
    Review,
    ReviewSettings,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Expert)
class ExpertAdmin(ReadOnlyAdmin):
    list_display = ["email", "fund", "status", "invited_at", "joined_at", "left_at"]
    list_filter = ["fund", "status"]
    search_fields = ["email"]


@admin.register(ExpertiseProfile)
class ExpertiseProfileAdmin(ReadOnlyAdmin):
    list_display = ["user", "updated_at"]


@admin.register(Availability)
class AvailabilityAdmin(ReadOnlyAdmin):
    list_display = ["expert", "call", "available", "max_load", "updated_at"]


@admin.register(Declaration)
class DeclarationAdmin(ReadOnlyAdmin):
    list_display = ["source", "kind", "declared_by", "declared_at"]
    list_filter = ["source", "kind"]


@admin.register(ConflictLift)
class ConflictLiftAdmin(ReadOnlyAdmin):
    list_display = ["application", "expert", "lifted_by", "lifted_at"]


@admin.register(AssignmentRun)
class AssignmentRunAdmin(ReadOnlyAdmin):
    list_display = ["call", "mode", "reviews", "status", "outcome", "created_at", "finished_at"]
    list_filter = ["status", "mode"]


@admin.register(Assignment)
class AssignmentAdmin(ReadOnlyAdmin):
    list_display = ["application", "expert", "affinity", "status", "locked", "response"]
    list_filter = ["status", "response", "locked"]


@admin.register(ReviewSettings)
class ReviewSettingsAdmin(ReadOnlyAdmin):
    list_display = ["call", "deadline", "scale_max", "allow_na", "visibility"]


@admin.register(Review)
class ReviewAdmin(ReadOnlyAdmin):
    # The scores and texts stay on the platform's pages, behind their gatekeepers.
    list_display = ["assignment", "status", "version", "submitted_at"]
    list_filter = ["status"]
