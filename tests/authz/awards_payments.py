"""Authorization matrix entries of the follow-up (filiere.awards: payments, spend, reports,
closure, declared aids).

Samples live in ``World.staff_call``: the stranger's signed agreement with a payment request
(proof clean), an invoice, the mid-term report submitted (clean). The matrix's roles are never
on that file: the staff of the call (global or scoped) manage it, everyone else gets 403 at the
staff's doors (no call to instruct) and 404 at the beneficiary's and the readers' (not theirs).
"""

from .rules import FORBIDDEN, LOGIN, NOT_FOUND, OK, REDIRECT, UNAUTHORIZED, Outcome, Route, expect

BAD_REQUEST = Outcome(400, label="400")
CONFLICT = Outcome(409, label="409")
UNPROCESSABLE = Outcome(422, label="422")

STAFF_PAGE = expect(anonymous=LOGIN, staff=OK, admin=OK, call_staff=OK, others=FORBIDDEN)
STAFF_REDIRECT = expect(
    anonymous=LOGIN, staff=REDIRECT, admin=REDIRECT, call_staff=REDIRECT, others=FORBIDDEN
)
STAFF_FORM_AGAIN = expect(
    anonymous=LOGIN, staff=BAD_REQUEST, admin=BAD_REQUEST, call_staff=BAD_REQUEST, others=FORBIDDEN
)
READERS = expect(anonymous=LOGIN, staff=OK, admin=OK, call_staff=OK, others=NOT_FOUND)
BENEFICIARY_ONLY = expect(anonymous=LOGIN, others=NOT_FOUND)
API_READERS = expect(anonymous=UNAUTHORIZED, staff=OK, admin=OK, call_staff=OK, others=NOT_FOUND)
#: The beneficiary's writes: the stranger's agreement, so a 404 for every matrix role.
API_BENEFICIARY_ONLY = expect(anonymous=UNAUTHORIZED, others=NOT_FOUND)
#: The staff's decisions without a body: the form's 422 for the call's staff, 403 for people
#: who instruct no call.
API_STAFF_NO_BODY = expect(
    anonymous=UNAUTHORIZED,
    staff=UNPROCESSABLE,
    admin=UNPROCESSABLE,
    call_staff=UNPROCESSABLE,
    others=FORBIDDEN,
)


def _case(world):
    def make():
        from django.utils import timezone

        from filiere.awards import services_payments, services_reports, services_spend
        from filiere.awards.models import AgreementStatus, PaymentProof, Report
        from filiere.calls.models import Application
        from tests.awards.factories import agreement, awarded
        from tests.awards.follow_up_factories import SIRET, proof
        from tests.calls.apply_factories import pdf_bytes, upload

        application, decision = awarded(world.staff_call, lead=world.stranger)
        made = agreement(application, decision, spend_territories=["mel"])
        made.status = AgreementStatus.SIGNED
        made.signed_at = timezone.now()
        made.save()
        Application.objects.filter(pk=application.pk).update(state="agreement")
        first = made.tranches.get(position=0)
        request = services_payments.request_payment(
            tranche=first, by=world.stranger, proofs=[proof()]
        )
        PaymentProof.objects.filter(request=request).update(scan_status="clean")
        line = services_spend.declare_invoice(
            agreement=made,
            by=world.stranger,
            supplier_name="Studio",
            supplier_id=SIRET,
            amount=1000,
        )
        reports = services_reports.schedule_reports(agreement=made)
        mid_term = services_reports.submit_report(
            report=reports[0],
            by=world.stranger,
            uploaded_file=upload("mid.pdf", pdf_bytes("mid")),
        )
        Report.objects.filter(pk=mid_term.pk).update(scan_status="clean")
        return {
            "agreement": made,
            "tranche": made.tranches.get(position=1),
            "request": request,
            "proof": request.proofs.get(),
            "line": line,
            "report": mid_term,
            "application": application,
        }

    return world.once("awards_payments:case", make)


def _pk(w):
    return {"pk": _case(w)["agreement"].pk}


def _with(name, key):
    return lambda w: {**_pk(w), name: _case(w)[key].pk}


