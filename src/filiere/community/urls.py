from django.urls import path

from . import views, views_directory, views_skills, views_works

app_name = "community"
urlpatterns = [
    path("people/", views_directory.directory, name="directory"),
    path("people/<slug:slug>/", views.person_detail, name="person"),
    path("organisations/", views_directory.organisations, name="organisations"),
    path("organisations/<slug:slug>/", views.organisation_detail, name="organisation"),
    path("organisations/<slug:slug>/join/", views.organisation_join, name="organisation_join"),
    path(
        "organisations/<slug:slug>/ties/<int:pk>/end/",
        views.affiliation_end,
        name="affiliation_end",
    ),
    path(
        "organisations/<slug:slug>/ties/<int:pk>/manager/",
        views.affiliation_make_manager,
        name="affiliation_make_manager",
    ),
    path("territories/", views.territories, name="territories"),
    path("profile/", views.my_profile, name="my_profile"),
    path("profile/works/", views_works.my_works, name="my_works"),
    path("profile/works/<int:pk>/", views_works.my_work_edit, name="my_work_edit"),
    path("profile/works/<int:pk>/delete/", views_works.my_work_delete, name="my_work_delete"),
    path("my-organisations/", views.my_organisations, name="my_organisations"),
    path("my-organisations/new/", views.organisation_new, name="organisation_new"),
    path(
        "my-organisations/new/<slug:country>/",
        views.organisation_create,
        name="organisation_create",
    ),
    path(
        "my-organisations/requests/<int:pk>/confirm/",
        views.affiliation_confirm,
        name="affiliation_confirm",
    ),
    path(
        "my-organisations/requests/<int:pk>/refuse/",
        views.affiliation_refuse,
        name="affiliation_refuse",
    ),
    # The skills vocabulary: the staff's curation, an organisation's own skills.
    path("skills/", views_skills.vocabulary, name="skills"),
    path("skills/new/", views_skills.skill_new, name="skill_new"),
    path("skills/<slug:slug>/edit/", views_skills.skill_edit, name="skill_edit"),
    path("skills/<slug:slug>/merge/", views_skills.skill_merge, name="skill_merge"),
    path(
        "organisations/<slug:slug>/skills/",
        views_skills.organisation_skills,
        name="organisation_skills",
    ),
]
