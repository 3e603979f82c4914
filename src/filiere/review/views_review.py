"""Pages of reviewing: the expert's inbox and review form (save, save and next, autosave,
submit), and the staff's progress dashboard of a call (settings, reopen a review).

Thin adapters: a permission check (``permissions``, ``access``), a form, one service or selector.
Experts read the other reviews of a file as "Reviewer A, B…", never by name; the staff see names.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from filiere.accounts.types import AuthenticatedHttpRequest
from filiere.calls.models import Call
from filiere.errors import ServiceError
from filiere.ui.pagination import page_nav

from . import selectors_assignment
from . import selectors_review as selectors
from . import services_review as services
from .access import access_review_for_expert
from .forms_assignment import DashboardFilterForm, back_url, list_query
from .forms_review import ReopenForm, ReviewForm, ReviewSettingsForm
from .models import Assignment, Review
from .permissions import call_for_conflict_staff, expert_required

# --- Experts ------------------------------------------------------------------------------------


@expert_required
def my_assignments(request: AuthenticatedHttpRequest) -> HttpResponse:
    # permission: experts (the expert role; a second factor as every expert); their own
    # published assignments only, with their review's progress and the call's deadline
    rows = selectors.inbox_rows(selectors_assignment.my_assignments(request.user))
    return render(request, "review/my_assignments.html", {"rows": rows})


def _form(
    assignment: Assignment, review: Review | None, data: Any = None
) -> tuple[ReviewForm, Any]:
    call = assignment.application.call
    settings = selectors.settings_of(call)
    values = services.ReviewValues.of(review) if review else services.ReviewValues()
    form = ReviewForm(
        data,
        criteria=selectors.criteria_of(call),
        settings=settings,
        initial=ReviewForm.initial_of(values, review.version if review else 0),
    )
    return form, settings


def _conflict_rows(form: ReviewForm, error: services.StaleReview) -> list[tuple[str, Any, Any]]:
    """Both versions side by side, field by field, with the form's labels."""
    rows = []
    for criterion in form.criteria:
        rows.append(
            (
                criterion.label,
                error.current["scores"].get(criterion.code, ""),
                error.submitted["scores"].get(criterion.code, ""),
            )
        )
    for name in ("opinion", "confidential_note", "recommendation"):
        rows.append((str(form.fields[name].label), error.current[name], error.submitted[name]))
    return rows


def _next_to_review(request: AuthenticatedHttpRequest, after: Assignment) -> Assignment | None:
    rows = selectors.inbox_rows(selectors_assignment.my_assignments(request.user))
    candidates = [row.assignment for row in rows if row.to_review]
    for assignment in candidates:
        if assignment.pk != after.pk:
            return assignment
    return None


def _review_page(
    request: AuthenticatedHttpRequest,
    assignment: Assignment,
    review: Review | None,
    form: ReviewForm,
    settings: Any,
    *,
    conflict: list[tuple[str, Any, Any]] | None = None,
    status: int = 200,
) -> HttpResponse:
    others = (
        selectors.other_reviews(assignment) if selectors.others_visible(settings, review) else []
    )
    context = {
        "assignment": assignment,
        "review": review,
        "form": form,
        "settings": settings,
        "others": others,
        "editable": review is None or not review.submitted,
        "late": selectors.is_late(settings, review, timezone.now()),
        "conflict": conflict,
    }
    return render(request, "review/review_form.html", context, status=status)


