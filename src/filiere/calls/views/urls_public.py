"""URL patterns of the calls app's public pages (merged into the `calls` namespace)."""

from django.urls import path

from . import public

urlpatterns: list = [
    path("", public.call_list, name="list"),
    path("calendar.ics", public.calendar, name="calendar"),
    path("open.json", public.open_feed, name="open_feed"),
    path("call/<slug:slug>/", public.call_detail, name="detail"),
    path("call/<slug:slug>/rules.pdf", public.rules_pdf, name="rules_pdf"),
]
