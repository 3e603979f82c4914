"""Matchmaking's pages under ``/matchmaking/``: the offers and needs board and its moderation,
suggestions ("For you"), contacts and find partners."""

from django.urls import URLPattern, URLResolver, path

from . import views_board, views_moderation

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
]
