from django.urls import path

from . import views

app_name = "community"
urlpatterns = [
    path("people/", views.directory, name="directory"),
    path("people/<slug:slug>/", views.person_detail, name="person"),
    path("organisations/", views.organisations, name="organisations"),
    path("organisations/<slug:slug>/", views.organisation_detail, name="organisation"),
    path("territories/", views.territories, name="territories"),
    path("profile/", views.my_profile, name="my_profile"),
]
