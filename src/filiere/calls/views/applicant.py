"""Pages of the applicant: start an application, fill it in step by step (with autosave), build
the team, submit, read the acknowledgement of receipt, withdraw; and the applicant's dashboard.

Thin adapters: a gatekeeper selector (404 for anyone outside the team), a form, one service.
Documents are in ``applicant_documents.py``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from filiere.community.models import Organisation
from filiere.community.selectors import visible_people
from filiere.engine.budget import summarise
from filiere.engine.workflow import is_withdrawable
from filiere.ui.arrival import arrival_of

from .. import permissions
from .. import selectors_applicant as selectors
from ..access import access_application_for_member
from ..forms.applicant import (
    BudgetForm,
    CreateApplicationForm,
    DocumentUploadForm,
    InviteForm,
    ProjectForm,
    QuestionsForm,
    WithdrawForm,
    documents_for_questions,
)
from ..models import Application, DocumentType, State, Submission, TeamMember
from ..receipts import arrival_note, receipt_pdf
from ..services import applications as services
from ..services import submission as submission_services
from ..services.applications import ApplyError, StaleEdit

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from filiere.accounts.types import AuthenticatedHttpRequest
    from filiere.engine.budget import BudgetTotals

STEPS = [
    ("project", gettext_lazy("Project")),
    ("team", gettext_lazy("Team")),
    ("budget", gettext_lazy("Budget and financing")),
    ("documents", gettext_lazy("Documents")),
    ("questions", gettext_lazy("Extra questions")),
    ("review", gettext_lazy("Review and submit")),
]
STEP_CODES = [code for code, _label in STEPS]


def _load(request: AuthenticatedHttpRequest, pk: int) -> Application:
    """The application with everything the pages read, for a member of its team (404 otherwise)."""
    access_application_for_member(request.user, pk)  # the gatekeeper
    application = selectors.with_message_count(
        selectors.with_related(Application.objects.filter(pk=pk))
    ).get()
    # Read by permissions.membership: the team is loaded once for every check of the page.
    application._memberships = list(application.team.all())  # type: ignore[attr-defined]
    return application


def _context(
    request: AuthenticatedHttpRequest, application: Application, step: str, **extra: Any
) -> dict[str, Any]:
    now = timezone.now()
    labels = selectors.labels()
    editable = permissions.can_edit_application(request.user, application, now)
    missing = selectors.missing_items(application, now=now, labels=labels) if editable else []
    counts = {code: sum(1 for m in missing if m.step == code) for code in STEP_CODES}
    return {
        "application": application,
        "call": application.call,
        "step": step,
        "steps": [(code, label, counts[code]) for code, label in STEPS],
        "editable": editable,
        "open_for_edits": permissions.is_open_for_edits(application, now),
        "is_lead": permissions.is_lead(request.user, application),
        "missing": missing,
        "labels": labels,
        "now": now,
        **extra,
    }


# --- Starting -----------------------------------------------------------------------------------


@login_required
def application_create(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    # permission: signed in; the call must be open (404 otherwise); applies only for an
    # organisation the user is affiliated to or holds the applicant role for (checked again by
    # the service)
    call = selectors.get_open_call(slug)
    organisations = selectors.organisations_for_applicant(request.user)
    form = CreateApplicationForm(request.POST or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        try:
            application = services.create_application(
                call=call,
                organisation=form.cleaned_data["organisation"],
                by=request.user,
                title=form.cleaned_data["title"],
            )
        except ApplyError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                _("Application %(reference)s created. It is saved as you type.")
                % {"reference": application.reference},
            )
            return redirect("calls:application_step", pk=application.pk, step="project")
    return render(
        request,
        "calls/applicant/create.html",
        {"call": call, "form": form, "has_organisations": organisations.exists()},
    )


@login_required
def my_applications(request: AuthenticatedHttpRequest) -> HttpResponse:
    # permission: signed in; only the applications the user leads or joined
    return render(
        request,
        "calls/applicant/dashboard.html",
        {
            "rows": selectors.dashboard(request.user),
            "invitations": selectors.pending_invitations(request.user),
        },
    )


@login_required
def application_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    # permission: signed in; lead or team member who accepted (404 otherwise)
    application = _load(request, pk)
    context = _context(request, application, "overview")
    context["withdrawable"] = is_withdrawable(application.state) and context["is_lead"]
    context["correction_open"] = application.state == State.INCOMPLETE and context["open_for_edits"]
    context["corrections"] = list(getattr(application, "open_corrections", []))
    return render(request, "calls/applicant/detail.html", context)


# --- Steps --------------------------------------------------------------------------------------


@login_required
def application_step(request: AuthenticatedHttpRequest, pk: int, step: str) -> HttpResponse:
    # permission: signed in; lead or team member (404 otherwise); saving needs edit rights and
    # an editable file (the service refuses otherwise)
    if step not in STEP_CODES:
        raise Http404
    application = _load(request, pk)
    handler = {
        "project": _project_step,
        "team": _team_step,
        "budget": _budget_step,
        "documents": _documents_step,
        "questions": _questions_step,
        "review": _review_step,
    }[step]
    return handler(request, application)


def _saved(request: AuthenticatedHttpRequest, application: Application, step: str) -> HttpResponse:
    messages.success(request, _("Saved."))
    if "next" in request.POST:
        following = STEP_CODES[min(STEP_CODES.index(step) + 1, len(STEP_CODES) - 1)]
        return redirect("calls:application_step", pk=application.pk, step=following)
    return redirect("calls:application_step", pk=application.pk, step=step)


def _refusal(error: ApplyError) -> dict[str, Any]:
    """The page's error message and, for a stale edit, both versions side by side."""
    if isinstance(error, StaleEdit):
        return {
            "error": error.message,
            "conflict": {"current": error.current, "submitted": error.submitted},
        }
    return {"error": error.message}


