"""Matchmaking in the Django admin: read-only, since every change goes through a service
(audited, with its limits and e-mails): posts are written by their authors and moderated on
/matchmaking/moderation/, introductions answered by the members, reports closed on
/matchmaking/reports/, digests sent by the weekly task. The messages of introduction requests
stay between the two members (the moderators read a reported one on their page)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import Block, DigestSent, Introduction, Post, Report


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Post)
class PostAdmin(ReadOnlyAdmin):
    list_display = ["title", "kind", "status", "author", "organisation", "expires_on", "created_at"]
    list_filter = ["kind", "status"]
    list_select_related = ["author", "organisation"]
    search_fields = ["title", "author__email", "organisation__name"]
    date_hierarchy = "created_at"


@admin.register(Introduction)
class IntroductionAdmin(ReadOnlyAdmin):
    list_display = ["requester", "recipient", "post", "status", "created_at", "answered_at"]
    list_filter = ["status"]
    list_select_related = ["requester", "recipient", "post"]
    search_fields = ["requester__email", "recipient__email"]
    exclude = ["message"]


@admin.register(Block)
class BlockAdmin(ReadOnlyAdmin):
    list_display = ["blocker", "blocked", "created_at"]
    list_select_related = ["blocker", "blocked"]
    search_fields = ["blocker__email", "blocked__email"]


@admin.register(Report)
class ReportAdmin(ReadOnlyAdmin):
    list_display = [
        "pk",
        "reason",
        "status",
        "reporter",
        "reported_user",
        "post",
        "created_at",
        "handled_by",
        "handled_at",
    ]
    list_filter = ["status", "reason"]
    list_select_related = ["reporter", "reported_user", "post", "handled_by"]
    search_fields = ["reporter__email", "reported_user__email", "details"]


@admin.register(DigestSent)
class DigestSentAdmin(ReadOnlyAdmin):
    list_display = ["user", "week", "sent_at"]
    list_select_related = ["user"]
    search_fields = ["user__email"]
    date_hierarchy = "week"
