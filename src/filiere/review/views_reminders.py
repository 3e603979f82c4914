"""The staff's "remind the late experts now" (a button of the reviews dashboard): POST only,
answered on the dashboard with a message.

Thin adapter: the staff's door (``permissions.call_for_conflict_staff``), one service.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from filiere.accounts.types import AuthenticatedHttpRequest
from filiere.errors import ServiceError

from . import services_reminders as services
from .permissions import call_for_conflict_staff


@login_required
@require_POST
def remind_late(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    # permission: the staff of the call (as the reviews dashboard); audited
    call = call_for_conflict_staff(request.user, slug)
    try:
        sent = services.remind_late_experts(call=call, by=request.user)
    except ServiceError as error:
        messages.error(request, error.message)
        return redirect("review:review_dashboard", slug=call.slug)
    if sent.experts:
        messages.success(
            request,
            ngettext(
                "%(experts)s expert reminded (late reviews: %(applications)s).",
                "%(experts)s experts reminded (late reviews: %(applications)s).",
                sent.experts,
            )
            % {"experts": sent.experts, "applications": sent.applications},
        )
    elif not sent.skipped:
        messages.info(request, _("No expert to remind: no review is late."))
    if sent.skipped:
        messages.info(
            request,
            ngettext(
                "%(count)s late review was left out: its expert was reminded less than a day ago.",
                "%(count)s late reviews were left out: their experts were reminded less than a "
                "day ago.",
                sent.skipped,
            )
            % {"count": sent.skipped},
        )
    return redirect("review:review_dashboard", slug=call.slug)
