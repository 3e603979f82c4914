from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from filiere.api.router import api

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", api.urls),
]

urlpatterns += i18n_patterns(
    path("", include("filiere.ui.urls")),
    path("accounts/", include("allauth.urls")),
    path("me/", include("filiere.accounts.urls")),
    path("community/", include("filiere.community.urls")),
    path("admin/", admin.site.urls),
    prefix_default_language=False,
)

if settings.DEBUG:
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
