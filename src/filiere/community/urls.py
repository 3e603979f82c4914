from django.urls import path

from . import views

app_name = "community"
urlpatterns = [
    path("people/", views.directory, name="directory"),
    path("organisations/", views.organisations, name="organisations"),
]
