"""URL patterns of the calls app's staff pages (merged into the `calls` namespace)."""

urlpatterns: list = []