AWARDS_PAYMENTS_PAGES = {
    # the beneficiary's pages: the stranger's, so a 404 for every matrix role
    "awards:my_payments": Route(BENEFICIARY_ONLY, kwargs=_pk),
    "awards:payment_request": Route(
        BENEFICIARY_ONLY, method="POST", kwargs=_with("tranche_pk", "tranche")
    ),
    "awards:my_spend": Route(BENEFICIARY_ONLY, kwargs=_pk),
    "awards:spend_withdraw": Route(
        BENEFICIARY_ONLY, method="POST", kwargs=_with("line_pk", "line")
    ),
    "awards:my_reports": Route(BENEFICIARY_ONLY, kwargs=_pk),
    "awards:report_submit": Route(
        BENEFICIARY_ONLY, method="POST", kwargs=_with("report_pk", "report")
    ),
    "awards:my_aids": Route(
        BENEFICIARY_ONLY,
        kwargs=lambda w: {"application_pk": _case(w)["application"].pk},
        note="the application's team only (staff see the de minimis panel on the decision)",
    ),
    # the staff's pages
    "awards:payments": Route(STAFF_PAGE, kwargs=_pk),
    "awards:payment_approve": Route(
        STAFF_REDIRECT,
        method="POST",
        kwargs=_with("request_pk", "request"),
        note="approved by the first two staff members, refused with a message after",
    ),
    "awards:payment_refuse": Route(
        STAFF_FORM_AGAIN,
        method="POST",
        kwargs=_with("request_pk", "request"),
        note="no reason: the page again (400)",
    ),
    "awards:payment_paid": Route(
        STAFF_FORM_AGAIN,
        method="POST",
        kwargs=_with("request_pk", "request"),
        note="no date: the page again (400)",
    ),
    "awards:proof_file": Route(READERS, kwargs=_with("proof_pk", "proof")),
    "awards:spend": Route(STAFF_PAGE, kwargs=_pk),
    "awards:reports": Route(STAFF_PAGE, kwargs=_pk),
    "awards:report_accept": Route(
        STAFF_REDIRECT,
        method="POST",
        kwargs=_with("report_pk", "report"),
        note="accepted by the first staff member, refused with a message after",
    ),
    "awards:report_file": Route(READERS, kwargs=_with("report_pk", "report")),
    "awards:report_due": Route(
        STAFF_FORM_AGAIN,
        method="POST",
        kwargs=_with("report_pk", "report"),
        note="no date nor reason: the page again (400)",
    ),
    "awards:close": Route(
        STAFF_FORM_AGAIN,
        method="POST",
        kwargs=_pk,
        note="the final report is not accepted: refused, the page again (400)",
    ),
    "awards:recovery": Route(
        STAFF_FORM_AGAIN, method="POST", kwargs=_pk, note="no amount: the page again (400)"
    ),
    "awards:payments_pending": Route(STAFF_PAGE),
    "awards:ledger": Route(STAFF_PAGE),
    "awards:ledger_export": Route(STAFF_PAGE, kwargs=lambda w: {"fmt": "csv"}),
}

AWARDS_PAYMENTS_API = {
    "GET /api/v1/agreements/{agreement_id}/tranches": Route(
        API_READERS, kwargs=lambda w: {"agreement_id": _case(w)["agreement"].pk}
    ),
    "GET /api/v1/agreements/{agreement_id}/payment-requests": Route(
        API_READERS, kwargs=lambda w: {"agreement_id": _case(w)["agreement"].pk}
    ),
    "GET /api/v1/agreements/{agreement_id}/spend": Route(
        API_READERS, kwargs=lambda w: {"agreement_id": _case(w)["agreement"].pk}
    ),
    "POST /api/v1/agreements/{agreement_id}/spend/lines": Route(
        API_BENEFICIARY_ONLY,
        kwargs=lambda w: {"agreement_id": _case(w)["agreement"].pk},
        note="the beneficiary's team only, before the body is read",
    ),
    "DELETE /api/v1/agreements/{agreement_id}/spend/lines/{line_id}": Route(
        API_BENEFICIARY_ONLY,
        kwargs=lambda w: {
            "agreement_id": _case(w)["agreement"].pk,
            "line_id": _case(w)["line"].pk,
        },
    ),
    "POST /api/v1/agreements/{agreement_id}/payment-requests/{request_id}/approve": Route(
        expect(
            anonymous=UNAUTHORIZED,
            staff=OK,
            admin=OK,
            call_staff=CONFLICT,
            others=FORBIDDEN,
        ),
        kwargs=lambda w: {
            "agreement_id": _case(w)["agreement"].pk,
            "request_id": _case(w)["request"].pk,
        },
        note="approved by the first two staff members, no longer pending for the third (409)",
    ),
    "POST /api/v1/agreements/{agreement_id}/payment-requests/{request_id}/refuse": Route(
        API_STAFF_NO_BODY,
        kwargs=lambda w: {
            "agreement_id": _case(w)["agreement"].pk,
            "request_id": _case(w)["request"].pk,
        },
        note="no reason: 422",
    ),
    "POST /api/v1/agreements/{agreement_id}/payment-requests/{request_id}/pay": Route(
        API_STAFF_NO_BODY,
        kwargs=lambda w: {
            "agreement_id": _case(w)["agreement"].pk,
            "request_id": _case(w)["request"].pk,
        },
        note="no date: 422",
    ),
}
