"""The platform's URLconf plus public pages that do what a cached page must not: set a cookie,
show a message, use a CSP nonce."""

from django.contrib import messages
from django.http import HttpResponse
from django.urls import path

from filiere import urls as platform
from filiere.ui.page_cache import public_page


@public_page()
def sets_a_cookie(request):  # permission: test only
    response = HttpResponse("cookie page")
    response.set_cookie("flavour", "chocolate")
    return response


@public_page()
def adds_a_message(request):  # permission: test only
    messages.info(request, "Welcome back")
    return HttpResponse("message page")


@public_page()
def uses_a_nonce(request):  # permission: test only
    return HttpResponse(f"<script nonce='{request.csp_nonce}'></script>")


@public_page()
def counts(request):  # permission: test only
    counts.calls += 1  # type: ignore[attr-defined]
    return HttpResponse(f"rendered {counts.calls} times")  # type: ignore[attr-defined]


counts.calls = 0  # type: ignore[attr-defined]

urlpatterns = [
    path("test-cookie/", sets_a_cookie),
    path("test-message/", adds_a_message),
    path("test-nonce/", uses_a_nonce),
    path("test-counts/", counts),
    *platform.urlpatterns,
]
