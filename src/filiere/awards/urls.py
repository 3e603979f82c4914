"""The pages of agreements under ``/awards/``: the staff's (a call's agreements, one agreement)
and the beneficiary's (``my/``)."""

from django.urls import URLPattern, path

from . import views_agreements as views

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
]
