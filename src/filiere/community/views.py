"""Pages of the community: thin adapters over selectors, forms and services."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from filiere.accounts.permissions import is_staff

from . import selectors, services, services_privacy
from .forms import (
    COUNTRIES,
    AffiliationForm,
    OrganisationForm,
    ProfileForm,
    RefusalForm,
    TieCorrectionForm,
)
from .forms_privacy import ProfilePrivacyForm
from .permissions import can_edit_person
from .phrases import refusal
from .visibility import visible_fields

if TYPE_CHECKING:
    from filiere.accounts.types import AuthenticatedHttpRequest


def person_detail(request: HttpRequest, slug: str) -> HttpResponse:
    # permission: public for public profiles, signed in for members-only ones, owner or staff
    # for private ones; 404 otherwise, the same as for a profile that does not exist
    person = selectors.get_person_for_viewer(request.user, slug)
    return render(
        request,
        "community/person_detail.html",
        {
            "person": person,
            "can_edit": can_edit_person(request.user, person),
            # Each field as its owner chose (Person.field_visibility): the others are left out.
            "shown": visible_fields(person, request.user),
        },
    )


def organisation_detail(request: HttpRequest, slug: str) -> HttpResponse:
    # permission: public; its members are shown only when the viewer may see their profile
    organisation = selectors.get_organisation_for_viewer(request.user, slug)
    context: dict[str, object] = {"organisation": organisation}
    if is_staff(request.user):
        context |= {"ties": selectors.current_ties(organisation), "tie_form": TieCorrectionForm()}
    return render(request, "community/organisation_detail.html", context)


def _correct_tie(
    request: AuthenticatedHttpRequest,
    slug: str,
    pk: int,
    service: Callable[..., object],
    done: str,
) -> HttpResponse:
    if not is_staff(request.user):
        raise PermissionDenied
    organisation = selectors.get_organisation_for_viewer(request.user, slug)
    tie = selectors.get_current_tie(organisation, pk)
    form = TieCorrectionForm(request.POST)
    if not form.is_valid():
        messages.error(request, refusal("affiliation.reason_missing"))
    else:
        try:
            service(by=request.user, affiliation=tie, reason=form.cleaned_data["reason"])
        except services.AffiliationError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, done % {"person": tie.person.display_name})
    return redirect("community:organisation", slug=organisation.slug)


@login_required
@require_POST
def affiliation_end(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    # permission: staff only (403 for others); not on their own affiliation; a reason is required
    return _correct_tie(
        request, slug, pk, services.end_affiliation, _("%(person)s no longer acts for it.")
    )


@login_required
@require_POST
def affiliation_make_manager(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    # permission: staff only (403 for others); not on their own affiliation; a reason is required
    return _correct_tie(request, slug, pk, services.make_manager, _("%(person)s now manages it."))


def territories(request: HttpRequest) -> HttpResponse:
    # permission: public
    return render(
        request,
        "community/territories.html",
        {
            "territories": selectors.cluster_territories(),
            "partners": selectors.partner_territories(),
        },
    )


@login_required
def my_profile(request: AuthenticatedHttpRequest) -> HttpResponse:
    # permission: signed in; edits only the signed-in user's own profile
    person = selectors.person_of_user(request.user)
    if request.method == "POST":
        form = ProfileForm(request.POST)
        # Who sees each field, bounded by the profile's visibility posted with it.
        privacy = ProfilePrivacyForm(
            request.POST, profile_visibility=request.POST.get("visibility", "")
        )
        if all([form.is_valid(), privacy.is_valid()]):
            person = services_privacy.save_own_profile_with_privacy(
                user=request.user, changes=form.changes(), privacy=privacy.changes()
            )
            messages.success(request, _("Your profile has been saved."))
            return redirect("community:my_profile")
        messages.error(request, _("Your profile was not saved: please correct the errors below."))
    else:
        form = ProfileForm(initial=ProfileForm.initial_for(person, request.user))
        privacy = ProfilePrivacyForm(initial=ProfilePrivacyForm.initial_for(person))
    return render(
        request,
        "community/my_profile.html",
        {"form": form, "privacy_form": privacy, "person": person},
    )


# --- Self-service organisations ----------------------------------------------------------------


def _next_url(request: HttpRequest) -> str:
    """Where to go back after registering or joining (the apply page sends ``next``)."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return ""


