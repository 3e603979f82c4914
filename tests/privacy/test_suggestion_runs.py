"""Stored suggestions (``matchmaking.SuggestionRun``) are derived data: deleting an account
deletes the runs of its posts, its own "For you" and the runs of other posts that name its
profile; the export leaves them out (docs/privacy.md)."""

import pytest
from django.utils import timezone

from filiere.matchmaking import suggestion_runs
from filiere.matchmaking.models import SuggestionRun
from filiere.privacy import services
from tests.factories import SkillFactory
from tests.matchmaking.board_factories import PostFactory, member

from .test_export import _text

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    """Zephyrine's need (answered by Sam), her "For you", a need she could answer, and a need
    that has nothing to do with her."""
    sound = SkillFactory(name="Conception sonore", slug="t-sound-design", label_en="Sound design")
    knit = SkillFactory(name="Tricot", slug="t-knitting", label_en="Knitting")
    zephyrine = member(first_name="Zephyrine", last_name="Quillfeather", skills=[sound])
    member(first_name="Sam", last_name="Shared", skills=[sound], bio="Underwater foley.")
    member(first_name="Kit", last_name="Knitter", skills=[knit])
    hers = PostFactory(author=zephyrine, skills=[sound], description="Underwater foley, please.")
    naming_her = PostFactory(skills=[sound])
    unrelated = PostFactory(
        skills=[knit], title="Knitter wanted", description="Scarves for the crew."
    )
    suggestion_runs.compute_now([hers, naming_her, unrelated])
    suggestion_runs.compute_now_for([zephyrine], timezone.localdate())
    return zephyrine, hers, naming_her, unrelated


def _names(post):
    return [
        s.row.display_name
        for s in suggestion_runs.post_suggestions(
            post.author, post, SuggestionRun.objects.get(post=post)
        )
        or []
    ]


def test_deleting_an_account_deletes_the_runs_of_its_posts_and_its_for_you(world):
    zephyrine, hers, naming_her, unrelated = world
    assert SuggestionRun.objects.filter(post=hers, status="done").exists()
    assert SuggestionRun.objects.filter(user=zephyrine, status="done").exists()
    assert "Zephyrine Quillfeather" in _names(naming_her)  # the run names her profile
    assert _names(unrelated) == ["Kit Knitter"]

    services.delete_account(user=zephyrine, by=zephyrine)

    assert not SuggestionRun.objects.filter(post__author=zephyrine).exists()
    assert not SuggestionRun.objects.filter(user=zephyrine).exists()
    person = zephyrine.person
    assert not SuggestionRun.objects.filter(result__icontains=f'"person:{person.pk}"').exists()
    assert not SuggestionRun.objects.filter(post=naming_her).exists()
    # Other people's runs that never named her stay as they were.
    assert _names(unrelated) == ["Kit Knitter"]


def test_the_page_of_a_need_that_named_her_no_longer_suggests_her(client, world):
    zephyrine, _hers, naming_her, _unrelated = world
    services.delete_account(user=zephyrine, by=zephyrine)
    client.force_login(naming_her.author)

    page = client.get(f"/en/matchmaking/posts/{naming_her.pk}/").content.decode()

    assert "Sam Shared" in page  # computed again (immediate backend) without her
    assert "Quillfeather" not in page and "Deleted member" not in page


def test_the_export_leaves_the_runs_out_and_names_no_one_suggested(world):
    zephyrine, *_ = world

    data = services.export_data(user=zephyrine, by=zephyrine)

    assert sorted(data["matchmaking"]) == ["blocks", "introductions", "posts", "reports"]
    text = _text(data)
    # Who her need's run suggests, and the scores, are not hers: they are not in her export.
    assert "Sam" not in text and "Shared" not in text
    assert "suggestion" not in text.lower() and "fingerprint" not in text
    assert [post["description"] for post in data["matchmaking"]["posts"]] == [
        "Underwater foley, please."
    ]
