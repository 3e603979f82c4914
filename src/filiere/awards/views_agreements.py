"""Pages of the agreements.

Staff (of the call, not on the file): the agreements of a call and the awarded applications
still without one, generate one, one agreement (send, record the signature, amend). The
beneficiary (the lead and accepted team members, once it is sent): their agreements, one
agreement (its PDF, the signed copy to upload — the lead). Both: the PDF and the signed copy.

Thin adapters: a gatekeeper (``access``), a form, one service.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from filiere.accounts.types import AuthenticatedHttpRequest
from filiere.calls.models import Call, ScanStatus
from filiere.calls.permissions import call_staff_required
from filiere.calls.phrases import applying_message
from filiere.calls.services.documents import LimitedUploadHandler, UploadError
from filiere.errors import ServiceError

from . import selectors
from . import services_agreements as services
from .access import (
    agreement_for_beneficiary,
    agreement_for_reader,
    agreement_for_signer,
    agreement_for_staff,
)
from .agreement_pdf import agreement_filename, agreement_pdf
from .forms_agreements import AmendForm, GenerateForm, SignedCopyForm
from .models import Agreement
from .permissions import agreements_staff_required, signs

# --- staff: a call's agreements -----------------------------------------------------------------


@call_staff_required
def call_agreements(request: AuthenticatedHttpRequest, call: Call) -> HttpResponse:
    # permission: the staff of the call (call_staff_required: 403 for anyone else); the lists
    # leave out the files they are on
    context = {
        "call": call,
        "awaiting": list(selectors.awaiting_agreement(request.user, call)),
        "agreements": list(selectors.call_agreements(request.user, call)),
    }
    return render(request, "awards/call_agreements.html", context)


@call_staff_required
def generate(request: AuthenticatedHttpRequest, call: Call, application_pk: int) -> HttpResponse:
    # permission: the staff of the call (call_staff_required: 403 for anyone else), on an awarded
    # application of it they are not on and that has no agreement yet (404 otherwise)
    application = selectors.awaiting_agreement(request.user, call).filter(pk=application_pk).first()
    if application is None:
        raise Http404
    decision = selectors.confirmed_award(application)
    schedule = dict(selectors.schedule_of(call.fund))
    initial = {
        "signature": schedule.get("signature", 0),
        "mid_term": schedule.get("mid_term", 0),
        "final_report": schedule.get("final_report", 0),
        "territories": selectors.default_spend_territories(),
    }
    form = GenerateForm(
        request.POST or None,
        initial=initial,
        territory_choices=selectors.spend_territory_choices(),
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                agreement = services.generate_agreement(
                    application=application,
                    by=request.user,
                    schedule=form.schedule(),
                    territories=form.cleaned_data["territories"],
                    conditions=form.cleaned_data["conditions"],
                )
            except ServiceError as error:
                form.add_error(None, error.message)
            else:
                messages.success(
                    request, _("The agreement is drawn up: read its PDF, then send it.")
                )
                return redirect("awards:agreement", pk=agreement.pk)
    context = {
        "call": call,
        "application": application,
        "decision": decision,
        "requirement": selectors.spend_requirement_of(call),
        "form": form,
    }
    return render(request, "awards/generate.html", context, status=status)


# --- staff: one agreement -----------------------------------------------------------------------


def _staff_page(
    request: AuthenticatedHttpRequest,
    agreement: Agreement,
    *,
    upload_form: SignedCopyForm | None = None,
    status: int = 200,
) -> HttpResponse:
    context = {
        "agreement": selectors.with_parts(agreement),
        "call": agreement.application.call,
        "upload_form": upload_form or SignedCopyForm(),
    }
    return render(request, "awards/agreement.html", context, status=status)


@agreements_staff_required
def agreement(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    # permission: the staff of the agreement's call not on its application's team
    # (agreement_for_staff; 404 otherwise)
    return _staff_page(request, agreement_for_staff(request.user, pk))


@agreements_staff_required
@require_POST
def send(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    # permission: the staff of the agreement's call not on its team (agreement_for_staff; 404
    # otherwise); the service refuses an agreement already sent
    agreement = agreement_for_staff(request.user, pk)
    try:
        services.send_agreement(agreement=agreement, by=request.user)
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The agreement is sent: the beneficiary can sign it."))
    return redirect("awards:agreement", pk=agreement.pk)


@agreements_staff_required
@require_POST
def record_signature(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    # permission: the staff of the agreement's call not on its team (agreement_for_staff; 404
    # otherwise); the service asks for a signed copy the antivirus found clean
    agreement = agreement_for_staff(request.user, pk)
    try:
        services.record_signature(agreement=agreement, by=request.user)
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The signature is recorded."))
    return redirect("awards:agreement", pk=agreement.pk)


@agreements_staff_required
def amend(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    # permission: the staff of the agreement's call not on its team (agreement_for_staff; 404
    # otherwise); the service refuses a draft and an amendment without a change or a reason
    agreement = agreement_for_staff(request.user, pk)
    initial = {
        "amount": agreement.amount,
        "spend_percent": agreement.spend_ratio * 100,
        "spend_floor": agreement.spend_floor,
        "territories": agreement.spend_territories,
        "conditions": agreement.conditions,
    }
    form = AmendForm(
        request.POST or None,
        initial=initial,
        territory_choices=selectors.spend_territory_choices(),
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.amend_agreement(
                    agreement=agreement,
                    by=request.user,
                    reason=data["reason"],
                    amount=data["amount"],
                    conditions=data["conditions"],
                    spend_ratio=data["spend_percent"] / 100,
                    spend_floor=data["spend_floor"],
                    territories=data["territories"],
                )
            except ServiceError as error:
                form.add_error(error.field if error.field in form.fields else None, error.message)
            else:
                messages.success(request, _("The amendment is recorded."))
                return redirect("awards:agreement", pk=agreement.pk)
    context = {"agreement": agreement, "call": agreement.application.call, "form": form}
    return render(request, "awards/amend.html", context, status=status)


# --- the beneficiary ----------------------------------------------------------------------------


@login_required
def my_agreements(request: AuthenticatedHttpRequest) -> HttpResponse:
    # permission: signed in; the agreements sent to the applications they lead or joined
    # (invitation accepted); an empty list for anyone else
    context = {"agreements": list(selectors.my_agreements(request.user))}
    return render(request, "awards/my_agreements.html", context)


def _beneficiary_page(
    request: AuthenticatedHttpRequest,
    agreement: Agreement,
    *,
    upload_form: SignedCopyForm | None = None,
    status: int = 200,
) -> HttpResponse:
    context = {
        "agreement": selectors.with_parts(agreement),
        "may_sign": signs(request.user, agreement),
        "upload_form": upload_form or SignedCopyForm(),
    }
    return render(request, "awards/my_agreement.html", context, status=status)


@login_required
def my_agreement(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    # permission: signed in; the application's lead and accepted team members once the
    # agreement is sent (agreement_for_beneficiary; 404 for anyone else, a pending invitee
    # included)
    return _beneficiary_page(request, agreement_for_beneficiary(request.user, pk))


# --- both: the PDF, the signed copy -------------------------------------------------------------


@login_required
def pdf(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    # permission: signed in; the staff of its call not on its team (a draft too), the
    # beneficiary's lead and accepted members once sent (agreement_for_reader; 404 otherwise)
    agreement, _as_staff = agreement_for_reader(request.user, pk)
    response = HttpResponse(agreement_pdf(agreement), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{agreement_filename(agreement)}"'
    return response


@login_required
def signed_copy(request: AuthenticatedHttpRequest, pk: int) -> HttpResponseBase:
    # permission: signed in; the staff of its call not on its team and the beneficiary's lead
    # and accepted members (agreement_for_reader; 404 otherwise); only a copy the antivirus
    # found clean, always as an attachment
    agreement, _as_staff = agreement_for_reader(request.user, pk)
    if not agreement.signed_copy:
        raise Http404
    if agreement.signed_copy_scan_status != ScanStatus.CLEAN:
        context = {"agreement": agreement, "status": agreement.signed_copy_scan_status}
        return render(request, "awards/signed_copy_blocked.html", context, status=409)
    return FileResponse(
        agreement.signed_copy.open("rb"),
        as_attachment=True,
        filename=agreement.signed_copy_name or "signed.pdf",
        content_type="application/pdf",
    )


@csrf_exempt
@login_required
@require_POST
def signed_copy_upload(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    # permission: signed in; the lead once the agreement is sent, or the staff of its call not
    # on its team (agreement_for_signer; 404 for anyone else). CSRF is checked inside, after the
    # upload size limit is installed (Django's documented pattern for upload handlers).
    limit = services.signed_copy_max_bytes()
    if int(request.META.get("CONTENT_LENGTH") or 0) > limit + 256 * 1024:
        # Refused before the body is read.
        agreement, as_staff = agreement_for_signer(request.user, pk)
        form = SignedCopyForm()
        form.errors["file"] = form.error_class([_too_large(request, limit)])
        return _after_upload(request, agreement, as_staff, form, status=413)
    limiter = LimitedUploadHandler(request, limit=limit)
    request.upload_handlers.insert(0, limiter)
    return _signed_copy_upload(request, pk, limiter)


def _too_large(request: AuthenticatedHttpRequest, limit: int) -> str:
    size = int(request.META.get("CONTENT_LENGTH") or 0)
    return applying_message("upload.too_large", {"size": size, "limit": limit})


def _after_upload(
    request: AuthenticatedHttpRequest,
    agreement: Agreement,
    as_staff: bool,
    form: SignedCopyForm,
    *,
    status: int,
) -> HttpResponse:
    if as_staff:
        return _staff_page(request, agreement, upload_form=form, status=status)
    return _beneficiary_page(request, agreement, upload_form=form, status=status)


@csrf_protect
def _signed_copy_upload(
    request: AuthenticatedHttpRequest, pk: int, limiter: LimitedUploadHandler
) -> HttpResponse:
    agreement, as_staff = agreement_for_signer(request.user, pk)
    form = SignedCopyForm(request.POST, request.FILES)
    if limiter.too_large:
        form = SignedCopyForm()
        form.errors["file"] = form.error_class(
            [
                applying_message(
                    "upload.too_large",
                    {"size": limiter.received, "limit": services.signed_copy_max_bytes()},
                )
            ]
        )
        return _after_upload(request, agreement, as_staff, form, status=413)
    if form.is_valid():
        try:
            services.upload_signed_copy(
                agreement=agreement, uploaded_file=form.cleaned_data["file"], by=request.user
            )
        except UploadError as error:
            form.add_error("file", error.message)
        except ServiceError as error:
            form.add_error(None, error.message)
            if error.status == 429:
                return _after_upload(request, agreement, as_staff, form, status=429)
        else:
            messages.success(
                request, _("The signed copy was received; the antivirus checks it now.")
            )
            if as_staff:
                return redirect("awards:agreement", pk=agreement.pk)
            return redirect("awards:my_agreement", pk=agreement.pk)
    return _after_upload(request, agreement, as_staff, form, status=400)
