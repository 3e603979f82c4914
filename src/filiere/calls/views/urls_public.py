"""URL patterns of the calls app's public pages (merged into the `calls` namespace)."""

urlpatterns: list = []
