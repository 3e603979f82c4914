"""Pages of the assignment: the staff run the engine, follow its progress, adjust the proposal
and publish it; the experts answer their assignments.

Thin adapters: a permission check (``permissions``, ``access``), a form, one service or selector.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from filiere.accounts.types import AuthenticatedHttpRequest
from filiere.calls.models import Call
from filiere.errors import ServiceError

from . import phrases
from . import selectors_assignment as selectors
from . import services_assignment as services
from .access import access_assignment_for_expert
from .forms_assignment import AddPairForm, AnswerForm, StartRunForm
from .models import Assignment, AssignmentRun
from .permissions import call_for_conflict_staff, expert_required


def _is_partial(request: HttpRequest) -> bool:
    htmx = getattr(request, "htmx", None)
    if not htmx:
        return False
    return not htmx.history_restore_request


def _diagnosis(run: AssignmentRun | None, proposal: selectors.CallProposal) -> list[str]:
    """The engine's issues in plain words, its ids turned into references and names."""
    if run is None:
        return []
    references = {str(r.application.pk): r.application.reference for r in proposal.rows}
    names = {str(pk): name for pk, name in proposal.names.items()}
    sentences = []
    for issue in run.diagnosis:
        params = dict(issue)
        code = str(params.pop("code", ""))
        params["application"] = references.get(str(params.get("proposal_id", "")), "")
        params["expert"] = names.get(str(params.get("expert_id", "")), "")
        params["applications"] = ", ".join(
            references.get(str(p), str(p)) for p in params.get("proposals", [])
        )
        sentences.append(phrases.assignment_issue(code, params))
    return sentences


# --- Staff --------------------------------------------------------------------------------------


def _assignment_page(
    request: AuthenticatedHttpRequest,
    call: Call,
    *,
    start_form: StartRunForm | None = None,
    add_form: AddPairForm | None = None,
) -> HttpResponse:
    proposal = selectors.proposal_of_call(call)
    applications, experts = selectors.assignable_choices(call)
    return render(
        request,
        "review/assignment.html",
        {
            "call": call,
            "proposal": proposal,
            "diagnosis": _diagnosis(proposal.run, proposal),
            "start_form": start_form or StartRunForm(initial={"reviews": proposal.reviews}),
            "add_form": add_form or AddPairForm(experts=experts, applications=applications),
        },
    )


@login_required
def assignment(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    # permission: the staff of the call's fund and of the call (global, fund- or call-scoped
    # grant); 403 for anyone else, the staff of another call included
    call = call_for_conflict_staff(request.user, slug)
    return _assignment_page(request, call)


@login_required
@require_POST
def assignment_start(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    # permission: the staff of the call (as the assignment page); audited
    call = call_for_conflict_staff(request.user, slug)
    form = StartRunForm(request.POST)
    if form.is_valid():
        try:
            run = services.start_assignment_run(
                call=call,
                by=request.user,
                mode=form.cleaned_data["mode"],
                reviews=form.cleaned_data["reviews"],
                churn_penalty=form.cleaned_data["churn_penalty"] or 0.0,
            )
        except ServiceError as error:
            form.add_error(error.field or None, error.message)
        else:
            return redirect("review:assignment_run", slug=call.slug, pk=run.pk)
    return _assignment_page(request, call, start_form=form)


@login_required
def assignment_run(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    # permission: the staff of the call (as the assignment page); a run of this call only (404
    # for another call's run)
    call = call_for_conflict_staff(request.user, slug)
    run = get_object_or_404(AssignmentRun, pk=pk, call=call)
    template = "review/assignment_run.html"
    if _is_partial(request):
        template += "#progress"
    return render(request, template, {"call": call, "run": run})


@login_required
@require_POST
def assignment_add(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    # permission: the staff of the call (as the assignment page); audited; refused when the
    # expert is conflicted, unavailable or at their maximum
    call = call_for_conflict_staff(request.user, slug)
    applications, experts = selectors.assignable_choices(call)
    form = AddPairForm(request.POST, experts=experts, applications=applications)
    if form.is_valid():
        expert, application = form.chosen_pair()
        try:
            services.add_assignment(
                call=call, application=application, expert=expert, by=request.user
            )
        except ServiceError as error:
            form.add_error(error.field or None, error.message)
        else:
            messages.success(request, _("The expert has been added to the application."))
            return redirect("review:assignment", slug=call.slug)
    return _assignment_page(request, call, add_form=form)


def _pair_of_call(call: Call, pk: int) -> Assignment:
    return get_object_or_404(
        Assignment.objects.select_related("application__call"), pk=pk, application__call=call
    )


@login_required
@require_POST
def assignment_remove(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    # permission: the staff of the call (as the assignment page); a pair of this call only
    # (404 otherwise); audited
    call = call_for_conflict_staff(request.user, slug)
    services.remove_assignment(assignment=_pair_of_call(call, pk), by=request.user)
    messages.success(request, _("The expert has been removed from the application."))
    return redirect("review:assignment", slug=call.slug)


@login_required
@require_POST
def assignment_lock(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    # permission: the staff of the call (as the assignment page); a pair of this call only
    # (404 otherwise); audited
    call = call_for_conflict_staff(request.user, slug)
    locked = request.POST.get("locked") == "1"
    services.set_assignment_locked(
        assignment=_pair_of_call(call, pk), locked=locked, by=request.user
    )
    return redirect("review:assignment", slug=call.slug)


@login_required
@require_POST
def assignment_publish(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    # permission: the staff of the call (as the assignment page); audited
    call = call_for_conflict_staff(request.user, slug)
    try:
        count = services.publish_assignments(call=call, by=request.user)
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("%(count)s assignments are published to their experts.") % {"count": count},
        )
    return redirect("review:assignment", slug=call.slug)


# --- Experts ------------------------------------------------------------------------------------


@expert_required
def my_assignment(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    # permission: the expert of this published assignment, without a conflict with its
    # application (access_assignment_for_expert); 404 for anyone else
    assignment = access_assignment_for_expert(request.user, pk)
    form = AnswerForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.answer_assignment(
                    assignment=assignment,
                    by=request.user,
                    accept=form.cleaned_data["answer"] == "accept",
                    conflict_kind=form.cleaned_data["conflict_kind"],
                    reason=form.cleaned_data["reason"],
                )
            except ServiceError as error:
                form.add_error(error.field or None, error.message)
            else:
                messages.success(request, _("Your answer has been recorded."))
                return redirect("review:my_assignments")
        return render(
            request,
            "review/my_assignment.html",
            {"assignment": assignment, "form": form},
        )
    return render(request, "review/my_assignment.html", {"assignment": assignment, "form": form})
