"""A NUL character in an address is refused before any view reads it: PostgreSQL cannot
compare one, so a lookup with it used to end in a server error (found by the API fuzzer)."""

import pytest

from filiere.accounts.models import Role
from tests.accounts.factories import user_with_role
from tests.api.test_community_api import bearer

pytestmark = pytest.mark.django_db


def test_the_api_answers_422_in_its_error_shape(client):
    headers = bearer(user_with_role(Role.STAFF))
    for url in (
        "/api/v1/applications?call=a%00b",
        "/api/v1/people?q=anim%00ateur",
        "/api/v1/people/some%00one",
    ):
        response = client.get(url, **headers)
        assert response.status_code == 422, url
        assert response.json()["code"] == "invalid_characters"


def test_pages_answer_the_site_s_400_page(client):
    response = client.get("/community/people/?q=anim%00ateur")
    assert response.status_code == 400
    assert "NUL" in response.content.decode()
    # A slug with one matches no page's address (slugs are letters, digits and hyphens).
    assert client.get("/community/people/some%00one/").status_code == 404


def test_ordinary_addresses_are_untouched(client):
    assert client.get("/community/people/?q=animateur").status_code == 200
