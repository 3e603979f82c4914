"""Find partners, inside an application draft: the skills the team lacks for the call's genre,
the people and organisations of the directory who have them (with reasons), and one click to
invite a person as a co-applicant with a role.

Thin adapters: the calls' gatekeeper (the application for its team, 404 otherwise) and the
team's rule (only who manages the team: 404 for other members too), one selector, one service.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from filiere.accounts.types import AuthenticatedHttpRequest
from filiere.calls.access import access_application_for_member
from filiere.calls.models import Application
from filiere.calls.permissions import can_manage_team, is_open_for_edits
from filiere.community.models import Person
from filiere.errors import ServiceError

from .forms_partners import InviteForm, WantedForm
from .selectors_partners import find_partners
from .services_partners import invite_partner


def _managed(request: AuthenticatedHttpRequest, pk: int) -> Application:
    """The application for who manages its team; the same 404 for anyone else."""
    application = access_application_for_member(request.user, pk)
    if not can_manage_team(request.user, application):
        raise Http404
    return application


@login_required
def find(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    # permission: signed in; the lead of the application (calls' gatekeeper, then
    # can_manage_team: 404 for anyone else, team members included); profiles the lead may see
    application = _managed(request, pk)
    wanted_form = WantedForm(request.GET or None)
    extra = list(wanted_form.cleaned_data["skill"]) if wanted_form.is_valid() else []
    editable = is_open_for_edits(application, timezone.now())
    partners = find_partners(application, request.user, extra) if editable else None
    context = {
        "application": application,
        "partners": partners,
        "editable": editable,
        "wanted_form": wanted_form,
        "roles": InviteForm.base_fields["role"].choices,  # type: ignore[attr-defined]
        "query": request.GET.urlencode(),
    }
    return render(request, "matchmaking/partners/find.html", context)


@login_required
@require_POST
def invite(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    # permission: signed in; the lead of the application (404 for anyone else); a profile the
    # lead may see, with an account, not blocked; the calls' service checks the team's rule and
    # that the file can still be edited, sends the invitation and audits it
    application = _managed(request, pk)
    form = InviteForm(request.POST)
    back = reverse("matchmaking:find_partners", kwargs={"pk": application.pk})
    query = request.POST.get("query", "")
    if query:
        back = f"{back}?{urlencode(_pairs(query))}"
    if not form.is_valid():
        messages.error(request, _("Choose a role for the person you invite."))
        return redirect(back)
    person = Person.objects.filter(slug=form.cleaned_data["person"]).first()
    try:
        if person is None:  # the same answer as for a profile the lead may not see
            raise ServiceError("matchmaking.partners.not_visible")
        member = invite_partner(
            application=application,
            by=request.user,
            person=person,
            role=form.cleaned_data["role"],
        )
    except ServiceError as error:
        messages.error(request, error.message)
        return redirect(back)
    messages.success(
        request,
        _("%(name)s has been invited to join the team as %(role)s.")
        % {"name": person.display_name, "role": member.get_role_display()},
    )
    return redirect(back)


def _pairs(query: str) -> list[tuple[str, str]]:
    """The find page's own query (the skills looked for), kept across an invitation."""
    return [(k, v) for k, values in QueryDict(query).lists() if k == "skill" for v in values]
