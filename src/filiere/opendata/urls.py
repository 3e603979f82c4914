"""The open data's pages under ``/open-data/``: the dataset page and the two files."""

from django.urls import URLPattern, path

from . import views

app_name = "opendata"

urlpatterns: list[URLPattern] = [
    path("", views.dataset, name="dataset"),
    path("scdl-subventions.csv", views.scdl_file, name="scdl"),
    path("360giving.json", views.giving_file, name="360giving"),
]
