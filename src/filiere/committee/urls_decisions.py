"""Routes of the decisions and letters (see ``views_decisions``)."""

from django.urls import URLPattern, path

from . import views_decisions as views

urlpatterns: list[URLPattern] = [
    path(
        "sessions/<int:session_pk>/applications/<int:application_pk>/decide/",
        views.decide,
        name="decide",
    ),
    path("sessions/<int:pk>/decisions/", views.decisions, name="decisions"),
    path("decisions/<int:pk>/confirm/", views.decision_confirm, name="decision_confirm"),
    path("decisions/<int:pk>/cancel/", views.decision_cancel, name="decision_cancel"),
    path("calls/<slug:slug>/outbox/", views.outbox, name="outbox"),
    path("calls/<slug:slug>/outbox/send/", views.outbox_send, name="outbox_send"),
    path("letters/<int:pk>/edit/", views.letter_edit, name="letter_edit"),
    path("letters/<int:pk>/pdf/", views.letter_pdf_view, name="letter_pdf"),
]
