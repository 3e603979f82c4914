"""Matchmaking's pages under ``/matchmaking/``: the offers and needs board and its moderation,
suggestions ("For you"), contacts and find partners."""

from django.urls import URLPattern, URLResolver, path

from . import views_board, views_contacts, views_moderation, views_partners

app_name = "matchmaking"

urlpatterns: list[URLPattern | URLResolver] = [
    # The offers and needs board, its moderation and "For you" (views_board, views_moderation).
    path("", views_board.board, name="board"),
    path("posts/new/", views_board.post_create, name="post_create"),
    path("posts/<int:pk>/", views_board.post_detail, name="post"),
    path("posts/<int:pk>/edit/", views_board.post_edit, name="post_edit"),
    path("posts/<int:pk>/withdraw/", views_board.post_withdraw, name="post_withdraw"),
    path("posts/<int:pk>/renew/", views_board.post_renew, name="post_renew"),
    path("my-posts/", views_board.my_posts, name="my_posts"),
    path("for-you/", views_board.for_you, name="for_you"),
    path("for-you/digests/", views_board.digests, name="digests"),
    path("moderation/", views_moderation.queue, name="moderation"),
    path("moderation/<int:pk>/publish/", views_moderation.publish, name="publish"),
    path("moderation/<int:pk>/refuse/", views_moderation.refuse, name="refuse"),
    # Contacts and find partners (views_contacts, views_partners).
    path("introductions/", views_contacts.introductions, name="introductions"),
    path("introductions/consent/", views_contacts.contact_consent, name="contact_consent"),
    path("introductions/ask/<slug:slug>/", views_contacts.ask_person, name="ask_person"),
    path("posts/<int:pk>/ask/", views_contacts.ask_post, name="ask_post"),
    path("introductions/<int:pk>/", views_contacts.introduction, name="introduction"),
    path(
        "introductions/<int:pk>/accept/",
        views_contacts.introduction_accept,
        name="introduction_accept",
    ),
    path(
        "introductions/<int:pk>/decline/",
        views_contacts.introduction_decline,
        name="introduction_decline",
    ),
    path(
        "introductions/<int:pk>/withdraw/",
        views_contacts.introduction_withdraw,
        name="introduction_withdraw",
    ),
    path(
        "introductions/<int:pk>/block/",
        views_contacts.introduction_block,
        name="introduction_block",
    ),
    path("people/<slug:slug>/block/", views_contacts.person_block, name="person_block"),
    path("blocks/<int:pk>/unblock/", views_contacts.unblock, name="unblock"),
    path("report/<slug:kind>/<str:ref>/", views_contacts.report, name="report"),
    path("reports/", views_contacts.reports, name="reports"),
    path("reports/<int:pk>/close/", views_contacts.report_close, name="report_close"),
    path("applications/<int:pk>/partners/", views_partners.find, name="find_partners"),
    path(
        "applications/<int:pk>/partners/invite/",
        views_partners.invite,
        name="find_partners_invite",
    ),
]
