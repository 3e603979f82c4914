from django.urls import path

from . import views

app_name = "privacy"
urlpatterns = [
    path("", views.home, name="home"),
    path("export/", views.export, name="export"),
    path("consents/", views.consents, name="consents"),
    path("consents/change/", views.consent_change, name="consent_change"),
    path("delete/", views.delete, name="delete"),
]
