"""URL patterns of the calls app's applicant pages (merged into the `calls` namespace)."""

from django.urls import path

from . import applicant, applicant_documents

_APP = "my/<int:pk>/"
urlpatterns: list = [
    path("apply/<slug:slug>/", applicant.application_create, name="application_create"),
    path("my/", applicant.my_applications, name="my_applications"),
    path(_APP, applicant.application_detail, name="application_detail"),
    path(_APP + "edit/<slug:step>/", applicant.application_step, name="application_step"),
    path(_APP + "autosave/", applicant.application_autosave, name="application_autosave"),
    path(_APP + "team/invite/", applicant.team_invite, name="team_invite"),
    path(_APP + "team/<int:member_id>/remove/", applicant.team_remove, name="team_remove"),
    path(_APP + "documents/", applicant_documents.document_upload, name="document_upload"),
    path(_APP + "submit/", applicant.application_submit, name="application_submit"),
    path(_APP + "resubmit/", applicant.application_resubmit, name="application_resubmit"),
    path(_APP + "receipt/", applicant.application_receipt, name="application_receipt"),
    path(_APP + "receipt.pdf", applicant.application_receipt_pdf, name="application_receipt_pdf"),
    path(_APP + "withdraw/", applicant.application_withdraw, name="application_withdraw"),
    path("documents/<int:pk>/", applicant_documents.document_download, name="document_download"),
    path("documents/<int:pk>/delete/", applicant_documents.document_delete, name="document_delete"),
    path("invitations/<str:token>/", applicant.invitation_accept, name="invitation_accept"),
]
