"""Pages of the payments.

The beneficiary (lead and accepted team members, once the agreement is sent): the schedule
with its requests, and a form per tranche to ask for it with proofs. The staff of the call (not
on the file): an agreement's requests (approve, refuse, record the payment), what awaits them
across their calls, and the payments ledger per fund and per co-funder with its CSV and XLSX
exports. Both: a proof's file, once the antivirus found it clean.

Thin adapters: a gatekeeper (``access``), a form, one service.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from filiere.accounts.types import AuthenticatedHttpRequest
from filiere.calls.models import ScanStatus
from filiere.calls.services.documents import UploadError
from filiere.errors import ServiceError

from . import selectors_payments as selectors
from . import services_payments as services
from .access import agreement_for_beneficiary, agreement_for_reader, agreement_for_staff
from .exports import ledger_csv, ledger_xlsx
from .forms_payments import LedgerFilterForm, PaidForm, PaymentRequestForm, RefuseForm
from .models import Agreement, PaymentProof, Tranche
from .permissions import agreements_staff_required
from .phrases_follow_up import spend_steps
from .selectors_spend import computation_from_record

# --- the beneficiary ----------------------------------------------------------------------------


def _request_form(tranche: Tranche, data: Any = None, files: Any = None) -> PaymentRequestForm:
    # One form per tranche on the page: a prefix keeps their fields' ids apart.
    return PaymentRequestForm(data, files, prefix=f"tranche-{tranche.pk}")


def _explained(tranches: list[Tranche]) -> list[Tranche]:
    """Put each request's stored computation in words (``request.steps``)."""
    for tranche in tranches:
        for request in tranche.requests.all():
            computation = computation_from_record(request.computation)
            request.steps = (  # type: ignore[attr-defined]
                spend_steps(computation.outcome, computation.rule) if computation else []
            )
    return tranches


def _beneficiary_page(
    request: AuthenticatedHttpRequest,
    agreement: Agreement,
    *,
    form: PaymentRequestForm | None = None,
    form_tranche: int | None = None,
    status: int = 200,
) -> HttpResponse:
    tranches = _explained(selectors.tranches_with_requests(agreement))
    for tranche in tranches:
        tranche.form = (  # type: ignore[attr-defined]
            form if form is not None and tranche.pk == form_tranche else _request_form(tranche)
        )
    context = {"agreement": agreement, "tranches": tranches}
    return render(request, "awards/my_payments.html", context, status=status)


