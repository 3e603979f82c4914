"""The site's own error pages: the layout with its navigation, a <main>, an <h1>, a way home, in
the request's language, and no debug detail; under /api/ the API's error shape instead.

Tests run with DEBUG off (pytest-django), as production does."""

import re

import pytest
from django.db import connections
from django.test import Client, RequestFactory
from django.utils import translation

from filiere.ui.views import server_error

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.ui.urls")]


def in_language(text: str, language: str) -> str:
    # Some titles are also in Django's own catalogues, which stay on in tests.
    with translation.override(language):
        return translation.gettext(text)


def assert_site_page(response, status: int, title: str, *, language: str = "fr") -> str:
    title = in_language(title, language)
    html = response.content.decode()
    assert response.status_code == status
    assert response["Content-Type"].startswith("text/html")
    assert f'<html lang="{language}">' in html
    assert re.search(r'<nav aria-label="[^"]+">', html)  # the site's navigation
    main = html[html.index("<main") : html.index("</main>")]
    assert f'<h1 id="error-title">{title}</h1>' in main
    home = "/" if language == "fr" else f"/{language}/"
    assert f'href="{home}"' in main  # a way back
    assert "Traceback" not in html and "secret-" not in html
    return html


def test_404_is_the_sites_page_in_french_first(client):
    response = client.get("/no-such-page/")

    assert_site_page(response, 404, "Page not found")


def test_404_follows_the_language_of_the_address(client):
    response = client.get("/en/no-such-page/")

    assert_site_page(response, 404, "Page not found", language="en")


def test_403_is_the_sites_page_without_the_reason(client):
    response = client.get("/test-forbidden/")

    assert_site_page(response, 403, "Access denied")


def test_csrf_failure_is_the_sites_page_without_the_reason():
    client = Client(enforce_csrf_checks=True)

    response = client.post("/accounts/login/", {"login": "a@example.org", "password": "x"})

    html = assert_site_page(response, 403, "The form has expired")
    assert "CSRF cookie not set" not in html


def test_500_is_the_sites_page_without_the_exception():
    client = Client(raise_request_exception=False)

    response = client.get("/test-broken/")

    assert_site_page(response, 500, "Server error")


def test_500_page_renders_without_a_database(django_db_blocker):
    request = RequestFactory().get("/")
    # Any query would raise: the database may be what failed.
    with django_db_blocker.block():
        response = server_error(request)

    html = response.content.decode()
    assert response.status_code == 500
    assert f'<h1 id="error-title">{in_language("Server error", "fr")}</h1>' in html
    assert all(not connection.queries_log for connection in connections.all())


@pytest.mark.parametrize(
    ("url", "status", "code"),
    [
        ("/api/v1/no-such-operation", 404, "not_found"),
        ("/api/v1/test-broken/", 500, "server_error"),
    ],
)
def test_api_addresses_answer_in_the_api_error_shape(url, status, code):
    client = Client(raise_request_exception=False)

    response = client.get(url)

    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    assert response.json()["code"] == code
    assert set(response.json()) == {"code", "message", "params", "fields"}
