"""Routes of the committee (see the views module of the same name)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
