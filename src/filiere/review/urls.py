from django.urls import URLPattern, path

from . import views

app_name = "review"
urlpatterns: list[URLPattern] = [
    # The staff: pools of experts per fund, conflicts per call.
    path("pools/", views.pools, name="pools"),
    path("pools/<slug:slug>/", views.pool, name="pool"),
    path("pools/<slug:slug>/invite/", views.pool_invite, name="pool_invite"),
    path(
        "pools/<slug:slug>/invite/<int:person>/",
        views.pool_invite_person,
        name="pool_invite_person",
    ),
    path("pools/<slug:slug>/experts/<int:pk>/", views.pool_expert, name="pool_expert"),
    path("pools/<slug:slug>/experts/<int:pk>/remove/", views.pool_remove, name="pool_remove"),
    path("calls/<slug:slug>/conflicts/", views.conflicts, name="conflicts"),
    path("calls/<slug:slug>/conflicts/add/", views.conflict_add, name="conflict_add"),
    path("calls/<slug:slug>/conflicts/lift/", views.conflict_lift, name="conflict_lift"),
    # The invitation link of the e-mail.
    path("invitations/<str:token>/", views.invitation, name="invitation"),
    # The expert's own pages.
    path("me/", views.my_expertise, name="my_expertise"),
    path("me/calls/<slug:slug>/", views.my_availability, name="my_availability"),
    path("me/conflicts/", views.my_conflicts, name="my_conflicts"),
    path(
        "declarations/<int:pk>/withdraw/",
        views.declaration_withdraw,
        name="declaration_withdraw",
    ),
    # The applicant's requests on their application.
    path("applications/<int:pk>/exclusions/", views.exclusions, name="exclusions"),
]
