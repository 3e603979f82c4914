"""Suggestions with reasons: who could answer a post, and what a member could answer (needs and
open calls), with the visibility and blocking rules, in a fixed number of queries."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from filiere.community.models import Work
from filiere.matchmaking import suggestions
from filiere.matchmaking.models import Block, PostKind
from tests.factories import CallFactory, OrganisationFactory, SkillFactory, UserFactory, territory

from .board_factories import PostFactory, member

pytestmark = pytest.mark.django_db


@pytest.fixture
def vocabulary():
    domain = SkillFactory(name="Arts sonores", slug="t-sonic-arts")
    sound = SkillFactory(
        name="Conception sonore", slug="t-sound-design", parent=domain, label_en="Sound design"
    )
    foley = SkillFactory(name="Bruitage", slug="t-bruitage", parent=sound)
    modelling = SkillFactory(name="Modelage", slug="t-modelling")
    return {"domain": domain, "sound": sound, "foley": foley, "modelling": modelling}


def _need(vocabulary, **fields):
    return PostFactory(
        title="Sound designer for a serious game",
        description="Our serious game about the sea needs underwater soundscapes and music.",
        skills=[vocabulary["sound"]],
        territory=territory("mel"),
        **fields,
    )


def _names(found):
    return [s.row.display_name if s.kind == "person" else s.row.name for s in found]


def test_people_who_share_or_neighbour_the_skills_come_first_with_their_reasons(vocabulary):
    author = member()
    need = _need(vocabulary, author=author)
    shared = member(
        first_name="Sam",
        last_name="Shared",
        skills=[vocabulary["sound"]],
        territory=territory("mel"),
    )
    Work.objects.create(
        person=shared.person, title="Abyss", description="Underwater soundscapes for a game"
    )
    member(first_name="Nora", last_name="Narrower", skills=[vocabulary["foley"]])
    member(first_name="Una", last_name="Unrelated", skills=[vocabulary["modelling"]], bio="")

    found = suggestions.for_post(author, need)

    names = _names(found)
    assert names[:2] == ["Sam Shared", "Nora Narrower"]
    assert "Una Unrelated" not in names
    reasons = [r.text for r in found[0].reasons]
    assert "Shared skill: Sound design" in reasons
    assert any(r.startswith("Their profile speaks of") and "underwater" in r for r in reasons)
    assert any(r.startswith("Same territory:") for r in reasons)
    assert next(r.text for r in found[1].reasons).startswith("Related skill (broader or narrower)")


def test_an_english_profile_matches_through_the_skills_labels_in_three_languages(vocabulary):
    author = member()
    need = _need(vocabulary, author=author)
    member(first_name="Eve", last_name="English", headline="Sound design for games", bio="")

    names = _names(suggestions.for_post(author, need))

    assert "Eve English" in names


def test_never_the_author_nor_a_blocked_member_nor_a_hidden_profile(vocabulary):
    author = member(skills=[vocabulary["sound"]])
    need = _need(vocabulary, author=author)
    blocked = member(first_name="Bob", last_name="Blocked", skills=[vocabulary["sound"]])
    blocking = member(first_name="Bea", last_name="Blocking", skills=[vocabulary["sound"]])
    member(
        first_name="Pia", last_name="Private", skills=[vocabulary["sound"]], visibility="private"
    )
    member(first_name="Ok", last_name="Visible", skills=[vocabulary["sound"]])
    Block.objects.create(blocker=author, blocked=blocked)
    Block.objects.create(blocker=blocking, blocked=author)

    names = _names(suggestions.for_post(author, need))

    assert names == ["Ok Visible"]


def test_a_skill_hidden_from_members_gives_no_reason(vocabulary):
    author = member()
    need = _need(vocabulary, author=author)
    member(
        first_name="Hid",
        last_name="Den",
        skills=[vocabulary["sound"]],
        field_visibility={"skills": "private"},
        bio="",
        headline="",
    )

    assert "Hid Den" not in _names(suggestions.for_post(author, need))


def test_organisations_are_suggested_too(vocabulary):
    author = member()
    need = _need(vocabulary, author=author)
    lab = OrganisationFactory(name="Sound Lab", description="Underwater soundscapes studio")
    lab.skills.set([vocabulary["sound"]])

    found = suggestions.for_post(author, need)

    assert [s.kind for s in found] == ["organisation"]
    assert found[0].row == lab


def test_the_post_page_shows_suggestions_to_its_author_only_in_constant_queries(client, vocabulary):
    author = member()
    need = _need(vocabulary, author=author)
    sam = member(first_name="Sam", last_name="Shared", skills=[vocabulary["sound"]])
    url = reverse("matchmaking:post", args=[need.pk])
    client.force_login(author)
    client.get(url)  # computes and caches the scores
    with CaptureQueriesContext(connection) as few:
        first = client.get(url)
    for n in range(12):
        member(first_name=f"More{n}", last_name="People", skills=[vocabulary["sound"]])
    client.get(url)
    with CaptureQueriesContext(connection) as many:
        second = client.get(url)
    client.force_login(UserFactory())
    other = client.get(url).content.decode()

    assert "Sam Shared" in first.content.decode()
    ask = reverse("matchmaking:ask_person", args=[sam.person.slug])
    assert ask in first.content.decode()  # one click from a suggestion to an introduction
    assert second.content.decode().count("Shared skill: Sound design") == 10
    assert len(many) == len(few)
    assert "Sam Shared" not in other and "Who could answer" not in other


def test_needs_a_member_could_answer_not_their_own_nor_blocked(vocabulary):
    me = member(skills=[vocabulary["sound"]], bio="I compose underwater soundscapes.")
    answerable = _need(vocabulary)
    _need(vocabulary, author=me)
    blocker = member()
    _need(vocabulary, author=blocker)
    Block.objects.create(blocker=blocker, blocked=me)
    PostFactory(kind=PostKind.OFFER, skills=[vocabulary["sound"]], title="An offer")
    PostFactory(
        skills=[vocabulary["sound"]],
        title="Expired need",
        expires_on=timezone.localdate() - timedelta(days=1),
    )
    PostFactory(title="Knitting club", description="Wool", skills=[vocabulary["modelling"]])

    found = suggestions.needs_for(me)

    assert [s.row for s in found] == [answerable]
    assert found[0].reasons[0].text == "Shared skill: Sound design"


def test_open_calls_a_member_could_answer_with_the_calls_genres(vocabulary):
    me = member(bio="I write serious games and interactive documentaries.")
    now = timezone.now()
    call = CallFactory(
        title_en="Serious games 2027",
        summary_en="Interactive documentaries and serious games for the region.",
        opens_at=now - timedelta(days=1),
        closes_at=now + timedelta(days=30),
    )
    CallFactory(opens_at=now - timedelta(days=60), closes_at=now - timedelta(days=1))

    found = suggestions.calls_for(me)

    assert [s.row for s in found] == [call]
    texts = [r.text for r in found[0].reasons]
    assert any("serious" in t for t in texts)
    assert any(t.startswith("The call is open to") for t in texts)


def test_for_you_page(client, vocabulary):
    me = member(skills=[vocabulary["sound"]])
    need = _need(vocabulary)
    client.force_login(me)

    page = client.get(reverse("matchmaking:for_you")).content.decode()

    assert need.title in page and "Shared skill: Sound design" in page
