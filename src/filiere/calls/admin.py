"""Django admin of the calls app: the editable reference lists (genres, stages, document types)
and read-mostly views of funds and calls. Calls are designed on the staff pages
(/calls/design/), where every change goes through a service and the audit log."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from .models import Call, DocumentType, Fund, Genre, Stage


@admin.register(Genre, Stage, DocumentType)
class CodedLabelAdmin(admin.ModelAdmin):
    list_display = ("code", "label_fr", "label_en", "label_nl", "sort_order")
    list_editable = ("sort_order",)
    search_fields = ("code", "label_fr", "label_en", "label_nl")


@admin.register(Fund)
class FundAdmin(admin.ModelAdmin):
    list_display = ("slug", "name_fr")
    search_fields = ("slug", "name_fr", "name_en", "name_nl")

    def has_delete_permission(self, request: HttpRequest, obj: Fund | None = None) -> bool:
        return False


@admin.register(Call)
class CallAdmin(admin.ModelAdmin):
    """Read only: the design pages are where calls change (validated, audited)."""

    list_display = ("slug", "title_fr", "fund", "opens_at", "closes_at", "published")
    list_filter = ("published", "fund")
    search_fields = ("slug", "title_fr", "title_en", "title_nl")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Call | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Call | None = None) -> bool:
        return False
