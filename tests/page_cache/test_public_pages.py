"""Anonymous visitors get the public pages from the page cache, and never a stale or someone
else's page: per language, new at once after a change, never for a signed-in user."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from filiere.calls.services.design import set_published, update_call
from filiere.community.models import Visibility
from tests.accounts.factories import user_with_role
from tests.calls.design_factories import DesignCallFactory
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([A-Za-z0-9]{64})"')


def open_call(**kwargs):
    now = timezone.now()
    return DesignCallFactory(
        opens_at=now - dt.timedelta(days=3), closes_at=now + dt.timedelta(days=20), **kwargs
    )


def call_url(call, language: str = "fr") -> str:
    with translation.override(language):
        return reverse("calls:detail", args=[call.slug])


def queries_of(client, url: str, **extra):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **extra)
    return response, len(queries)


def test_a_second_anonymous_visit_reads_no_data(client):
    call = open_call(title_fr="Écritures numériques")
    first, first_queries = queries_of(client, call_url(call))
    second, second_queries = queries_of(client, call_url(call))
    assert first.status_code == second.status_code == 200
    assert first_queries > 5
    assert second_queries == 0
    assert "Écritures numériques" in second.content.decode()


def test_with_the_database_cache_a_hit_costs_one_query(client, database_page_cache):
    call = open_call()
    client.get(call_url(call))
    response, count = queries_of(client, call_url(call))
    assert response.status_code == 200
    assert count == 1  # the page and its family's version, together


@pytest.mark.parametrize("language", ["fr", "en", "nl"])
def test_each_language_has_its_own_page(client, language):
    call = open_call()
    for code in ("fr", "en", "nl"):  # every language cached first
        client.get(call_url(call, code))
    response, count = queries_of(client, call_url(call, language))
    assert count == 0
    assert f'<html lang="{language}">' in response.content.decode()
    assert response["Content-Language"] == language


def test_a_title_edited_through_its_service_shows_at_once(
    client, database_page_cache, django_capture_on_commit_callbacks
):
    call = open_call(title_fr="Old title")
    staff = user_with_role("staff")
    client.get(call_url(call))
    client.get(reverse("calls:list"))
    assert "Old title" in client.get(call_url(call)).content.decode()
    with django_capture_on_commit_callbacks(execute=True):  # the service's transaction commits
        update_call(call=call, by=staff, data={"title_fr": "New title"})
    assert "New title" in client.get(call_url(call)).content.decode()
    page = client.get(reverse("calls:list")).content.decode()
    assert "New title" in page and "Old title" not in page


def test_an_unpublished_call_disappears_at_once(client, django_capture_on_commit_callbacks):
    call = open_call()
    staff = user_with_role("staff")
    assert client.get(call_url(call)).status_code == 200
    assert client.get(call_url(call)).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        set_published(call=call, by=staff, published=False)
    assert client.get(call_url(call)).status_code == 404


def test_a_call_closing_is_not_hidden_by_the_cache(client, monkeypatch):
    call = open_call()
    client.get(call_url(call))
    assert "Apply" in client.get(call_url(call)).content.decode()
    # The clock moves past the closing time (the server's and the cache's alike).
    later = call.closes_at + dt.timedelta(seconds=5)
    monkeypatch.setattr(timezone, "now", lambda: later)
    monkeypatch.setattr("filiere.ui.page_cache.time.time", later.timestamp)
    html = client.get(call_url(call)).content.decode()
    assert "Apply" not in html and "Closed on" in html


def test_a_signed_in_user_never_gets_the_anonymous_page(client):
    call = open_call()
    client.get(call_url(call))
    client.get(call_url(call))  # cached for visitors
    member = Client()
    member.force_login(user_with_role("member"))
    response, count = queries_of(member, call_url(call))
    html = response.content.decode()
    assert count > 1 and "Sign out" in html and "Sign in" not in html


def test_visitors_never_get_a_members_page(client):
    """A profile shown to members only (canary): once a member has seen the directory, a
    visitor still gets the visitors' directory, without it."""
    PersonFactory(first_name="Zéphyrine", last_name="Canary", visibility=Visibility.MEMBERS)
    PersonFactory(first_name="Paul", last_name="Public")
    member = Client()
    member.force_login(user_with_role("member"))
    url = reverse("community:directory")
    assert "Canary" in member.get(url).content.decode()
    assert "Canary" in member.get(url).content.decode()
    for _ in range(2):
        html = client.get(url).content.decode()
        assert "Public" in html and "Canary" not in html and "Sign out" not in html
    assert "Canary" in member.get(url).content.decode()


