"""Routes of the committee's sessions and agendas (``views_sessions``, ``views_agenda``)."""

from django.urls import URLPattern, path

from . import views_agenda, views_sessions

urlpatterns: list[URLPattern] = [
    # Members and staff: the committee's landing page.
    path("", views_sessions.my_sessions, name="my_sessions"),
    # The staff: sessions, their members and agenda.
    path("sessions/new/", views_sessions.session_create, name="session_create"),
    path("sessions/<int:pk>/", views_sessions.session_detail, name="session"),
    path("sessions/<int:pk>/members/add/", views_sessions.member_add, name="member_add"),
    path(
        "sessions/<int:pk>/members/<int:member>/remove/",
        views_sessions.member_remove,
        name="member_remove",
    ),
    path("sessions/<int:pk>/agenda/add/", views_sessions.agenda_add, name="agenda_add"),
    path("sessions/<int:pk>/agenda/order/", views_sessions.agenda_order, name="agenda_order"),
    path(
        "sessions/<int:pk>/agenda/<int:item>/remove/",
        views_sessions.agenda_remove,
        name="agenda_remove",
    ),
    path("sessions/<int:pk>/open/", views_sessions.session_open, name="session_open"),
    path("sessions/<int:pk>/close/", views_sessions.session_close, name="session_close"),
    # Members and staff: the agenda, its items, votes and notes.
    path("sessions/<int:pk>/agenda/", views_agenda.agenda, name="agenda"),
    path("sessions/<int:pk>/items/<int:item>/", views_agenda.item, name="item"),
    path("sessions/<int:pk>/items/<int:item>/vote/", views_agenda.item_vote, name="item_vote"),
    path("sessions/<int:pk>/items/<int:item>/notes/", views_agenda.item_notes, name="item_notes"),
]
