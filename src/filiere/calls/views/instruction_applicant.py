"""The applicant team's side of the instruction messages: read the thread, answer, download
attachments. Notes and labels of the staff are never read here."""

from django.contrib import messages as flash
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from filiere.accounts.types import AuthenticatedHttpRequest

from .. import selectors_staff
from ..access import access_application_for_team
from ..forms.staff import MessageForm
from ..services import instruction
from ..throttle import Throttled
from .files import serve_message_attachment, throttled


@login_required
def messages_page(request: AuthenticatedHttpRequest, reference: str) -> HttpResponse:
    # permission: signed in; the lead or a team member of the application (404 otherwise)
    application = access_application_for_team(request.user, reference)
    form = MessageForm(request.POST or None, request.FILES or None)
    refused = None
    if request.method == "POST" and form.is_valid():
        try:
            instruction.post_message(
                application=application,
                by=request.user,
                body=form.cleaned_data["body"],
                attachment=form.cleaned_data.get("attachment"),
                from_staff=False,
            )
        except Throttled as error:
            form.add_error(None, error.message)
            refused = error
        else:
            flash.success(request, _("Message sent to the instruction team."))
            return redirect(reverse("calls:application_messages", args=[application.reference]))
    response = render(
        request,
        "calls/staff/team_messages.html",
        {
            "application": application,
            "thread": selectors_staff.messages_for_team(application),
            "form": form,
        },
        status=400 if form.is_bound else 200,
    )
    return throttled(response, refused) if refused else response


@login_required
def message_attachment(
    request: AuthenticatedHttpRequest, reference: str, pk: int
) -> HttpResponseBase:
    # permission: signed in; the lead or a team member of the application (404 otherwise); only
    # once the antivirus found the attachment clean (409 with the reason before)
    application = access_application_for_team(request.user, reference)
    return serve_message_attachment(request, application, pk)