def test_a_new_profile_shows_in_the_directory_at_once(client, django_capture_on_commit_callbacks):
    url = reverse("community:directory")
    client.get(url)
    assert "Venue" not in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        PersonFactory(first_name="Nouvelle", last_name="Venue")
    assert "Venue" in client.get(url).content.decode()


def test_a_change_shows_only_once_committed(client, django_capture_on_commit_callbacks):
    """Until the service's transaction commits, visitors keep the page of the committed data."""
    call = open_call(title_fr="Old title")
    staff = user_with_role("staff")
    client.get(call_url(call))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        update_call(call=call, by=staff, data={"title_fr": "New title"})
    assert "Old title" in client.get(call_url(call)).content.decode()
    for callback in callbacks:  # the commit
        callback()
    assert "New title" in client.get(call_url(call)).content.decode()


def test_each_hit_carries_the_visitors_own_token_and_a_valid_policy(client):
    call = open_call()
    miss = client.get(call_url(call))
    visitor = Client(enforce_csrf_checks=True)
    hit, count = queries_of(visitor, call_url(call))
    assert count == 0
    assert hit["Content-Security-Policy"] == miss["Content-Security-Policy"]
    assert "nonce" not in hit["Content-Security-Policy"]
    assert "script-src 'self'" in hit["Content-Security-Policy"]
    assert hit["X-Frame-Options"] == "DENY"
    (token,) = set(TOKEN.findall(hit.content.decode()))
    assert token not in miss.content.decode()
    assert "csrftoken" in hit.cookies
    # The token works with this visitor's cookie: the language switcher accepts it.
    switched = visitor.post(
        reverse("set_language"), {"language": "en", "next": "/", "csrfmiddlewaretoken": token}
    )
    assert switched.status_code == 302


def test_query_strings_share_entries_and_made_up_parameters_are_not_cached(client):
    PersonFactory()
    base = reverse("community:directory")
    client.get(f"{base}?language=en&availability=open")
    _response, count = queries_of(client, f"{base}?availability=open&language=en&q=")
    assert count == 0  # same search: order and empty fields do not matter
    for _ in range(2):
        _response, count = queries_of(client, f"{base}?utm_source=mail")
        assert count > 0  # not a parameter of the page: rendered each time, never stored
    long = "x" * 150
    for _ in range(2):
        _response, count = queries_of(client, f"{base}?q={long}")
        assert count > 0


def test_htmx_fragments_and_full_pages_are_kept_apart(client):
    PersonFactory(first_name="Camille", last_name="Durand")
    url = reverse("community:directory")
    full = client.get(url).content.decode()
    fragment = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "<html" in full and "<html" not in fragment
    assert "<html" not in client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "<html" in client.get(url).content.decode()


def test_post_is_never_answered_from_the_cache(client, settings):
    settings.ROOT_URLCONF = "tests.page_cache.urls"
    client.get("/test-counts/")
    assert client.get("/test-counts/").content == b"rendered 1 times"
    assert client.post("/test-counts/").content == b"rendered 2 times"
    assert client.post("/test-counts/").content == b"rendered 3 times"


@pytest.mark.parametrize("url", ["/test-cookie/", "/test-message/", "/test-nonce/"])
def test_a_page_setting_a_cookie_a_message_or_a_nonce_is_not_stored(client, settings, url):
    settings.ROOT_URLCONF = "tests.page_cache.urls"
    first = client.get(url)
    second = client.get(url)
    if url == "/test-cookie/":
        assert second.cookies["flavour"].value == "chocolate"
    if url == "/test-nonce/":
        nonces = [
            re.search(r"nonce='([^']+)'", r.content.decode()).group(1) for r in (first, second)
        ]
        assert nonces[0] != nonces[1]
    if url == "/test-message/":  # rendered again: a second message added
        assert [str(m) for m in second.wsgi_request._messages] == ["Welcome back"] * 2


def test_a_pending_message_is_shown_not_a_cached_page(client):
    """After signing out, the home page says so (and a visitor without message gets the cached
    page)."""
    client.get("/")
    client.get("/")
    user = user_with_role("member")
    client.force_login(user)
    response = client.post(reverse("account_logout"), follow=True)
    assert response.status_code == 200
    assert '<div class="messages" role="status">' in response.content.decode()
    assert '<div class="messages"' not in client.get("/").content.decode()
