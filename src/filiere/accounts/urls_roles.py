"""The administrators' roles page (mounted at /roles/)."""

from django.urls import path

from . import views

app_name = "roles"
urlpatterns = [
    path("", views.roles, name="list"),
    path("<int:pk>/revoke/", views.revoke_role, name="revoke"),
]
