from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.utils.translation import gettext as _

from .page_cache import public_page


@public_page(max_age=600)
def home(request: HttpRequest) -> HttpResponse:  # permission: public
    return render(request, "ui/home.html")


# --- The site's own error pages (handler400/403/404/500 in urls.py, CSRF_FAILURE_VIEW) ----------
# The base layout with its navigation, in the request's language, a way back home, and never a
# detail of what went wrong inside (exceptions and CSRF reasons are for the logs, not the page).


def error_page(request: HttpRequest, status: int, title: str, message: str) -> HttpResponse:
    context = {"status": status, "title": title, "message": message}
    return render(request, "ui/error.html", context, status=status)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    # permission: public (error page)
    return error_page(
        request, 400, _("Bad request"), _("The request could not be understood. Please try again.")
    )


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    # permission: public (error page)
    return error_page(
        request,
        403,
        _("Access denied"),
        _("You are not allowed to see this page. Sign in with another account, or go back."),
    )


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    # permission: public (error page)
    return error_page(
        request,
        404,
        _("Page not found"),
        _("This page does not exist, or it is not visible to you."),
    )


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    # permission: public (error page)
    return error_page(
        request,
        403,
        _("The form has expired"),
        _(
            "For your security, this form could not be accepted: the page was open too long, "
            "or your browser refused our cookie. Go back, reload the page and send it again."
        ),
    )


def server_error(request: HttpRequest) -> HttpResponse:
    # permission: public (error page)
    # Something is already broken (maybe the database): no context processors, no query, no
    # session; the layout is rendered with only what it needs.
    context = {
        "status": 500,
        "title": _("Server error"),
        "message": _(
            "Something went wrong on our side. The team has been told; please try again later."
        ),
        "platform_name": settings.FILIERE_PLATFORM_NAME,
    }
    return HttpResponseServerError(loader.get_template("ui/error.html").render(context))
