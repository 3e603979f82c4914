"""Pages of the regional-spend ledger: the beneficiary declares invoices and sees the achieved
ratio live, with what the final tranche would become; the staff of the call read the same
ledger and computation. The computation is the engine's, put in words step by step."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from filiere.accounts.types import AuthenticatedHttpRequest
from filiere.engine import awards as rules
from filiere.errors import ServiceError

from . import services_spend as services
from .access import agreement_for_beneficiary, agreement_for_staff
from .forms_payments import InvoiceForm
from .models import Agreement, SpendLine
from .permissions import agreements_staff_required
from .phrases_follow_up import spend_steps
from .selectors_spend import spend_computation, spend_lines


def _context(agreement: Agreement) -> dict[str, Any]:
    try:
        computation = spend_computation(agreement)
    except rules.AwardsError:
        computation = None
    return {
        "agreement": agreement,
        "lines": list(spend_lines(agreement)),
        "computation": computation,
        "outcome": computation.outcome if computation else None,
        "steps": spend_steps(computation.outcome, computation.rule) if computation else [],
        "ratio_percent": computation.outcome.ratio * 100 if computation else None,
        "required_percent": agreement.spend_ratio * 100,
        "open": services.ledger_is_open(agreement),
    }


def _beneficiary_page(
    request: AuthenticatedHttpRequest,
    agreement: Agreement,
    *,
    form: InvoiceForm | None = None,
    status: int = 200,
) -> HttpResponse:
    context = {**_context(agreement), "form": form or InvoiceForm()}
    return render(request, "awards/my_spend.html", context, status=status)


@login_required
def my_spend(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    # permission: signed in; the application's lead and accepted team members once the
    # agreement is sent (agreement_for_beneficiary; 404 otherwise); the service checks that
    # the agreement is signed and the ledger still open
    agreement = agreement_for_beneficiary(request.user, pk)
    if request.method != "POST":
        return _beneficiary_page(request, agreement)
    form = InvoiceForm(request.POST)
    if form.is_valid():
        try:
            services.declare_invoice(
                agreement=agreement,
                by=request.user,
                **form.invoice(),
            )
        except ServiceError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("The invoice is added to the ledger."))
            return redirect("awards:my_spend", pk=agreement.pk)
    return _beneficiary_page(request, agreement, form=form, status=400)


@login_required
@require_POST
def spend_withdraw(request: AuthenticatedHttpRequest, pk: int, line_pk: int) -> HttpResponse:
    # permission: signed in; the beneficiary's lead and accepted team members
    # (agreement_for_beneficiary; 404 otherwise), while the ledger is open
    agreement = agreement_for_beneficiary(request.user, pk)
    line = SpendLine.objects.filter(pk=line_pk, agreement=agreement).first()
    if line is None:
        raise Http404
    try:
        services.withdraw_invoice(line=line, by=request.user)
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The invoice is withdrawn from the ledger."))
    return redirect("awards:my_spend", pk=agreement.pk)


@agreements_staff_required
def spend(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    # permission: the staff of the agreement's call not on its team (agreement_for_staff; 404
    # otherwise); read only
    agreement = agreement_for_staff(request.user, pk)
    context = {**_context(agreement), "call": agreement.application.call}
    return render(request, "awards/spend.html", context)
