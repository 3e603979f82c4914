"""The platform's URLconf plus two routes that fail on purpose, for the error-page tests."""

from django.core.exceptions import PermissionDenied
from django.urls import path

from filiere import urls as platform


def forbidden(request):  # permission: test only
    raise PermissionDenied("secret-reason-for-the-logs")


def broken(request):  # permission: test only
    raise RuntimeError("secret-traceback-detail")


urlpatterns = [
    path("test-forbidden/", forbidden),
    path("test-broken/", broken),
    path("api/v1/test-broken/", broken),
    *platform.urlpatterns,
]
handler400 = platform.handler400
handler403 = platform.handler403
handler404 = platform.handler404
handler500 = platform.handler500