def _refused(
    request: AuthenticatedHttpRequest, context: dict[str, Any], template: str, error: ApplyError
) -> HttpResponse:
    context.update(_refusal(error))
    return render(request, template, context, status=409 if "conflict" in context else 200)


def _project_step(request: AuthenticatedHttpRequest, application: Application) -> HttpResponse:
    template = "calls/applicant/step_project.html"
    base = services.fingerprint(services.project_values(application))
    form = ProjectForm(
        request.POST or None,
        call=application.call,
        initial=ProjectForm.initial_for(application, base),
    )
    context = _context(request, application, "project", form=form)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_project(application=application, by=request.user, **form.changes())
        except ApplyError as error:
            return _refused(request, context, template, error)
        return _saved(request, application, "project")
    return render(request, template, context)


def _questions_form(
    request: AuthenticatedHttpRequest,
    application: Application,
    data: Mapping[str, Any] | None = None,
    extra_rows: Mapping[str, int] | None = None,
) -> QuestionsForm:
    questions = list(application.call.questions.all())
    answers = selectors.answers_by_code(application)
    base = services.fingerprint(services.answer_values(application))
    return QuestionsForm(
        data,
        questions=questions,
        answers=answers,
        documents=documents_for_questions(application),
        extra_rows=extra_rows,
        initial={"version": application.version, "base": base},
    )


def _questions_step(request: AuthenticatedHttpRequest, application: Application) -> HttpResponse:
    template = "calls/applicant/step_questions.html"
    add_row = request.POST.get("add_row", "") if request.method == "POST" else ""
    form = _questions_form(
        request,
        application,
        request.POST if request.method == "POST" else None,
        extra_rows={add_row: 1} if add_row else None,
    )
    context = _context(request, application, "questions", form=form)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_answers(application=application, by=request.user, **form.changes())
        except ApplyError as error:
            return _refused(request, context, template, error)
        if add_row:
            application = _load(request, application.pk)
            form = _questions_form(request, application, extra_rows={add_row: 1})
            context = _context(request, application, "questions", form=form)
            return render(request, template, context)
        return _saved(request, application, "questions")
    return render(request, template, context)


def _budget_form(
    application: Application, data: Mapping[str, Any] | None = None, extra_lines: int = 0
) -> BudgetForm:
    return BudgetForm(
        data,
        application=application,
        template_code=selectors.budget_template_code(application),
        base=services.fingerprint(services.budget_values(application)),
        extra_lines=extra_lines,
    )


def _totals(application: Application) -> BudgetTotals:
    """The saved budget and financing plan summed up by the engine."""
    return summarise(selectors.engine_lines(application), selectors.engine_sources(application))


def _budget_context(
    request: AuthenticatedHttpRequest, application: Application, form: BudgetForm
) -> dict[str, Any]:
    context = _context(request, application, "budget", form=form, totals=_totals(application))
    context["checks"] = [
        (result, text)
        for result, text in selectors.rule_results(
            application, now=context["now"], labels=context["labels"]
        )
        if result.kind in ("amount_ceiling", "financing_plan")
    ]
    return context