@login_required
def my_organisations(request: AuthenticatedHttpRequest) -> HttpResponse:
    # permission: signed in; the user's own affiliations and requests, and the pending requests
    # of the organisations they manage (every pending request for the staff)
    return render(
        request,
        "community/my_organisations.html",
        {
            "affiliations": selectors.my_affiliations(request.user),
            "my_requests": selectors.my_affiliation_requests(request.user),
            "to_decide": selectors.requests_to_decide(request.user),
            "refusal_form": RefusalForm(),
        },
    )


@login_required
def organisation_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    # permission: signed in; chooses between a French and a Belgian organisation
    return render(request, "community/organisation_new.html", {"next": _next_url(request)})


@login_required
def organisation_create(request: AuthenticatedHttpRequest, country: str) -> HttpResponse:
    # permission: signed in; any member registers an organisation and becomes its manager
    if country not in COUNTRIES:
        raise Http404
    next_url = _next_url(request)
    form = OrganisationForm(request.POST or None, country=COUNTRIES[country])
    if request.method == "POST" and form.is_valid():
        try:
            organisation = services.create_organisation(
                by=request.user, data=form.new_organisation(), affiliation=form.declaration()
            )
        except services.DuplicateOrganisation as duplicate:
            form.existing = duplicate.organisation
            form.add_error(duplicate.field, duplicate.message)
        except services.OrganisationError as error:
            form.add_error(error.field or None, error.message)
        else:
            messages.success(
                request,
                _("“%(name)s” is registered, and you manage it.") % {"name": organisation.name},
            )
            return redirect(next_url or "community:my_organisations")
    if request.method == "POST" and not form.is_valid():
        messages.error(
            request, _("The organisation was not registered: please correct the errors below.")
        )
    return render(
        request,
        "community/organisation_create.html",
        {"form": form, "country": country, "next": next_url},
    )


@login_required
def organisation_join(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    # permission: signed in; asks to join (claim) a public organisation, pending until its
    # manager or the staff confirm
    organisation = selectors.get_organisation_for_viewer(request.user, slug)
    next_url = _next_url(request)
    form = AffiliationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.request_affiliation(
                by=request.user, organisation=organisation, declaration=form.declaration()
            )
        except services.AffiliationError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                _(
                    "Your request to join “%(name)s” was sent: its manager or the staff will "
                    "confirm it."
                )
                % {"name": organisation.name},
            )
        return redirect(next_url or "community:my_organisations")
    return render(
        request,
        "community/organisation_join.html",
        {"organisation": organisation, "form": form, "next": next_url},
    )


@login_required
@require_POST
def affiliation_confirm(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    # permission: the organisation's manager or staff; 404 for anyone else (the request's
    # existence is not revealed)
    pending = selectors.get_request_to_decide(request.user, pk)
    try:
        services.confirm_affiliation(by=request.user, request=pending)
    except services.AffiliationError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("%(person)s now works for “%(organisation)s” on the platform.")
            % {"person": pending.person.display_name, "organisation": pending.organisation.name},
        )
    return redirect("community:my_organisations")


@login_required
@require_POST
def affiliation_refuse(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    # permission: the organisation's manager or staff; 404 for anyone else
    pending = selectors.get_request_to_decide(request.user, pk)
    form = RefusalForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        services.refuse_affiliation(by=request.user, request=pending, reason=reason)
    except services.AffiliationError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("The request of %(person)s was refused.") % {"person": pending.person.display_name},
        )
    return redirect("community:my_organisations")
