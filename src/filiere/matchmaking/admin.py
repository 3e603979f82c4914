"""Matchmaking in the Django admin: read-only, since every change goes through a service
(audited, with its limits and e-mails): posts are written by their authors and moderated on
/matchmaking/moderation/, introductions answered by the members, reports closed on
/matchmaking/reports/, digests sent by the weekly task, suggestions computed by their task (the
admin shows their runs' state, not their scores). The messages of introduction requests
stay between the two members (the moderators read a reported one on their page)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from .models import Block, DigestSent, Introduction, Post, Report, SuggestionRun


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


@admin.register(SuggestionRun)
class SuggestionRunAdmin(ReadOnlyAdmin):
    """Which runs wait, failed or are done: to see a stuck worker. The scores stay out (they are
    read on the post's page, filtered for its reader); a run is computed again by the pages or
    ``manage.py compute_suggestions``, never edited."""

    list_display = ["subject", "status", "requested_at", "finished_at"]
    list_filter = ["status"]
    list_select_related = ["post", "user"]
    search_fields = ["post__title", "user__email"]
    date_hierarchy = "requested_at"
    fields = ["post", "user", "status", "suggestions", "fingerprint", "requested_at", "finished_at"]
    readonly_fields = ["suggestions"]

    @admin.display(description=_("subject"))
    def subject(self, run: SuggestionRun) -> str:
        if run.post is not None:
            return _("Post: %(title)s") % {"title": run.post.title}
        return _("For you: %(member)s") % {"member": run.user}

    @admin.display(description=_("suggestions"))
    def suggestions(self, run: SuggestionRun) -> int | str:
        """How many were found (a member's run: needs and calls together)."""
        result = run.result
        if result is None:
            return "—"
        if isinstance(result, dict):
            return sum(len(rows) for rows in result.values())
        return len(result)
