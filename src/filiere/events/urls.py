"""The events' pages under ``/events/``: public and members' pages (``views``), the meetings
and agendas (``views_meetings``), the staff's pages (``views_staff``)."""

from django.urls import URLPattern, path

from . import views, views_meetings, views_staff

app_name = "events"

urlpatterns: list[URLPattern] = [
    path("", views.event_list, name="list"),
    path("past/", views.past_events, name="past"),
    path("mine/", views.my_events, name="mine"),
    path("mine/calendar/", views.calendar_key, name="calendar_key"),
    path("calendar/<str:token>.ics", views.private_calendar, name="private_calendar"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/event.ics", views.event_ics, name="ics"),
    path("<int:pk>/register/", views.register, name="register"),
    path("<int:pk>/cancel/", views.cancel, name="cancel"),
    path("<int:pk>/meetings/", views_meetings.meetings, name="meetings"),
    path("<int:pk>/meetings/request/", views_meetings.request_meeting, name="request_meeting"),
    path(
        "<int:pk>/meetings/<int:request_id>/answer/",
        views_meetings.answer_request,
        name="answer_request",
    ),
    path("<int:pk>/meetings/unavailable/", views_meetings.unavailability, name="unavailability"),
    path("<int:pk>/agenda/", views_meetings.agenda, name="agenda"),
    path("<int:pk>/agenda.pdf", views_meetings.agenda_file, name="agenda_pdf"),
    path("<int:pk>/agenda.ics", views_meetings.agenda_ics, name="agenda_ics"),
    path("staff/", views_staff.staff_list, name="staff_list"),
    path("staff/new/", views_staff.create, name="create"),
    path("staff/<int:pk>/edit/", views_staff.edit, name="edit"),
    path("staff/<int:pk>/participants/", views_staff.participants, name="participants"),
    path("staff/<int:pk>/participants.csv", views_staff.participants_csv, name="participants_csv"),
    path("staff/<int:pk>/check-in/", views_staff.check_in_list, name="check_in_list"),
    path("staff/<int:pk>/check-in/<int:registration>/", views_staff.check_in, name="check_in"),
    path("staff/<int:pk>/schedule/", views_staff.schedule, name="schedule"),
    path("staff/<int:pk>/schedule/run/", views_staff.schedule_run, name="schedule_run"),
    path(
        "staff/<int:pk>/schedule/<int:run>/",
        views_staff.schedule_progress,
        name="schedule_progress",
    ),
]
