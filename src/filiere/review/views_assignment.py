"""Pages of the assignment: the staff run the engine, follow its progress, adjust the proposal
and publish it; the experts answer their assignments.

Thin adapters: a permission check (``permissions``, ``access``), a form, one service or selector.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from filiere.accounts.types import AuthenticatedHttpRequest
from filiere.calls.models import Call
from filiere.errors import ServiceError
from filiere.ui.pagination import page_nav

from . import phrases
from . import selectors_assignment as selectors
from . import services_assignment as services
from .access import access_assignment_for_expert
from .forms_assignment import (
    AddPairForm,
    AnswerForm,
    ProposalFilterForm,
    StartRunForm,
    SwapPairForm,
    back_url,
    list_query,
)
from .models import Assignment, AssignmentRun, PairStatus
from .permissions import call_for_conflict_staff, expert_required
from .templatetags.review_bids import why_terms


def _is_partial(request: HttpRequest) -> bool:
    htmx = getattr(request, "htmx", None)
    if not htmx:
        return False
    return not htmx.history_restore_request


def _diagnosis(run: AssignmentRun | None, call: Call) -> list[str]:
    """The engine's issues in plain words, its ids turned into references and names."""
    if run is None or not run.diagnosis:
        return []
    references, names = selectors.diagnosis_names(call, run.diagnosis)
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
    query = list_query(request.GET)
    filter_form = ProposalFilterForm(request.GET)
    filters = filter_form.filters()
    proposal = selectors.proposal_of_call(
        call,
        filters=filters,
        page=query.get("page", 1),
        loads_page=query.get("experts_page", 1),
    )
    if add_form is None:
        add_form = AddPairForm(experts=[], applications=[])
    # One list of the pool's experts for both forms (one query, whatever the rows).
    experts = selectors.expert_choices(call)
    add_form.offer(experts=experts, applications=[row.application for row in proposal.rows])
    pair_urls = {
        name: reverse(f"review:assignment_{name}", args=[call.slug, 0]).rpartition("/0/")
        for name in ("lock", "remove", "swap")
    }
    return render(
        request,
        "review/assignment.html",
        {
            "call": call,
            "proposal": proposal,
            "diagnosis": _diagnosis(proposal.run, call),
            "start_form": start_form or StartRunForm(initial={"reviews": proposal.reviews}),
            "add_form": add_form,
            "swap_form": SwapPairForm(experts=experts, auto_id="swap_%s"),
            "filter_form": filter_form,
            "filters": filters,
            "back": query.urlencode(),
            "conflicts_url": reverse("review:conflicts", args=[call.slug]),
            "rows": [
                (row, number_format(row.total_affinity, 3), pair_lines(row, pair_urls))
                for row in proposal.rows
            ],
            "applications_nav": page_nav(
                query, "page", proposal.page, _("Pages of the applications"), "proposal"
            ),
            "loads_nav": page_nav(
                query, "experts_page", proposal.loads_page, _("Pages of the experts"), "loads"
            ),
        },
    )


@dataclass(frozen=True)
class PairLine:
    """A pair as the proposal's row shows it: its sentence and the addresses of its buttons,
    made here once per pair (the same lookups, filters and translations in the template cost
    more than the rest of the page)."""

    text: str
    conflicted: bool
    locked: bool
    lock_url: str
    remove_url: str
    # Only a proposed, unlocked pair is swapped (``services.swap_assignment``).
    swap_url: str


def _pair_text(item: selectors.PairRow) -> str:
    """ "Ada Lovelace — affinity 0.512 (matching: animation) — Published, Accepted, locked"."""
    pair = item
    if pair.added_by_staff:
        score = _("added by the staff")
    else:
        score = _("affinity %(score)s") % {"score": number_format(pair.affinity, 3)}
    # The bid reads as words ("bid: Eager to review it"), not as its stored "bid:eager".
    why = f" ({_('matching:')} {', '.join(why_terms(pair.why))})" if pair.why else ""
    status = pair.status_label()
    if pair.status == PairStatus.PUBLISHED:
        status += f", {pair.response_label()}"
    if pair.locked:
        status += f", {_('locked')}"
    return f"{item.expert_name} — {score}{why} — {status}"


def pair_lines(
    row: selectors.ApplicationRow, urls: dict[str, tuple[str, str, str]]
) -> list[PairLine]:
    """A row's pairs; the addresses are made from one address reversed for the pair ``0``,
    split around it."""
    (lock_head, _sep, lock_tail), (remove_head, _sep, remove_tail) = urls["lock"], urls["remove"]
    swap_head, _sep, swap_tail = urls["swap"]
    return [
        PairLine(
            text=_pair_text(item),
            conflicted=item.conflicted,
            locked=item.locked,
            lock_url=f"{lock_head}/{item.pk}/{lock_tail}",
            remove_url=f"{remove_head}/{item.pk}/{remove_tail}",
            swap_url=(
                f"{swap_head}/{item.pk}/{swap_tail}"
                if item.status == PairStatus.PROPOSED and not item.locked
                else ""
            ),
        )
        for item in row.pairs
    ]


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
    posted = selectors.assignable_application(call, request.POST.get("application", ""))
    form = AddPairForm(
        request.POST,
        experts=selectors.assignable_experts(call, request.POST.get("expert", "")),
        applications=[posted] if posted is not None else [],
    )
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
            return redirect(back_url("review:assignment", call, request.POST, "#proposal"))
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
    return redirect(back_url("review:assignment", call, request.POST, "#proposal"))


@login_required
@require_POST
def assignment_swap(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    # permission: the staff of the call (as the assignment page); a pair of this call only
    # (404 otherwise); audited; refused, with the reason, as an added pair is (conflict,
    # unavailable, at their maximum, already on the application) and for a locked or
    # published pair
    call = call_for_conflict_staff(request.user, slug)
    pair = _pair_of_call(call, pk)
    experts = selectors.assignable_experts(call, request.POST.get("expert", ""))
    form = SwapPairForm(request.POST, experts=[(e.pk, e.email) for e in experts])
    if not form.is_valid():
        messages.error(request, _("Choose an active expert of the pool to swap in."))
    else:
        try:
            services.swap_assignment(assignment=pair, expert=experts[0], by=request.user)
        except ServiceError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The pair's expert has been swapped."))
    return redirect(back_url("review:assignment", call, request.POST, "#proposal"))


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
    return redirect(back_url("review:assignment", call, request.POST, "#proposal"))


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
    return redirect(back_url("review:assignment", call, request.POST))


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
