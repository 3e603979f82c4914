"""Pages of the review stage: the staff's expert pools and conflicts, the expert's own expertise,
availability and declarations, the invitation, and the applicant's exclusion requests.

Thin adapters: a permission check (``permissions``), a form, one service or selector.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from filiere.accounts.types import AuthenticatedHttpRequest
from filiere.calls.access import access_application_for_member
from filiere.errors import ServiceError

from . import selectors, selectors_bidding, services
from .forms import (
    AvailabilityForm,
    ExpertiseForm,
    InviteByEmailForm,
    LiftForm,
    PartyForm,
    PastWorkFormSet,
    ReasonForm,
    SearchForm,
    expertise_changes,
)
from .forms_assignment import StaffConflictForm
from .models import ExpertStatus
from .permissions import (
    call_for_conflict_staff,
    expert_required,
    fund_for_pool_staff,
    pool_staff_required,
)


def _refused(request: HttpRequest, error: ServiceError) -> None:
    messages.error(request, error.message)


# --- Staff: pools -------------------------------------------------------------------------------


@pool_staff_required
def pools(request: AuthenticatedHttpRequest) -> HttpResponse:
    # permission: the global staff (every fund) and holders of a staff grant scoped to a fund
    # (their funds); 403 for everyone else, call-scoped staff included
    return render(request, "review/pools.html", {"funds": selectors.managed_funds(request.user)})


def _pool_page(
    request: AuthenticatedHttpRequest,
    slug: str,
    *,
    invite_form: InviteByEmailForm | None = None,
) -> HttpResponse:
    fund = fund_for_pool_staff(request.user, slug)
    search = SearchForm(request.GET or None)
    q = search.cleaned_data["q"] if search.is_valid() else ""
    return render(
        request,
        "review/pool.html",
        {
            "fund": fund,
            "experts": selectors.pool(fund),
            "invite_form": invite_form or InviteByEmailForm(),
            "search_form": search,
            "people": selectors.matching_people(request.user, q),
            "searched": bool(q),
            "statuses": ExpertStatus,
            "calls": selectors.current_calls(fund.pk).order_by("-closes_at", "pk"),
        },
    )


@pool_staff_required
def pool(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    # permission: the staff of the fund (global, or a staff grant scoped to it); 403 for other
    # staff; lists every expert of the pool and finds people of the directory to invite
    return _pool_page(request, slug)


@pool_staff_required
@require_POST
def pool_invite(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    # permission: the staff of the fund (as the pool page); an invitation by e-mail
    fund = fund_for_pool_staff(request.user, slug)
    form = InviteByEmailForm(request.POST)
    if form.is_valid():
        try:
            services.invite_expert(fund=fund, by=request.user, email=form.cleaned_data["email"])
        except ServiceError as error:
            form.add_error("email", error.message)
        else:
            messages.success(
                request,
                _("An invitation has been sent to %(email)s.")
                % {"email": form.cleaned_data["email"]},
            )
            return redirect("review:pool", slug=fund.slug)
    return _pool_page(request, slug, invite_form=form)


@pool_staff_required
@require_POST
def pool_invite_person(request: AuthenticatedHttpRequest, slug: str, person: int) -> HttpResponse:
    # permission: the staff of the fund (as the pool page); invites a person of the directory
    fund = fund_for_pool_staff(request.user, slug)
    chosen = selectors.matching_person(request.user, person)
    try:
        services.invite_expert(fund=fund, by=request.user, person=chosen)
    except ServiceError as error:
        _refused(request, error)
    else:
        messages.success(
            request, _("An invitation has been sent to %(name)s.") % {"name": chosen.display_name}
        )
    return redirect("review:pool", slug=fund.slug)


@pool_staff_required
def pool_expert(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    # permission: the staff of the fund (as the pool page); one expert's expertise, availability
    # for the fund's current calls and declared conflicts (404 for someone of another pool)
    fund = fund_for_pool_staff(request.user, slug)
    expert = selectors.get_pool_member(fund, pk)
    return render(
        request,
        "review/pool_expert.html",
        {
            "fund": fund,
            "expert": expert,
            "name": selectors.expert_name(expert.user, expert.email),
            "profile": selectors.expertise_of(expert.user) if expert.user else None,
            "availabilities": selectors.availability_of(expert),
            "declarations": selectors.declarations_for_pool(expert),
        },
    )


@pool_staff_required
def pool_remove(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    # permission: the staff of the fund (as the pool page); GET asks to confirm, POST removes
    # with a reason (audited)
    fund = fund_for_pool_staff(request.user, slug)
    expert = selectors.get_pool_member(fund, pk)
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.remove_expert(
                expert=expert, by=request.user, reason=form.cleaned_data["reason"]
            )
        except ServiceError as error:
            _refused(request, error)
        else:
            messages.success(
                request,
                _("%(name)s is no longer in the pool.")
                % {"name": selectors.expert_name(expert.user, expert.email)},
            )
        return redirect("review:pool", slug=fund.slug)
    return render(
        request,
        "review/pool_remove.html",
        {
            "fund": fund,
            "expert": expert,
            "name": selectors.expert_name(expert.user, expert.email),
            "form": form,
        },
    )


# --- The invitation -----------------------------------------------------------------------------


def invitation(request: HttpRequest, token: str) -> HttpResponse:
    # permission: anyone holding the link sees which fund invites them (404 for an unknown or
    # withdrawn link); accepting requires signing in with the invited address
    expert = selectors.invitation(token)
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        try:
            services.accept_invitation(token=token, user=request.user)
        except ServiceError as error:
            _refused(request, error)
        else:
            messages.success(
                request,
                _(
                    "Welcome to the pool of experts of %(fund)s. Experts sign in with a second "
                    "factor: you may be asked to set up an authenticator app first."
                )
                % {"fund": expert.fund.name},
            )
            return redirect("review:my_expertise")
    return render(request, "review/invitation.html", {"expert": expert})


# --- The expert's own pages ---------------------------------------------------------------------


@expert_required
def my_expertise(request: AuthenticatedHttpRequest) -> HttpResponse:
    # permission: experts (the expert role, for a fund or globally; a second factor as every
    # expert); the signed-in expert's own profile, pools and calls only
    profile = selectors.expertise_of(request.user)
    if request.method == "POST":
        form = ExpertiseForm(request.POST)
        works = PastWorkFormSet(request.POST, prefix="works")
        if form.is_valid() and works.is_valid():
            services.save_expertise(user=request.user, changes=expertise_changes(form, works))
            messages.success(request, _("Your expertise has been saved."))
            return redirect("review:my_expertise")
        messages.error(request, _("Your expertise was not saved: please correct the errors below."))
    else:
        form = ExpertiseForm(initial=ExpertiseForm.initial_for(profile))
        initial = [
            {"title": w.title, "year": w.year, "description": w.description}
            for w in (profile.past_works.all() if profile is not None else [])
        ]
        works = PastWorkFormSet(initial=initial, prefix="works")
    memberships = selectors.my_pools(request.user)
    calls = [item.call for membership in memberships for item in membership.calls]
    context = {
        "form": form,
        "works": works,
        "memberships": memberships,
        "bidding": selectors_bidding.calls_open_for_bids(request.user, calls),
    }
    return render(request, "review/my_expertise.html", context)


@expert_required
def my_availability(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    # permission: experts active in the pool of the call's fund, for a current call; 404 for any
    # other call (an expert of another fund learns nothing about it)
    call, _expert, availability = selectors.call_for_expert(request.user, slug)
    if request.method == "POST":
        form = AvailabilityForm(request.POST)
        if form.is_valid():
            try:
                services.set_availability(
                    user=request.user,
                    call=call,
                    available=form.cleaned_data["available"],
                    max_load=form.cleaned_data["max_load"],
                )
            except ServiceError as error:
                _refused(request, error)
            else:
                messages.success(request, _("Your availability has been saved."))
                return redirect("review:my_expertise")
    else:
        initial = {}
        if availability is not None:
            initial = {
                "available": "yes" if availability.available else "no",
                "max_load": availability.max_load,
            }
        form = AvailabilityForm(initial=initial)
    return render(request, "review/my_availability.html", {"call": call, "form": form})


@expert_required
def my_conflicts(request: AuthenticatedHttpRequest) -> HttpResponse:
    # permission: experts; their own declarations only
    form = PartyForm(request.POST or None, viewer=request.user)
    if request.method == "POST":
        if form.saving and form.is_valid():
            organisation, person = form.chosen()
            try:
                services.declare_conflict(
                    by=request.user,
                    kind=form.cleaned_data["kind"],
                    reason=form.cleaned_data["reason"],
                    organisation=organisation,
                    person=person,
                )
            except ServiceError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("Your conflict of interest has been recorded."))
                return redirect("review:my_conflicts")
        if not form.saving:
            form.errors.clear()  # a search, not a save: no errors yet
    return render(
        request,
        "review/my_conflicts.html",
        {"form": form, "declarations": selectors.my_declarations(request.user)},
    )


# --- The applicant's exclusion requests ---------------------------------------------------------


@login_required
def exclusions(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    # permission: the application's lead and the team members who accepted their invitation
    # (404 for anyone else); the page says the same whoever is named (never who is an expert)
    application = access_application_for_member(request.user, pk)
    form = PartyForm(request.POST or None, viewer=request.user)
    if request.method == "POST":
        if form.saving and form.is_valid():
            organisation, person = form.chosen()
            try:
                services.request_exclusion(
                    application=application,
                    by=request.user,
                    kind=form.cleaned_data["kind"],
                    reason=form.cleaned_data["reason"],
                    organisation=organisation,
                    person=person,
                )
            except ServiceError as error:
                form.add_error(None, error.message)
            else:
                messages.success(
                    request,
                    _(
                        "Your request has been recorded. If anyone named reviews for this fund, "
                        "they will not review your application."
                    ),
                )
                return redirect("review:exclusions", pk=application.pk)
        if not form.saving:
            form.errors.clear()
    return render(
        request,
        "review/exclusions.html",
        {
            "application": application,
            "form": form,
            "requests": selectors.exclusion_requests(application),
        },
    )


@login_required
@require_POST
def declaration_withdraw(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    # permission: the expert who made the declaration, or the lead and accepted team members of
    # the application a request is on; 404 for anyone else
    declaration = selectors.declaration_for_declarant(request.user, pk)
    services.withdraw_declaration(declaration=declaration, by=request.user)
    messages.success(request, _("The declaration has been withdrawn."))
    if declaration.application_id is not None:
        return redirect("review:exclusions", pk=declaration.application_id)
    return redirect("review:my_conflicts")


# --- Staff: conflicts of a call -----------------------------------------------------------------


def _conflicts_page(
    request: AuthenticatedHttpRequest,
    slug: str,
    *,
    add_form: StaffConflictForm | None = None,
) -> HttpResponse:
    call = call_for_conflict_staff(request.user, slug)
    experts, applications = selectors.call_pool_and_applications(call)
    return render(
        request,
        "review/conflicts.html",
        {
            "call": call,
            "rows": selectors.conflicts_of_call(call),
            "add_form": add_form or StaffConflictForm(experts=experts, applications=applications),
        },
    )


@login_required
def conflicts(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    # permission: the staff of the call's fund and of the call (global, fund- or call-scoped
    # grant); 403 for anyone else, the staff of another call included
    return _conflicts_page(request, slug)


@login_required
@require_POST
def conflict_add(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    # permission: the staff of the call (as the conflicts page); audited, with a reason
    call = call_for_conflict_staff(request.user, slug)
    experts, applications = selectors.call_pool_and_applications(call)
    form = StaffConflictForm(request.POST, experts=experts, applications=applications)
    if form.is_valid():
        expert, application = form.chosen_pair()
        try:
            services.add_conflict(
                call=call,
                expert=expert,
                application=application,
                by=request.user,
                kind=form.cleaned_data["kind"],
                reason=form.cleaned_data["reason"],
            )
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The conflict has been added."))
            return redirect("review:conflicts", slug=call.slug)
    return _conflicts_page(request, slug, add_form=form)


@login_required
@require_POST
def conflict_lift(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    # permission: the staff of the call (as the conflicts page); audited, with a reason
    call = call_for_conflict_staff(request.user, slug)
    form = LiftForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give a reason to lift a conflict: it is kept in the audit log."))
        return redirect("review:conflicts", slug=call.slug)
    experts, applications = selectors.call_pool_and_applications(call)
    expert = next((e for e in experts if e.pk == form.cleaned_data["expert"]), None)
    application = next((a for a in applications if a.pk == form.cleaned_data["application"]), None)
    if expert is None or application is None:
        raise Http404
    try:
        services.lift_conflict(
            call=call,
            expert=expert,
            application=application,
            by=request.user,
            reason=form.cleaned_data["reason"],
        )
    except ServiceError as error:
        _refused(request, error)
    else:
        messages.success(
            request,
            _("The conflicts between %(expert)s and %(reference)s are lifted.")
            % {
                "expert": selectors.expert_name(expert.user, expert.email),
                "reference": application.reference,
            },
        )
    return redirect("review:conflicts", slug=call.slug)
