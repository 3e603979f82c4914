"""The observatory's pages under ``/observatory/``: the public statistics and their CSV files,
the staff's refresh."""

from django.urls import URLPattern, path

from . import views

app_name = "observatory"

urlpatterns: list[URLPattern] = [
    path("", views.index, name="index"),
    path("<slug:key>.csv", views.table_csv, name="table_csv"),
    path("staff/", views.staff, name="staff"),
    path("staff/refresh/", views.refresh, name="refresh"),
    path("staff/<int:pk>/", views.progress, name="progress"),
]
