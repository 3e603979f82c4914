"""Pages of the reports and the end of the follow-up.

The beneficiary: the reports due (scheduled from the signature), each handed in as a file.
The staff of the call: the reports (accept one the antivirus found clean), the closure once
the final report is accepted and every tranche paid, the recovery of unspent amounts. Both: a
report's file. The team of an application also declares the aids its company received
elsewhere (de minimis), which the committee sees beside the platform's own awards.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from filiere.accounts.types import AuthenticatedHttpRequest
from filiere.calls.models import Application, ScanStatus
from filiere.calls.permissions import is_member
from filiere.calls.services.documents import UploadError
from filiere.errors import ServiceError

from . import services_reports as services
from .access import agreement_for_beneficiary, agreement_for_reader, agreement_for_staff
from .forms_payments import AidForm, CloseForm, RecoveryForm, ReportDueForm, ReportForm
from .models import Agreement, AgreementStatus, Recovery, Report
from .permissions import agreements_staff_required
from .selectors_de_minimis import de_minimis_for_application, declared_aids


def _report_or_404(agreement: Agreement, report_pk: int) -> Report:
    report = Report.objects.filter(pk=report_pk, agreement=agreement).first()
    if report is None:
        raise Http404
    return report


# --- the beneficiary ----------------------------------------------------------------------------


def _report_form(report: Report, data: Any = None, files: Any = None) -> ReportForm:
    # One form per report on the page: a prefix keeps their fields' ids apart.
    return ReportForm(data, files, prefix=f"report-{report.pk}")


def _beneficiary_page(
    request: AuthenticatedHttpRequest,
    agreement: Agreement,
    *,
    form: ReportForm | None = None,
    form_report: int | None = None,
    status: int = 200,
) -> HttpResponse:
    reports = services.schedule_reports(agreement=agreement)
    forms = {
        report.pk: form if report.pk == form_report and form is not None else _report_form(report)
        for report in reports
    }
    context = {
        "agreement": agreement,
        "reports": reports,
        "to_submit": [(r, forms[r.pk]) for r in reports if r.status != "accepted"],
    }
    return render(request, "awards/my_reports.html", context, status=status)


@login_required
def my_reports(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    # permission: signed in; the application's lead and accepted team members once the
    # agreement is sent (agreement_for_beneficiary; 404 otherwise)
    return _beneficiary_page(request, agreement_for_beneficiary(request.user, pk))


@login_required
@require_POST
def report_submit(request: AuthenticatedHttpRequest, pk: int, report_pk: int) -> HttpResponse:
    # permission: signed in; the beneficiary's lead and accepted team members
    # (agreement_for_beneficiary; 404 otherwise); the service refuses a closed agreement
    agreement = agreement_for_beneficiary(request.user, pk)
    report = _report_or_404(agreement, report_pk)
    form = _report_form(report, request.POST, request.FILES)
    if form.is_valid():
        try:
            services.submit_report(
                report=report, by=request.user, uploaded_file=form.cleaned_data["file"]
            )
        except UploadError as error:
            form.add_error("file", error.message)
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The report was received; the antivirus checks it now."))
            return redirect("awards:my_reports", pk=agreement.pk)
    return _beneficiary_page(request, agreement, form=form, form_report=report.pk, status=400)


# --- the staff ----------------------------------------------------------------------------------


def _due_form(report: Report, data: Any = None) -> ReportDueForm:
    # One form per report on the page: a prefix keeps their fields' ids apart.
    return ReportDueForm(data, prefix=f"due-{report.pk}", initial={"due_on": report.due_on})


def _staff_page(
    request: AuthenticatedHttpRequest,
    agreement: Agreement,
    *,
    close_form: CloseForm | None = None,
    recovery_form: RecoveryForm | None = None,
    due_form: ReportDueForm | None = None,
    due_report: int | None = None,
    status: int = 200,
) -> HttpResponse:
    reports = services.schedule_reports(agreement=agreement)
    movable = agreement.status != AgreementStatus.CLOSED
    context = {
        "agreement": agreement,
        "call": agreement.application.call,
        "reports": reports,
        "due_forms": [
            (r, due_form if r.pk == due_report and due_form is not None else _due_form(r))
            for r in reports
            if movable and r.status != "accepted"
        ],
        "paid": services.paid_total(agreement),
        "recoveries": list(
            Recovery.objects.filter(agreement=agreement).select_related("recorded_by")
        ),
        "close_form": close_form or CloseForm(),
        "recovery_form": recovery_form or RecoveryForm(),
    }
    return render(request, "awards/reports.html", context, status=status)


@agreements_staff_required
def reports(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    # permission: the staff of the agreement's call not on its team (agreement_for_staff; 404
    # otherwise)
    return _staff_page(request, agreement_for_staff(request.user, pk))


@agreements_staff_required
@require_POST
def report_accept(request: AuthenticatedHttpRequest, pk: int, report_pk: int) -> HttpResponse:
    # permission: the staff of the agreement's call not on its team (agreement_for_staff; 404
    # otherwise); the service asks for a submitted file found clean
    agreement = agreement_for_staff(request.user, pk)
    report = _report_or_404(agreement, report_pk)
    try:
        services.accept_report(report=report, by=request.user)
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The report is accepted."))
    return redirect("awards:reports", pk=agreement.pk)


@agreements_staff_required
@require_POST
def report_due(request: AuthenticatedHttpRequest, pk: int, report_pk: int) -> HttpResponse:
    # permission: the staff of the agreement's call not on its team (agreement_for_staff; 404
    # otherwise); the service asks for a reason and refuses an accepted report, a closed
    # project and a past day
    agreement = agreement_for_staff(request.user, pk)
    report = _report_or_404(agreement, report_pk)
    form = _due_form(report, request.POST)
    if form.is_valid():
        try:
            services.change_due_date(
                report=report,
                by=request.user,
                due_on=form.cleaned_data["due_on"],
                reason=form.cleaned_data["reason"],
            )
        except ServiceError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("The report's due date is changed."))
            return redirect("awards:reports", pk=agreement.pk)
    return _staff_page(request, agreement, due_form=form, due_report=report.pk, status=400)


@agreements_staff_required
@require_POST
def close(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    # permission: the staff of the agreement's call not on its team (agreement_for_staff; 404
    # otherwise); the service asks for the final report accepted and every tranche paid
    agreement = agreement_for_staff(request.user, pk)
    form = CloseForm(request.POST)
    if form.is_valid():
        try:
            services.close_agreement(
                agreement=agreement,
                by=request.user,
                recovery=form.cleaned_data["recovery"],
                recovery_reason=form.cleaned_data["recovery_reason"],
            )
        except ServiceError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("The project is closed."))
            return redirect("awards:reports", pk=agreement.pk)
    return _staff_page(request, agreement, close_form=form, status=400)


@agreements_staff_required
@require_POST
def recovery(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    # permission: the staff of the agreement's call not on its team (agreement_for_staff; 404
    # otherwise); never more than what was paid
    agreement = agreement_for_staff(request.user, pk)
    form = RecoveryForm(request.POST)
    if form.is_valid():
        try:
            services.record_recovery(
                agreement=agreement,
                by=request.user,
                amount=form.cleaned_data["amount"],
                reason=form.cleaned_data["reason"],
            )
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The amount to recover is recorded."))
            return redirect("awards:reports", pk=agreement.pk)
    return _staff_page(request, agreement, recovery_form=form, status=400)


# --- both: a report's file ----------------------------------------------------------------------


@login_required
def report_file(request: AuthenticatedHttpRequest, pk: int, report_pk: int) -> HttpResponseBase:
    # permission: signed in; the staff of its call not on its team and the beneficiary's lead
    # and accepted members (agreement_for_reader; 404 otherwise); only a clean file
    agreement, _as_staff = agreement_for_reader(request.user, pk)
    report = _report_or_404(agreement, report_pk)
    if not report.file:
        raise Http404
    if report.scan_status != ScanStatus.CLEAN:
        context = {"name": report.original_name, "status": report.scan_status}
        return render(request, "awards/file_blocked.html", context, status=409)
    return FileResponse(
        report.file.open("rb"),
        as_attachment=True,
        filename=report.original_name or "report",
        content_type=report.content_type or "application/octet-stream",
    )


# --- the team: aids declared (de minimis) -------------------------------------------------------


@login_required
def my_aids(request: AuthenticatedHttpRequest, application_pk: int) -> HttpResponse:
    # permission: signed in; the application's lead and accepted team members (is_member; 404
    # for anyone else, a pending invitee included)
    application = (
        Application.objects.select_related("organisation", "call").filter(pk=application_pk).first()
    )
    if application is None or not is_member(request.user, application):
        raise Http404
    form = AidForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.declare_aid(application=application, by=request.user, **form.cleaned_data)
            except ServiceError as error:
                form.add_error(error.field if error.field in form.fields else None, error.message)
            else:
                messages.success(request, _("The aid is declared."))
                return redirect("awards:my_aids", application_pk=application.pk)
    context = {
        "application": application,
        "aids": list(declared_aids(application.organisation)),
        "check": de_minimis_for_application(application),
        "form": form,
    }
    return render(request, "awards/my_aids.html", context, status=status)
