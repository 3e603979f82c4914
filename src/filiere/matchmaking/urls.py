"""Matchmaking's pages under ``/matchmaking/``: the offers and needs board and its moderation,
suggestions ("For you"), contacts and find partners."""

from django.urls import URLPattern, URLResolver

app_name = "matchmaking"

urlpatterns: list[URLPattern | URLResolver] = [
    # The offers and needs board, its moderation and "For you" (views_board, views_moderation).
    # Contacts and find partners (views_contacts, views_partners).
]