@login_required
def my_payments(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    # permission: signed in; the application's lead and accepted team members once the
    # agreement is sent (agreement_for_beneficiary; 404 for anyone else)
    return _beneficiary_page(request, agreement_for_beneficiary(request.user, pk))


@login_required
@require_POST
def payment_request(request: AuthenticatedHttpRequest, pk: int, tranche_pk: int) -> HttpResponse:
    # permission: signed in; the beneficiary's lead and accepted team members
    # (agreement_for_beneficiary; 404 otherwise); the service checks the order of tranches
    agreement = agreement_for_beneficiary(request.user, pk)
    tranche = Tranche.objects.filter(agreement=agreement, pk=tranche_pk).first()
    if tranche is None:
        raise Http404
    form = _request_form(tranche, request.POST, request.FILES)
    if form.is_valid():
        try:
            services.request_payment(
                tranche=tranche,
                by=request.user,
                proofs=form.cleaned_data["proofs"],
                note=form.cleaned_data["note"],
            )
        except UploadError as error:
            form.add_error("proofs", error.message)
        except ServiceError as error:
            form.add_error(None, error.message)
            if error.status == 429:
                return _beneficiary_page(
                    request, agreement, form=form, form_tranche=tranche.pk, status=429
                )
        else:
            messages.success(request, _("The payment is asked for: the staff check your proofs."))
            return redirect("awards:my_payments", pk=agreement.pk)
    return _beneficiary_page(request, agreement, form=form, form_tranche=tranche.pk, status=400)


# --- the staff ----------------------------------------------------------------------------------


def _staff_page(
    request: AuthenticatedHttpRequest,
    agreement: Agreement,
    *,
    bound: RefuseForm | PaidForm | None = None,
    bound_request: int | None = None,
    status: int = 200,
) -> HttpResponse:
    tranches = _explained(selectors.tranches_with_requests(agreement))
    for tranche in tranches:
        for payment in tranche.requests.all():
            payment.refuse_form = RefuseForm(prefix=f"refuse-{payment.pk}")  # type: ignore[attr-defined]
            payment.paid_form = PaidForm(prefix=f"paid-{payment.pk}")  # type: ignore[attr-defined]
            if payment.pk == bound_request and isinstance(bound, RefuseForm):
                payment.refuse_form = bound  # type: ignore[attr-defined]
            elif payment.pk == bound_request and isinstance(bound, PaidForm):
                payment.paid_form = bound  # type: ignore[attr-defined]
    context = {
        "agreement": agreement,
        "call": agreement.application.call,
        "tranches": tranches,
    }
    return render(request, "awards/payments.html", context, status=status)


@agreements_staff_required
def payments(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    # permission: the staff of the agreement's call not on its team (agreement_for_staff; 404
    # otherwise)
    return _staff_page(request, agreement_for_staff(request.user, pk))


def _request_or_404(agreement: Agreement, request_pk: int):  # type: ignore[no-untyped-def]
    found = selectors.request_of(agreement, request_pk)
    if found is None:
        raise Http404
    return found


@agreements_staff_required
@require_POST
def payment_approve(request: AuthenticatedHttpRequest, pk: int, request_pk: int) -> HttpResponse:
    # permission: the staff of the agreement's call not on its team (agreement_for_staff; 404
    # otherwise); the service refuses the requester, a second approval by the same person and
    # proofs not found clean
    agreement = agreement_for_staff(request.user, pk)
    payment = _request_or_404(agreement, request_pk)
    try:
        done = services.approve_payment(request=payment, by=request.user)
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        if done.status == "approved":
            messages.success(request, _("Second approval recorded: the payment can be made."))
        else:
            messages.success(request, _("Approval recorded: another staff member must approve."))
    return redirect("awards:payments", pk=agreement.pk)


@agreements_staff_required
@require_POST
def payment_refuse(request: AuthenticatedHttpRequest, pk: int, request_pk: int) -> HttpResponse:
    # permission: the staff of the agreement's call not on its team (agreement_for_staff; 404
    # otherwise)
    agreement = agreement_for_staff(request.user, pk)
    payment = _request_or_404(agreement, request_pk)
    form = RefuseForm(request.POST, prefix=f"refuse-{payment.pk}")
    if form.is_valid():
        try:
            services.refuse_payment(
                request=payment, by=request.user, reason=form.cleaned_data["reason"]
            )
        except ServiceError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The request is refused; the beneficiary may ask again."))
        return redirect("awards:payments", pk=agreement.pk)
    return _staff_page(request, agreement, bound=form, bound_request=payment.pk, status=400)


@agreements_staff_required
@require_POST
def payment_paid(request: AuthenticatedHttpRequest, pk: int, request_pk: int) -> HttpResponse:
    # permission: the staff of the agreement's call not on its team (agreement_for_staff; 404
    # otherwise); the service asks for two approvals first
    agreement = agreement_for_staff(request.user, pk)
    payment = _request_or_404(agreement, request_pk)
    form = PaidForm(request.POST, prefix=f"paid-{payment.pk}")
    if form.is_valid():
        try:
            services.record_payment(
                request=payment, by=request.user, paid_on=form.cleaned_data["paid_on"]
            )
        except ServiceError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The payment is recorded."))
        return redirect("awards:payments", pk=agreement.pk)
    return _staff_page(request, agreement, bound=form, bound_request=payment.pk, status=400)


@agreements_staff_required
def payments_pending(request: AuthenticatedHttpRequest) -> HttpResponse:
    # permission: staff of at least one call (agreements_staff_required: 403 otherwise); the
    # list holds only their calls' agreements, never one of a file they are on
    context = {"requests": list(selectors.awaiting_approval(request.user))}
    return render(request, "awards/payments_pending.html", context)


def _ledger_rows(request: AuthenticatedHttpRequest):  # type: ignore[no-untyped-def]
    funds, cofunders = selectors.ledger_choices(request.user)
    form = LedgerFilterForm(request.GET or None, funds=funds, cofunders=cofunders)
    if form.is_bound and not form.is_valid():
        return form, []  # a fund or co-funder that is not theirs: nothing
    data = form.cleaned_data if form.is_bound else {}
    rows = selectors.payments_ledger(
        request.user,
        fund=data.get("fund") or "",
        cofunder=data.get("cofunder") or "",
        year=data.get("year"),
    )
    return form, rows


@agreements_staff_required
def ledger(request: AuthenticatedHttpRequest) -> HttpResponse:
    # permission: staff of at least one call (agreements_staff_required: 403 otherwise); the
    # payments of their calls' agreements only
    form, rows = _ledger_rows(request)
    cofunders = sorted({name for row in rows for name in row.cofunders})
    context = {
        "form": form,
        "rows": [
            {"row": row, "parts": [row.cofunders.get(name, Decimal(0)) for name in cofunders]}
            for row in rows
        ],
        "cofunders": cofunders,
        "totals": selectors.ledger_totals(rows),
        "query": request.GET.urlencode(),
    }
    return render(request, "awards/ledger.html", context)


@agreements_staff_required
def ledger_export(request: AuthenticatedHttpRequest, fmt: str) -> HttpResponse:
    # permission: staff of at least one call (agreements_staff_required: 403 otherwise); the
    # same rows as the ledger page
    _form, rows = _ledger_rows(request)
    if fmt == "csv":
        response = HttpResponse(ledger_csv(rows), content_type="text/csv; charset=utf-8")
    elif fmt == "xlsx":
        response = HttpResponse(
            ledger_xlsx(rows),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        raise Http404
    response["Content-Disposition"] = f'attachment; filename="payments-ledger.{fmt}"'
    return response


# --- both: a proof ------------------------------------------------------------------------------


@login_required
def proof_file(request: AuthenticatedHttpRequest, pk: int, proof_pk: int) -> HttpResponseBase:
    # permission: signed in; the staff of the agreement's call not on its team and the
    # beneficiary's lead and accepted members (agreement_for_reader; 404 otherwise); only a
    # file the antivirus found clean, always as an attachment
    agreement, _as_staff = agreement_for_reader(request.user, pk)
    proof = PaymentProof.objects.filter(pk=proof_pk, request__tranche__agreement=agreement).first()
    if proof is None or not proof.file:
        raise Http404
    if proof.scan_status != ScanStatus.CLEAN:
        context = {"name": proof.original_name, "status": proof.scan_status}
        return render(request, "awards/file_blocked.html", context, status=409)
    return FileResponse(
        proof.file.open("rb"),
        as_attachment=True,
        filename=proof.original_name or "proof",
        content_type=proof.content_type or "application/octet-stream",
    )
