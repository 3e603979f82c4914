"""The committee app in the Django admin: read-only, since every change goes through a service
(audited): sessions, members, agendas, votes, simulations, decisions and letters are changed
from the platform's pages."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import AgendaItem, Decision, Letter, Scenario, Session, SessionMember, Vote


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Session)
class SessionAdmin(ReadOnlyAdmin):
    list_display = ["title", "call", "meets_at", "status", "quorum", "second_signature"]
    list_filter = ["status"]
    search_fields = ["title"]


@admin.register(SessionMember)
class SessionMemberAdmin(ReadOnlyAdmin):
    list_display = ["session", "user", "chairs", "added_at", "removed_at"]


@admin.register(AgendaItem)
class AgendaItemAdmin(ReadOnlyAdmin):
    # The notes stay on the platform's pages, behind their gatekeepers.
    list_display = ["session", "application", "position", "notes_version"]
    exclude = ["notes"]


@admin.register(Vote)
class VoteAdmin(ReadOnlyAdmin):
    list_display = ["item", "voter", "choice", "cast_at"]
    list_filter = ["choice"]


@admin.register(Scenario)
class ScenarioAdmin(ReadOnlyAdmin):
    list_display = ["session", "envelope", "status", "created_at", "finished_at"]
    list_filter = ["status"]


@admin.register(Decision)
class DecisionAdmin(ReadOnlyAdmin):
    list_display = ["application", "session", "outcome", "amount", "status", "confirmed_at"]
    list_filter = ["outcome", "status"]


@admin.register(Letter)
class LetterAdmin(ReadOnlyAdmin):
    # The feedback (drawn from the reviews) stays on the platform's pages.
    list_display = ["decision", "language", "status", "version", "sent_at"]
    exclude = ["feedback"]
