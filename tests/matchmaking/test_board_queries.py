"""My posts, the moderation queue and "For you" read in a fixed number of queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from filiere.matchmaking.models import PostStatus
from tests.factories import OrganisationFactory, SkillFactory, user_with_role

from .board_factories import PostFactory, member

pytestmark = pytest.mark.django_db


def _queries(client, url):
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("page", ["my_posts", "moderation", "for_you"])
def test_pages_read_in_a_fixed_number_of_queries(client, page):
    skill = SkillFactory(name="Étalonnage", slug="t-queries-grading")
    user = user_with_role("staff")
    member_profile = member(skills=[skill])
    client.force_login(user if page == "moderation" else member_profile)
    author = member_profile if page == "my_posts" else None

    def add(n):
        for _ in range(n):
            PostFactory(
                author=author or member(),
                skills=[skill],
                organisation=OrganisationFactory(),
                status=PostStatus.PENDING if page == "moderation" else PostStatus.PUBLISHED,
            )

    add(1)
    few = _queries(client, reverse(f"matchmaking:{page}"))
    add(8)
    many = _queries(client, reverse(f"matchmaking:{page}"))

    assert many == few
