"""The showcase under ``/showcase/``: the public gallery and project pages, the team's page
(``my/``) and the staff's moderation (``staff/``)."""

from django.urls import URLPattern, path

from . import views

app_name = "showcase"

urlpatterns: list[URLPattern] = [
    path("", views.gallery, name="gallery"),
    path("images/<int:pk>/", views.image, name="image"),
    path("my/<str:reference>/", views.edit, name="edit"),
    path("my/<str:reference>/submit/", views.submit, name="submit"),
    path("my/<str:reference>/withdraw/", views.withdraw, name="withdraw"),
    path("my/<str:reference>/images/", views.image_upload, name="image_upload"),
    path("my/<str:reference>/images/<int:pk>/remove/", views.image_remove, name="image_remove"),
    path("preview/images/<int:pk>/", views.image_preview, name="image_preview"),
    path("staff/calls/<slug:slug>/", views.moderation, name="moderation"),
    path("staff/entries/<int:pk>/", views.review, name="review"),
    path("staff/entries/<int:pk>/approve/", views.approve, name="approve"),
    path("staff/entries/<int:pk>/changes/", views.request_changes, name="request_changes"),
    path("<slug:slug>/", views.project, name="project"),
]
