from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path

from filiere.api.errors import or_api_error
from filiere.api.router import api
from filiere.ui import views as ui_views

# The admin signs in through allauth like every page, so its second factor cannot be bypassed.
# (mypy refuses any assignment to a method; replacing this one is the point.)
admin.site.login = secure_admin_login(admin.site.login)  # type: ignore[method-assign]

urlpatterns: list[URLPattern | URLResolver] = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", api.urls),
    # /health/ and /metrics: fixed addresses for the proxy and the monitoring.
    path("", include("filiere.ops.urls")),
]

urlpatterns += i18n_patterns(
    path("", include("filiere.ui.urls")),
    path("accounts/", include("allauth.urls")),
    path("me/privacy/", include("filiere.privacy.urls")),
    path("me/", include("filiere.accounts.urls")),
    path("roles/", include("filiere.accounts.urls_roles")),
    path("community/", include("filiere.community.urls")),
    path("calls/", include("filiere.calls.urls")),
    path("review/", include("filiere.review.urls")),
    path("committee/", include("filiere.committee.urls")),
    path("matchmaking/", include("filiere.matchmaking.urls")),
    path("events/", include("filiere.events.urls")),
    path("awards/", include("filiere.awards.urls")),
    path("open-data/", include("filiere.opendata.urls")),
    path("observatory/", include("filiere.observatory.urls")),
    path("showcase/", include("filiere.showcase.urls")),
    path("admin/", admin.site.urls),
    prefix_default_language=False,
)

if settings.DEBUG:
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()

# The site's own error pages (ui/views.py); under /api/ the API's error shape.
handler400 = or_api_error(ui_views.bad_request, 400)
handler403 = or_api_error(ui_views.permission_denied, 403)
handler404 = or_api_error(ui_views.page_not_found, 404)
handler500 = or_api_error(ui_views.server_error, 500)
