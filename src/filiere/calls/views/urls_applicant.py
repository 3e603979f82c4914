"""URL patterns of the calls app's applicant pages (merged into the `calls` namespace)."""

urlpatterns: list = []
