"""The audit log of the calls a staff member instructs: read-only, filtered, paginated.

There is no route that changes an entry: the log is append-only (model, admin and, on
PostgreSQL, a trigger). Who reads what is ``selectors_audit``'s rule.
"""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from filiere.accounts.permissions import is_staff
from filiere.accounts.types import AuthenticatedHttpRequest

from .. import selectors_audit
from ..forms.audit import AuditFilterForm
from ..permissions import instructor_required

PAGE_SIZE = 50


@instructor_required
@require_GET
def audit_log(request: AuthenticatedHttpRequest) -> HttpResponse:
    # permission: staff or admin (every call), or a staff grant scoped to a call (that call);
    # 403 for other signed-in people. Entries of files the reader leads or joined are left out.
    calls = selectors_audit.audited_calls(request.user).order_by("-closes_at", "pk")
    form = AuditFilterForm(request.GET or None, calls=calls, with_funds=is_staff(request.user))
    queryset = selectors_audit.audit_entries(request.user, form.filters())
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    entries = list(page.object_list)
    applications = selectors_audit.applications_by_id(entries)
    # The details as pairs here: in a template, ``data.items`` reads a key named "items" first.
    rows = [(entry, applications.get(entry.object_id), _details(entry.data)) for entry in entries]
    return render(
        request,
        "calls/staff/audit_log.html",
        {"form": form, "page": page, "rows": rows},
    )


def _details(data: object) -> list[tuple[str, object]]:
    return sorted(data.items()) if isinstance(data, dict) else []
