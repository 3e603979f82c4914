"""The committee's pages under ``/committee/``: sessions and agenda, the envelope simulator,
decisions and letters (one routes module each)."""

from django.urls import URLPattern, URLResolver, include, path

app_name = "committee"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", include("filiere.committee.urls_sessions")),
    path("", include("filiere.committee.urls_simulator")),
    path("", include("filiere.committee.urls_decisions")),
]