@expert_required
def review_form(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    # permission: the expert who accepted this published assignment, without a conflict with its
    # application (access_review_for_expert); 404 for anyone else
    assignment = access_review_for_expert(request.user, pk)
    review = selectors.review_of(assignment)
    if request.method != "POST":
        form, settings = _form(assignment, review)
        return _review_page(request, assignment, review, form, settings)
    form, settings = _form(assignment, review, request.POST)
    action = request.POST.get("action", "save")
    if not form.is_valid():
        return _review_page(request, assignment, review, form, settings)
    submit = services.submit_review if action == "submit" else services.save_review
    try:
        review = submit(
            assignment=assignment,
            by=request.user,
            values=form.values(),
            expected_version=form.cleaned_data["version"],
        )
    except services.StaleReview as error:
        form.add_error(None, error.message)
        conflict = _conflict_rows(form, error)
        return _review_page(
            request, assignment, review, form, settings, conflict=conflict, status=409
        )
    except ServiceError as error:
        # A refused submission saved the draft: the form goes on from its new version.
        review = selectors.review_of(assignment)
        data = request.POST.copy()
        data["version"] = str(review.version if review else 0)
        form, settings = _form(assignment, review, data)
        form.is_valid()
        form.add_error(error.field if error.field in form.fields else None, error.message)
        return _review_page(request, assignment, review, form, settings)
    if action == "submit":
        messages.success(request, _("Your review has been submitted."))
        return redirect("review:review_form", pk=assignment.pk)
    messages.success(request, _("Your review has been saved."))
    if action == "next":
        following = _next_to_review(request, assignment)
        if following is not None:
            return redirect("review:review_form", pk=following.pk)
        return redirect("review:my_assignments")
    return redirect("review:review_form", pk=assignment.pk)


@expert_required
@require_POST
def review_autosave(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    # permission: the expert of this accepted assignment (access_review_for_expert; 404 for
    # anyone else); the service refuses a submitted review and a stale edit
    assignment = access_review_for_expert(request.user, pk)
    review = selectors.review_of(assignment)
    form, _settings = _form(assignment, review, request.POST)
    template = "review/review_autosave.html"
    context: dict[str, Any] = {}
    if not form.is_valid():
        context["invalid"] = True
        return render(request, template, context)
    try:
        saved = services.save_review(
            assignment=assignment,
            by=request.user,
            values=form.values(),
            expected_version=form.cleaned_data["version"],
        )
    except services.StaleReview as error:
        # htmx swaps only 2xx answers: the message replaces the "saved" line, the typed
        # values stay in the form; the full save answers 409 with both versions.
        context.update(error=error.message, stale=True)
        return render(request, template, context)
    except ServiceError as error:
        context["error"] = error.message
        return render(request, template, context)
    context.update(saved=saved, saved_at=timezone.now())
    return render(request, template, context)


# --- Staff --------------------------------------------------------------------------------------


def _dashboard(
    request: AuthenticatedHttpRequest,
    call: Call,
    *,
    settings_form: ReviewSettingsForm | None = None,
) -> HttpResponse:
    query = list_query(request.GET)
    filter_form = DashboardFilterForm(request.GET)
    progress = selectors.call_progress(
        call,
        filters=selectors.ProgressFilters(
            q=filter_form.value("q", "").strip(),
            missing_only=bool(filter_form.value("missing", False)),
        ),
        page=query.get("page", 1),
        experts_page=query.get("experts_page", 1),
    )
    return render(
        request,
        "review/review_dashboard.html",
        {
            "call": call,
            "progress": progress,
            "settings_form": settings_form or ReviewSettingsForm(instance=progress.settings),
            "reopen_form": ReopenForm(),
            "filter_form": filter_form,
            "back": query.urlencode(),
            "applications_nav": page_nav(
                query,
                "page",
                progress.application_page,
                _("Pages of the applications"),
                "per-application",
            ),
            "experts_nav": page_nav(
                query, "experts_page", progress.expert_page, _("Pages of the experts"), "per-expert"
            ),
        },
    )


@login_required
def review_dashboard(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    # permission: the staff of the call's fund and of the call (global, fund- or call-scoped
    # grant); 403 for anyone else, the staff of another call included
    call = call_for_conflict_staff(request.user, slug)
    return _dashboard(request, call)


@login_required
@require_POST
def review_settings(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    # permission: the staff of the call (as the dashboard); audited
    call = call_for_conflict_staff(request.user, slug)
    form = ReviewSettingsForm(request.POST, instance=selectors.settings_of(call))
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.save_review_settings(
                call=call,
                by=request.user,
                deadline=data["deadline"],
                scale_max=data["scale_max"],
                allow_na=data["allow_na"],
                guidance=data["guidance"],
                visibility=data["visibility"],
            )
        except ServiceError as error:
            form.add_error(error.field or None, error.message)
        else:
            messages.success(request, _("The review settings have been saved."))
            return redirect("review:review_dashboard", slug=call.slug)
    return _dashboard(request, call, settings_form=form)


@login_required
@require_POST
def review_reopen(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    # permission: the staff of the call (as the dashboard); a review of this call only (404
    # otherwise); a reason is required; audited
    call = call_for_conflict_staff(request.user, slug)
    review = selectors.review_of_call(call, pk)
    if review is None:
        raise Http404
    form = ReopenForm(request.POST)
    form.is_valid()
    try:
        services.reopen_review(
            review=review, by=request.user, reason=form.cleaned_data.get("reason", "")
        )
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The review is open again for its expert."))
    return redirect(back_url("review:review_dashboard", call, request.POST, "#per-application"))
