"""A post's suggestions are computed in the background: in a browser, the author's page says
they are being computed, then shows them by itself (htmx polling, no inline script: the CSP
watch of conftest fails the test on any violation) once the worker has computed them."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from filiere.matchmaking.models import SuggestionRun
from filiere.matchmaking.suggestion_runs import execute_run
from tests.factories import SkillFactory
from tests.matchmaking.board_factories import PostFactory, member

from .flow_steps import checked, sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_the_post_page_shows_the_suggestions_once_the_worker_has_computed_them(page, axe, settings):
    # No worker: the tasks wait in the queue until the test plays the worker.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    sound = SkillFactory(name="Conception sonore", slug="t-sound", label_en="Sound design")
    author = member()
    need = PostFactory(author=author, title="Sound designer wanted", skills=[sound])
    member(first_name="Sam", last_name="Shared", skills=[sound])

    sign_in(page, author)
    page.goto(reverse("matchmaking:post", args=[need.pk]))
    region = page.get_by_role("region", name="Who could answer this need")
    expect(region).to_contain_text("The suggestions are being computed")
    expect(region.get_by_role("link", name="Sam Shared", exact=True)).to_have_count(0)
    checked(axe, page)

    execute_run(run_id=SuggestionRun.objects.get(post=need).pk)

    # No reload: the page asks again every two seconds.
    expect(region.get_by_role("link", name="Sam Shared", exact=True)).to_be_visible(timeout=15_000)
    expect(region).to_contain_text("Shared skill: Conception sonore")
    expect(region).not_to_contain_text("being computed")
    checked(axe, page)
