from django.urls import path

from . import views

app_name = "ops"

# Outside the language prefixes: monitoring asks for one fixed address.
urlpatterns = [
    path("health/", views.health_view, name="health"),
    path("metrics", views.metrics_view, name="metrics"),
]
