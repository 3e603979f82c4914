"""The calls app's pages, one module per audience, all in the `calls` namespace."""

from .views.urls_applicant import urlpatterns as applicant_patterns
from .views.urls_public import urlpatterns as public_patterns
from .views.urls_staff import urlpatterns as staff_patterns

app_name = "calls"
urlpatterns = [*public_patterns, *applicant_patterns, *staff_patterns]
