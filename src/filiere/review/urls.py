from django.urls import URLPattern, path

from . import views, views_assignment, views_bidding, views_reminders, views_review

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
    # The staff: assignment of the call's experts.
    path("calls/<slug:slug>/assignment/", views_assignment.assignment, name="assignment"),
    path(
        "calls/<slug:slug>/assignment/run/",
        views_assignment.assignment_start,
        name="assignment_start",
    ),
    path(
        "calls/<slug:slug>/assignment/runs/<int:pk>/",
        views_assignment.assignment_run,
        name="assignment_run",
    ),
    path(
        "calls/<slug:slug>/assignment/add/", views_assignment.assignment_add, name="assignment_add"
    ),
    path(
        "calls/<slug:slug>/assignment/<int:pk>/remove/",
        views_assignment.assignment_remove,
        name="assignment_remove",
    ),
    path(
        "calls/<slug:slug>/assignment/<int:pk>/lock/",
        views_assignment.assignment_lock,
        name="assignment_lock",
    ),
    path(
        "calls/<slug:slug>/assignment/<int:pk>/swap/",
        views_assignment.assignment_swap,
        name="assignment_swap",
    ),
    path(
        "calls/<slug:slug>/assignment/publish/",
        views_assignment.assignment_publish,
        name="assignment_publish",
    ),
    # The staff: reviews of the call (progress, settings, reopen).
    path("calls/<slug:slug>/reviews/", views_review.review_dashboard, name="review_dashboard"),
    path(
        "calls/<slug:slug>/reviews/settings/",
        views_review.review_settings,
        name="review_settings",
    ),
    path(
        "calls/<slug:slug>/reviews/<int:pk>/reopen/",
        views_review.review_reopen,
        name="review_reopen",
    ),
    path(
        "calls/<slug:slug>/reviews/remind-late/",
        views_reminders.remind_late,
        name="review_remind_late",
    ),
    # The invitation link of the e-mail.
    path("invitations/<str:token>/", views.invitation, name="invitation"),
    # The expert's own pages.
    path("me/", views.my_expertise, name="my_expertise"),
    path("me/calls/<slug:slug>/", views.my_availability, name="my_availability"),
    path("me/conflicts/", views.my_conflicts, name="my_conflicts"),
    path("me/calls/<slug:slug>/bids/", views_bidding.my_bids, name="my_bids"),
    path("me/calls/<slug:slug>/bids/<int:pk>/", views_bidding.bid_save, name="bid_save"),
    # The inbox shows each assignment's review progress and deadline (views_review).
    path("me/assignments/", views_review.my_assignments, name="my_assignments"),
    path("me/assignments/<int:pk>/", views_assignment.my_assignment, name="my_assignment"),
    path("me/reviews/<int:pk>/", views_review.review_form, name="review_form"),
    path("me/reviews/<int:pk>/autosave/", views_review.review_autosave, name="review_autosave"),
    path(
        "declarations/<int:pk>/withdraw/",
        views.declaration_withdraw,
        name="declaration_withdraw",
    ),
    # The applicant's requests on their application.
    path("applications/<int:pk>/exclusions/", views.exclusions, name="exclusions"),
]