def _budget_step(request: AuthenticatedHttpRequest, application: Application) -> HttpResponse:
    template = "calls/applicant/step_budget.html"
    form = _budget_form(application, request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if not form.is_valid():
            messages.error(request, _("Nothing was saved: please correct the errors below."))
            return render(request, template, _budget_context(request, application, form))
        try:
            services.save_budget(application=application, by=request.user, **form.changes())
        except ApplyError as error:
            return _refused(request, _budget_context(request, application, form), template, error)
        if "add_lines" not in request.POST:
            return _saved(request, application, "budget")
        application = _load(request, application.pk)  # as saved, with blank lines to fill in
        form = _budget_form(application, extra_lines=BudgetForm.BLANK_LINES)
    return render(request, template, _budget_context(request, application, form))


def _team_step(request: AuthenticatedHttpRequest, application: Application) -> HttpResponse:
    context = _context(request, application, "team")
    if context["editable"] and context["is_lead"]:
        context["invite_form"] = InviteForm(
            people=visible_people(request.user).filter(user__isnull=False),
            organisations=Organisation.objects.all(),
        )
    return render(request, "calls/applicant/step_team.html", context)


def _document_types(application: Application) -> QuerySet[DocumentType]:
    required = [r.document_type_id for r in application.call.document_requirements.all()]
    types = DocumentType.objects.all()
    return types.filter(pk__in=required) if required else types


def _documents_step(
    request: AuthenticatedHttpRequest,
    application: Application,
    form: DocumentUploadForm | None = None,
    status: int = 200,
) -> HttpResponse:
    context = _context(request, application, "documents")
    required_ids = {d.pk for d in selectors.required_document_types(application)}
    context["required_types"] = [
        r.document_type
        for r in application.call.document_requirements.all()
        if r.applies_to(stage_id=application.stage_id, genre_id=application.genre_id)
    ]
    context["required_ids"] = required_ids
    context["upload_form"] = form or DocumentUploadForm(document_types=_document_types(application))
    return render(request, "calls/applicant/step_documents.html", context, status=status)


def _review_step(request: AuthenticatedHttpRequest, application: Application) -> HttpResponse:
    context = _context(request, application, "review")
    context["rule_results"] = selectors.rule_results(
        application, now=context["now"], labels=context["labels"]
    )
    context["answers"] = selectors.answers_by_code(application)
    context["totals"] = _totals(application)
    return render(request, "calls/applicant/step_review.html", context)


# --- Autosave -----------------------------------------------------------------------------------


@login_required
@require_POST
def application_autosave(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    # permission: signed in; lead or team member with edit rights (404 for others; the service
    # refuses read-only members and closed files)
    application = _load(request, pk)
    template = "calls/applicant/_autosave.html"
    context: dict[str, Any] = {"application": application}
    section = request.POST.get("section")
    form: ProjectForm | QuestionsForm
    if section == "project":
        form = ProjectForm(request.POST, call=application.call)
    elif section == "questions":
        form = _questions_form(request, application, request.POST)
    else:
        raise Http404
    if not form.is_valid():
        context["invalid"] = form.errors
        return render(request, template, context)
    try:
        if isinstance(form, ProjectForm):
            saved = services.save_project(
                application=application, by=request.user, **form.changes()
            )
            base = services.fingerprint(services.project_values(saved))
        else:
            saved = services.save_answers(
                application=application, by=request.user, **form.changes()
            )
            base = services.fingerprint(services.answer_values(saved))
    except ApplyError as error:
        context.update(_refusal(error))
        return render(request, template, context)
    context.update(saved=saved, base=base, saved_at=timezone.now())
    return render(request, template, context)


# --- Team ---------------------------------------------------------------------------------------


@login_required
@require_POST
def team_invite(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    # permission: signed in; lead of an editable application (404 for non-members; the service
    # refuses other members)
    application = _load(request, pk)
    form = InviteForm(
        request.POST,
        people=visible_people(request.user).filter(user__isnull=False),
        organisations=Organisation.objects.all(),
    )
    if form.is_valid():
        picked = form.cleaned_data.get("person")
        try:
            member = services.invite_team_member(
                application=application,
                by=request.user,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                organisation=form.cleaned_data.get("organisation"),
                can_edit=form.cleaned_data["can_edit"],
                invitee=picked.user if picked is not None else None,
            )
        except ApplyError as error:
            form.add_error(None, error.message)
        else:
            shown = services.team_member_name(member.user) if member.user else member.email
            messages.success(request, _("Invitation sent to %(email)s.") % {"email": shown})
            return redirect("calls:application_step", pk=application.pk, step="team")
    context = _context(request, application, "team", invite_form=form)
    return render(request, "calls/applicant/step_team.html", context)


@login_required
@require_POST
def team_remove(request: AuthenticatedHttpRequest, pk: int, member_id: int) -> HttpResponse:
    # permission: signed in; lead of an editable application (404 for non-members)
    application = _load(request, pk)
    member = get_object_or_404(TeamMember, pk=member_id, application=application)
    try:
        services.remove_team_member(member=member, by=request.user)
    except ApplyError as error:
        messages.error(request, error.message)
    else:
        shown = services.member_shown_name(member)  # never a directory member's address
        messages.success(request, _("%(name)s left the team.") % {"name": shown})
    return redirect("calls:application_step", pk=application.pk, step="team")


@login_required
def invitation_accept(request: AuthenticatedHttpRequest, token: str) -> HttpResponse:
    # permission: signed in; the token is the invitation, and the signed-in account must use the
    # invited address (the service checks); an unknown token is a 404
    member = get_object_or_404(
        TeamMember.objects.select_related("application__call", "application__organisation"),
        invitation_token=token,
    )
    if request.method == "POST":
        try:
            services.accept_invitation(token=token, user=request.user)
        except ApplyError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                _("You joined the application %(reference)s.")
                % {"reference": member.application.reference},
            )
            return redirect("calls:application_detail", pk=member.application_id)
    return render(request, "calls/applicant/invitation.html", {"member": member})


# --- Submission, receipt, withdrawal ------------------------------------------------------------


@login_required
@require_POST
def application_submit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    # permission: signed in; 404 for non-members; only the lead submits (the service refuses
    # team members with a message)
    # The gatekeeper only: the service locks the row and reads everything again inside its
    # transaction, so the pages' full load would be thrown away (a third fewer queries on the
    # busiest request of a call's last minutes; bench/bench_deadline_rush.py).
    application = access_application_for_member(request.user, pk)
    try:
        submission_services.submit_application(
            application=application, by=request.user, arrival=arrival_of(request)
        )
    except submission_services.SubmissionRefused as error:
        messages.error(request, error.message)
        return redirect("calls:application_step", pk=application.pk, step="review")
    except ApplyError as error:
        messages.error(request, error.message)
        return redirect("calls:application_step", pk=application.pk, step="review")
    messages.success(request, _("Your application has been submitted."))
    return redirect("calls:application_receipt", pk=application.pk)


@login_required
@require_POST
def application_resubmit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    # permission: signed in; 404 for non-members; only the lead sends the corrected file, while
    # the correction window is open (the service checks the state, the lead and the date)
    application = _load(request, pk)
    try:
        submission_services.resubmit_application(
            application=application, by=request.user, arrival=arrival_of(request)
        )
    except ApplyError as error:
        messages.error(request, error.message)
        if isinstance(error, submission_services.SubmissionRefused):  # the list is there
            return redirect("calls:application_step", pk=application.pk, step="review")
        return redirect("calls:application_detail", pk=application.pk)
    messages.success(
        request, _("Your corrected application has been sent to the instruction team.")
    )
    return redirect("calls:application_receipt", pk=application.pk)


def _submission(request: AuthenticatedHttpRequest, pk: int) -> tuple[Application, Submission]:
    application = _load(request, pk)
    submission = getattr(application, "submission", None)
    if submission is None:
        raise Http404
    return application, submission


@login_required
def application_receipt(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    # permission: signed in; lead or team member, once submitted (404 otherwise)
    application, submission = _submission(request, pk)
    return render(
        request,
        "calls/applicant/receipt.html",
        {
            "application": application,
            "submission": submission,
            "arrival_note": arrival_note(submission),
            "resubmissions": list(application.resubmissions.all()),
        },
    )


@login_required
def application_receipt_pdf(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    # permission: signed in; lead or team member, once submitted (404 otherwise)
    application, submission = _submission(request, pk)
    response = HttpResponse(receipt_pdf(submission), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{application.reference}.pdf"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def application_withdraw(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    # permission: signed in; 404 for non-members; only the lead withdraws, until a decision
    application = _load(request, pk)
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            submission_services.withdraw_application(
                application=application, by=request.user, reason=form.cleaned_data["reason"]
            )
        except ApplyError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Your application has been withdrawn."))
            return redirect("calls:application_detail", pk=application.pk)
    return render(
        request,
        "calls/applicant/withdraw.html",
        {
            "application": application,
            "form": form,
            "withdrawable": is_withdrawable(application.state)
            and permissions.is_lead(request.user, application),
        },
    )
