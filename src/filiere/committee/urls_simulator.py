"""Routes of the envelope simulator (see ``views_simulator``)."""

from django.urls import URLPattern, path

from . import views_simulator as views

urlpatterns: list[URLPattern] = [
    path("sessions/<int:pk>/simulator/", views.simulator, name="simulator"),
    path("sessions/<int:pk>/simulator/run/", views.simulator_run, name="simulator_run"),
    path(
        "sessions/<int:pk>/simulator/<int:scenario>/",
        views.simulator_scenario,
        name="simulator_scenario",
    ),
    path(
        "sessions/<int:pk>/simulator/<int:scenario>/what-if/",
        views.simulator_what_if,
        name="simulator_what_if",
    ),
]
