"""The member's privacy pages under /me/privacy/: overview, export, consents, deletion.

The export and the deletion are sensitive: allauth asks for the password (or the second factor)
again when the last confirmation is older than ACCOUNT_REAUTHENTICATION_TIMEOUT.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from allauth.account.decorators import reauthentication_required
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from filiere.accounts.services import record_consent

from . import notifications, selectors, services
from .forms import ConsentForm, DeleteAccountForm

if TYPE_CHECKING:
    from filiere.accounts.types import AuthenticatedHttpRequest

logger = logging.getLogger(__name__)


@login_required
def home(request: AuthenticatedHttpRequest) -> HttpResponse:
    # permission: signed in; about the user's own data only
    return render(request, "privacy/home.html")


@login_required
@reauthentication_required(allow_get=True)
def export(request: AuthenticatedHttpRequest) -> HttpResponse:
    # permission: signed in; GET explains, POST downloads the user's own data after a recent
    # password (or second factor) confirmation
    if request.method != "POST":
        return render(request, "privacy/export.html")
    try:
        archive = services.export_archive(user=request.user, by=request.user)
    except services.ExportTooLarge as error:
        messages.error(request, error.message)
        return redirect("privacy:export")
    response = HttpResponse(archive.content, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{archive.filename}"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
def consents(request: AuthenticatedHttpRequest) -> HttpResponse:
    # permission: signed in; shows and changes the user's own consents only
    return render(
        request,
        "privacy/consents.html",
        {
            "log": selectors.consent_log(request.user),
            "current": selectors.current_consents(request.user),
        },
    )


@login_required
@require_POST
def consent_change(request: AuthenticatedHttpRequest) -> HttpResponse:
    # permission: signed in; records the user's own consent (given or withdrawn)
    form = ConsentForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose one of the listed purposes."))
        return redirect("privacy:consents")
    granted = form.cleaned_data["granted"]
    record_consent(
        user=request.user,
        purpose=form.cleaned_data["purpose"],
        granted=granted,
        source="privacy page",
    )
    messages.success(
        request, _("Your consent is recorded.") if granted else _("Your consent is withdrawn.")
    )
    return redirect("privacy:consents")


@login_required
@reauthentication_required(allow_get=True)
def delete(request: AuthenticatedHttpRequest) -> HttpResponse:
    # permission: signed in; deletes the user's own account only, after typing its e-mail
    # address and a recent password (or second factor) confirmation
    check = services.check_deletion(request.user)
    form = DeleteAccountForm(request.POST or None, expected_email=request.user.email)
    if request.method == "POST" and check.allowed and form.is_valid():
        try:
            deletion = services.delete_account(user=request.user, by=request.user)
        except services.PrivacyRefused as error:
            messages.error(request, error.message)
            return redirect("privacy:delete")
        # The service has committed: say it to the old address (a mail server that fails does
        # not undo the deletion), then end this session.
        try:
            notifications.account_deleted(deletion)
        except OSError:
            logger.exception("privacy: the deletion's confirmation e-mail was not sent")
        logout(request)
        messages.success(request, _("Your account is deleted. Thank you for your time on Filière."))
        return redirect("ui:home")
    refusals = [services.PrivacyRefused(code, params).message for code, params in check.refusals]
    return render(
        request, "privacy/delete.html", {"check": check, "refusals": refusals, "form": form}
    )
