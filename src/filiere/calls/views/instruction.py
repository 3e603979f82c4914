"""Instruction pages (staff): the list of a call's applications, one application with its
eligibility check, decisions, correction requests, messages, private notes and labels, exports.

Every view here is for the staff of the call: the global staff and holders of a staff grant
scoped to that call (``calls.permissions.call_staff_required``, which reads the call once and
hands it to the view); anonymous visitors are sent to sign in, everyone else gets 403. One
application is fetched through ``access.access_application_for_staff``; the services check the
same rule again. Nobody reaches an application they are on (lead, invited or accepted team
member) through these pages: 403, and it is left out of their lists, bulk actions and exports.
``instructed_calls`` lists the calls a person instructs (their way in from the menu).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.forms import Form
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    StreamingHttpResponse,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from filiere.accounts.models import User
from filiere.accounts.types import AuthenticatedHttpRequest
from filiere.engine.workflow import Transition
from filiere.ui.params import as_id

from .. import exports, phrases, selectors_staff
from ..access import access_application_for_staff
from ..filters import ApplicationFilterForm, filter_querystring
from ..forms.staff import (
    BulkActionForm,
    CorrectionForm,
    DecisionForm,
    LabelForm,
    MessageForm,
    NoteForm,
    SavedFilterForm,
    TransitionForm,
)
from ..models import Application, Call, ExportJob, Label, SavedFilter
from ..permissions import call_staff_required, instructable_q, instructor_required
from ..selectors import rule_labels
from ..selectors_audit import audited_calls
from ..services import instruction
from ..services.transitions import (
    TransitionError,
    allowed_for,
    fire_requested_transition,
    is_requestable,
)
from ..throttle import Throttled
from .files import serve_message_attachment, throttled

PAGE_SIZE = getattr(settings, "FILIERE_STAFF_LIST_PAGE_SIZE", 50)


def _is_partial(request: HttpRequest) -> bool:
    htmx = getattr(request, "htmx", None)
    if not htmx:
        return False
    return not htmx.history_restore_request


def _list_url(call: Call, query: str = "") -> str:
    url = reverse("calls:staff_applications", kwargs={"slug": call.slug})
    return f"{url}?{query}" if query else url


def _application_url(application: Application) -> str:
    return reverse(
        "calls:staff_application",
        kwargs={"slug": application.call.slug, "reference": application.reference},
    )


# --- the calls one instructs ---------------------------------------------------------------------


@instructor_required
@require_GET
def instructed_calls(request: AuthenticatedHttpRequest) -> HttpResponse:
    # permission: signed in with a staff role, global or for at least one call (403 otherwise);
    # lists only the calls the viewer instructs
    calls = audited_calls(request.user).select_related("fund").order_by("-closes_at", "slug")
    return render(request, "calls/staff/calls.html", {"calls": calls})


# --- the list -----------------------------------------------------------------------------------


@call_staff_required
@require_GET
def application_list(request: AuthenticatedHttpRequest, call: Call) -> HttpResponse:
    # permission: staff of this call (global, or a staff grant scoped to it); 403 for other
    # signed-in people; the applications the viewer is on are left out
    form = ApplicationFilterForm(request.GET or None, call=call)
    queryset = selectors_staff.staff_applications(call, form.filters(), viewer=request.user)
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    selectors_staff.attach_missing_documents(page.object_list)
    query = filter_querystring(request.GET)
    context = {
        "call": call,
        "form": form,
        "page": page,
        "query": query,
        "counts": selectors_staff.call_counts(call),
        "saved_filters": selectors_staff.saved_filters(request.user, call),
        "save_form": SavedFilterForm(),
        "bulk_form": BulkActionForm(),
        "now": timezone.now(),
    }
    template = "calls/staff/applications.html"
    if _is_partial(request):
        template += "#results"
    return render(request, template, context)


def _selected(call: Call, ids: Iterable[int], user: User) -> list[Application]:
    # Never the applications the staff member is on (lead or team member).
    return list(
        Application.objects.filter(call=call, pk__in=ids)
        .filter(instructable_q(user))
        .select_related("call", "organisation__territory", "genre", "stage")
        .order_by("reference")
    )


@call_staff_required
@require_POST
def bulk_action(request: AuthenticatedHttpRequest, call: Call) -> HttpResponseBase:
    # permission: staff of this call (global or call-scoped); acts only on applications of this
    # call that the staff member is not on
    ids = [i for i in map(as_id, request.POST.getlist("applications")) if i is not None]
    form = BulkActionForm(request.POST, application_ids=ids)
    back = _list_url(call, request.POST.get("query", ""))
    if not ids:
        messages.error(request, _("Select at least one application."))
        return redirect(back)
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, str(message))
        return redirect(back)
    selected = _selected(call, form.cleaned_data["applications"], request.user)
    if len(selected) < len(set(form.cleaned_data["applications"])):
        messages.error(
            request, _("Applications you are on, or not of this call, were left out of the action.")
        )
    action = form.cleaned_data["action"]
    if action in ("export_csv", "export_xlsx"):
        queryset = selectors_staff.staff_applications(call, viewer=request.user).filter(
            pk__in=[a.pk for a in selected]
        )
        return _export_response(call, queryset, action.removeprefix("export_"))
    if action == "message":
        try:
            count = instruction.bulk_message(
                applications=selected, body=form.cleaned_data["body"], by=request.user
            )
        except Throttled as error:
            messages.error(request, error.message)
            return redirect(back)
        messages.success(
            request,
            ngettext(
                "Message sent to %(n)d application.", "Message sent to %(n)d applications.", count
            )
            % {"n": count},
        )
        return redirect(back)
    result = instruction.bulk_transition(
        applications=selected, code=action, by=request.user, reason=form.cleaned_data["reason"]
    )
    if result.done:
        messages.success(
            request,
            _("%(action)s: %(references)s.")
            % {"action": phrases.TRANSITIONS[action], "references": ", ".join(result.done)},
        )
    for reference, refusal in result.refused:
        messages.error(request, f"{reference}: {refusal.message}")
    return redirect(back)


def _export_response(call: Call, queryset: QuerySet[Application], kind: str) -> HttpResponseBase:
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response: HttpResponseBase
    if kind == "csv":
        response = StreamingHttpResponse(
            exports.csv_lines(queryset), content_type="text/csv; charset=utf-8"
        )
        name = f"{call.slug}-applications-{stamp}.csv"
    else:
        response = HttpResponse(
            exports.xlsx_bytes(queryset),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        name = f"{call.slug}-applications-{stamp}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@call_staff_required
@require_GET
def export_list(request: AuthenticatedHttpRequest, call: Call, kind: str) -> HttpResponseBase:
    # permission: staff of this call (global or call-scoped); the filtered list as CSV or XLSX,
    # without the applications the viewer is on
    if kind not in ("csv", "xlsx"):
        raise Http404
    form = ApplicationFilterForm(request.GET or None, call=call)
    queryset = selectors_staff.staff_applications(call, form.filters(), viewer=request.user)
    return _export_response(call, queryset, kind)


@call_staff_required
@require_POST
def save_filter(request: AuthenticatedHttpRequest, call: Call) -> HttpResponse:
    # permission: staff of this call (global or call-scoped); saves a filter of this call for the
    # signed-in staff member only
    form = SavedFilterForm(request.POST)
    query = filter_querystring(request.POST)
    if form.is_valid():
        instruction.save_filter(
            user=request.user, call=call, name=form.cleaned_data["name"], query=query
        )
        messages.success(request, _("Filters saved."))
    else:
        messages.error(request, _("Give the saved filter a name."))
    return redirect(_list_url(call, query))


@call_staff_required
@require_POST
def delete_filter(request: AuthenticatedHttpRequest, call: Call, pk: int) -> HttpResponse:
    # permission: staff of this call (global or call-scoped); only one's own saved filters (404
    # for others')
    saved = get_object_or_404(SavedFilter, pk=pk, call=call, user=request.user)
    instruction.delete_saved_filter(saved_filter=saved, by=request.user)
    messages.success(request, _("Saved filter deleted."))
    return redirect(_list_url(call))


# --- the ZIP of documents -----------------------------------------------------------------------


@call_staff_required
@require_POST
def documents_zip(request: AuthenticatedHttpRequest, call: Call) -> HttpResponse:
    # permission: staff of this call (global or call-scoped); starts a background export of this
    # call's clean documents, without the applications the requester is on
    job = exports.start_documents_zip(call=call, by=request.user)
    return redirect("calls:staff_export", slug=call.slug, pk=job.pk)


@call_staff_required
@require_GET
def export_job(request: AuthenticatedHttpRequest, call: Call, pk: int) -> HttpResponse:
    # permission: staff of this call (global or call-scoped); the progress page of one's own
    # export of this call (404 for someone else's: its content depends on who asked)
    job = get_object_or_404(ExportJob, pk=pk, call=call, requested_by=request.user)
    template = "calls/staff/export.html"
    if _is_partial(request):
        template += "#progress"
    return render(request, template, {"call": call, "job": job})


@call_staff_required
@require_GET
def export_download(request: AuthenticatedHttpRequest, call: Call, pk: int) -> HttpResponseBase:
    # permission: staff of this call (global or call-scoped); the finished file of one's own
    # export of this call (404 until it is ready, and for someone else's)
    job = get_object_or_404(
        ExportJob, pk=pk, call=call, requested_by=request.user, status=ExportJob.Status.DONE
    )
    if not job.file:
        raise Http404
    return FileResponse(
        job.file.open("rb"),
        as_attachment=True,
        filename=f"{call.slug}-documents-{job.pk}.zip",
        content_type="application/zip",
    )


# --- one application ----------------------------------------------------------------------------


def _detail_context(
    request: AuthenticatedHttpRequest, application: Application, **forms: Form
) -> dict[str, Any]:
    report, rules_error = selectors_staff.eligibility_report(application)
    labels = rule_labels() if report is not None else phrases.NO_LABELS
    results = [
        {
            "kind": str(phrases.RULE_KINDS.get(result.kind, result.kind)),
            "status": result.status.value,
            "message": phrases.rule_result_message(result, labels),
        }
        for result in (report.results if report else ())
    ]
    transitions = allowed_for(request.user, application)
    other = _other_transitions(transitions)
    codes = {t.code for t in transitions}
    return {
        "call": application.call,
        "application": application,
        "report": report,
        "results": results,
        "rules_error": phrases.message(rules_error) if rules_error else "",
        "can_decide": bool(codes & {"declare_eligible", "declare_ineligible"}),
        "can_request_correction": "request_correction" in codes,
        "decision_form": forms.get("decision_form") or DecisionForm(),
        "correction_form": forms.get("correction_form") or CorrectionForm(),
        "message_form": forms.get("message_form") or MessageForm(),
        "note_form": forms.get("note_form") or NoteForm(),
        "label_form": forms.get("label_form") or LabelForm(),
        "transition_form": forms.get("transition_form") or TransitionForm(transitions=other),
        "has_other_transitions": bool(other),
        "call_labels": Label.objects.filter(call=application.call).order_by("name"),
        "budget_total": sum((line.amount for line in application.budget_lines.all()), 0),
        "financing_total": sum((s.amount for s in application.financing.all()), 0),
        "now": timezone.now(),
    }


def _other_transitions(transitions: Iterable[Transition]) -> list[Transition]:
    """The generic form's choices: what the generic service fires, and the decisions (their
    service is called below); never the verbs with their own form (submit, a correction...)."""
    return [
        t
        for t in transitions
        if is_requestable(t) and t.code not in {"declare_eligible", "declare_ineligible"}
    ]


@call_staff_required
@require_GET
def application_detail(
    request: AuthenticatedHttpRequest, call: Call, reference: str
) -> HttpResponse:
    # permission: staff; everything about the application, private notes and labels included
    application = access_application_for_staff(request.user, call, reference)
    return render(request, "calls/staff/application.html", _detail_context(request, application))


def _render_with_errors(
    request: AuthenticatedHttpRequest, application: Application, **forms: Form
) -> HttpResponse:
    return render(
        request,
        "calls/staff/application.html",
        _detail_context(request, application, **forms),
        status=400,
    )


def _post_form(
    request: AuthenticatedHttpRequest,
    application: Application,
    name: str,
    form: Form,
    act: Callable[[dict[str, Any]], str],
    *,
    anchor: str = "",
) -> HttpResponse:
    """One of the application page's forms (``name`` in its context) posted: once valid, ``act``
    calls the service with its data and says what was done (nothing to say: ""). A refusal of the
    workflow shows above the page, a throttled one in the form (429); both keep what was typed."""
    if not form.is_valid():
        return _render_with_errors(request, application, **{name: form})
    try:
        done = act(form.cleaned_data)
    except TransitionError as error:
        messages.error(request, error.message)
        return _render_with_errors(request, application, **{name: form})
    except Throttled as error:
        form.add_error(None, error.message)
        return throttled(_render_with_errors(request, application, **{name: form}), error)
    if done:
        messages.success(request, done)
    return redirect(_application_url(application) + anchor)


@call_staff_required
@require_POST
def decide(request: AuthenticatedHttpRequest, call: Call, reference: str) -> HttpResponse:
    # permission: staff; eligible or ineligible (reason required, sent to the applicant)
    application = access_application_for_staff(request.user, call, reference)

    def act(data: dict[str, Any]) -> str:
        instruction.decide_eligibility(
            application=application,
            eligible=data["decision"] == "declare_eligible",
            reason=data["reason"],
            by=request.user,
        )
        return _("Decision recorded; the applicant team is informed by e-mail.")

    return _post_form(request, application, "decision_form", DecisionForm(request.POST), act)


@call_staff_required
@require_POST
def request_correction(
    request: AuthenticatedHttpRequest, call: Call, reference: str
) -> HttpResponse:
    # permission: staff; reopens the listed items until a date
    application = access_application_for_staff(request.user, call, reference)

    def act(data: dict[str, Any]) -> str:
        instruction.request_correction(
            application=application,
            items=data["items"],
            until=data["until"],
            message=data["message"],
            by=request.user,
        )
        return _("Correction requested; the applicant team is informed by e-mail.")

    return _post_form(request, application, "correction_form", CorrectionForm(request.POST), act)


@call_staff_required
@require_POST
def fire_transition(request: AuthenticatedHttpRequest, call: Call, reference: str) -> HttpResponse:
    # permission: staff of this call, not on the application's team; a transition the engine's
    # table allows staff from the current state, except those with their own form and service
    application = access_application_for_staff(request.user, call, reference)
    form = TransitionForm(
        request.POST, transitions=_other_transitions(allowed_for(request.user, application))
    )

    def act(data: dict[str, Any]) -> str:
        fire_requested_transition(
            application=application, code=data["code"], reason=data["reason"], by=request.user
        )
        state = application.get_state_display()
        return _("Done: the application is now “%(state)s”.") % {"state": state}

    return _post_form(request, application, "transition_form", form, act)


@call_staff_required
@require_POST
def post_message(request: AuthenticatedHttpRequest, call: Call, reference: str) -> HttpResponse:
    # permission: staff of this call, not on the application's team; a message to the
    # applicant team (e-mailed to them)
    application = access_application_for_staff(request.user, call, reference)

    def act(data: dict[str, Any]) -> str:
        instruction.post_message(
            application=application,
            by=request.user,
            body=data["body"],
            attachment=data.get("attachment"),
            from_staff=True,
        )
        return _("Message sent.")

    form = MessageForm(request.POST, request.FILES)
    return _post_form(request, application, "message_form", form, act, anchor="#messages")


@call_staff_required
@require_GET
def message_attachment(
    request: AuthenticatedHttpRequest, call: Call, reference: str, pk: int
) -> HttpResponseBase:
    # permission: staff of this call, not on the application's team; an attachment of a
    # message on this application, only once the
    # antivirus found it clean (409 with the reason before)
    application = access_application_for_staff(request.user, call, reference)
    return serve_message_attachment(request, application, pk)


@call_staff_required
@require_POST
def add_note(request: AuthenticatedHttpRequest, call: Call, reference: str) -> HttpResponse:
    # permission: staff of this call, not on the application's team; private note (never shown
    # to applicants)
    application = access_application_for_staff(request.user, call, reference)

    def act(data: dict[str, Any]) -> str:
        instruction.add_note(application=application, by=request.user, body=data["body"])
        return _("Note added.")

    form = NoteForm(request.POST)
    return _post_form(request, application, "note_form", form, act, anchor="#notes")


@call_staff_required
@require_POST
def add_label(request: AuthenticatedHttpRequest, call: Call, reference: str) -> HttpResponse:
    # permission: staff of this call, not on the application's team; a label of the call (never
    # shown to applicants)
    application = access_application_for_staff(request.user, call, reference)

    def act(data: dict[str, Any]) -> str:
        instruction.add_label(application=application, name=data["name"], by=request.user)
        return ""  # the label shows on the page

    form = LabelForm(request.POST)
    return _post_form(request, application, "label_form", form, act, anchor="#labels")


@call_staff_required
@require_POST
def remove_label(
    request: AuthenticatedHttpRequest, call: Call, reference: str, pk: int
) -> HttpResponse:
    # permission: staff of this call, not on the application's team
    application = access_application_for_staff(request.user, call, reference)
    label = get_object_or_404(Label, pk=pk, call=application.call)
    instruction.remove_label(application=application, label=label, by=request.user)
    return redirect(_application_url(application) + "#labels")


@call_staff_required
@require_GET
def dossier_pdf(request: AuthenticatedHttpRequest, call: Call, reference: str) -> HttpResponse:
    # permission: staff; the application as a PDF dossier (without notes or labels)
    application = access_application_for_staff(request.user, call, reference)
    response = HttpResponse(exports.dossier_pdf(application), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{application.reference}.pdf"'
    return response
