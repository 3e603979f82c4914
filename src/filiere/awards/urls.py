"""The pages of agreements under ``/awards/``: the staff's (a call's agreements, one agreement)
and the beneficiary's (``my/``)."""

from django.urls import URLPattern, path

from . import views_agreements as views
from . import views_payments, views_reports, views_spend  # the follow-up (H8)

app_name = "awards"

urlpatterns: list[URLPattern] = [
    path("calls/<slug:slug>/agreements/", views.call_agreements, name="call_agreements"),
    path(
        "calls/<slug:slug>/applications/<int:application_pk>/agreement/",
        views.generate,
        name="generate",
    ),
    path("agreements/<int:pk>/", views.agreement, name="agreement"),
    path("agreements/<int:pk>/send/", views.send, name="send"),
    path("agreements/<int:pk>/sign/", views.record_signature, name="record_signature"),
    path("agreements/<int:pk>/amend/", views.amend, name="amend"),
    path("agreements/<int:pk>/pdf/", views.pdf, name="pdf"),
    path("agreements/<int:pk>/signed-copy/", views.signed_copy, name="signed_copy"),
    path(
        "agreements/<int:pk>/signed-copy/upload/",
        views.signed_copy_upload,
        name="signed_copy_upload",
    ),
    path("my/", views.my_agreements, name="my_agreements"),
    path("my/<int:pk>/", views.my_agreement, name="my_agreement"),
    # The follow-up (H8): payments, regional spend, reports, closure, declared aids.
    path("my/<int:pk>/payments/", views_payments.my_payments, name="my_payments"),
    path(
        "my/<int:pk>/tranches/<int:tranche_pk>/request/",
        views_payments.payment_request,
        name="payment_request",
    ),
    path("my/<int:pk>/spend/", views_spend.my_spend, name="my_spend"),
    path(
        "my/<int:pk>/spend/<int:line_pk>/withdraw/",
        views_spend.spend_withdraw,
        name="spend_withdraw",
    ),
    path("my/<int:pk>/reports/", views_reports.my_reports, name="my_reports"),
    path(
        "my/<int:pk>/reports/<int:report_pk>/submit/",
        views_reports.report_submit,
        name="report_submit",
    ),
    path("applications/<int:application_pk>/aids/", views_reports.my_aids, name="my_aids"),
    path("agreements/<int:pk>/payments/", views_payments.payments, name="payments"),
    path(
        "agreements/<int:pk>/payments/<int:request_pk>/approve/",
        views_payments.payment_approve,
        name="payment_approve",
    ),
    path(
        "agreements/<int:pk>/payments/<int:request_pk>/refuse/",
        views_payments.payment_refuse,
        name="payment_refuse",
    ),
    path(
        "agreements/<int:pk>/payments/<int:request_pk>/paid/",
        views_payments.payment_paid,
        name="payment_paid",
    ),
    path(
        "agreements/<int:pk>/proofs/<int:proof_pk>/", views_payments.proof_file, name="proof_file"
    ),
    path("agreements/<int:pk>/spend/", views_spend.spend, name="spend"),
    path("agreements/<int:pk>/reports/", views_reports.reports, name="reports"),
    path(
        "agreements/<int:pk>/reports/<int:report_pk>/accept/",
        views_reports.report_accept,
        name="report_accept",
    ),
    path(
        "agreements/<int:pk>/reports/<int:report_pk>/file/",
        views_reports.report_file,
        name="report_file",
    ),
    path(
        "agreements/<int:pk>/reports/<int:report_pk>/due/",
        views_reports.report_due,
        name="report_due",
    ),
    path("agreements/<int:pk>/close/", views_reports.close, name="close"),
    path("agreements/<int:pk>/recovery/", views_reports.recovery, name="recovery"),
    path("payments/", views_payments.payments_pending, name="payments_pending"),
    path("payments/ledger/", views_payments.ledger, name="ledger"),
    path("payments/ledger.<str:fmt>", views_payments.ledger_export, name="ledger_export"),
]
