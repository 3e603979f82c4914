"""Matchmaking in the Django admin: an administrator reads the offers and needs, introductions,
blocks, reports, digests sent and suggestion runs, each page in a constant number of queries;
every change goes through the services (moderation, answers, reports' closing, the suggestions'
task), so the admin refuses them, and the message of an introduction request stays between the
two members."""

import datetime as dt

import pytest
from django.utils import timezone
from django.utils.html import escape

from filiere.matchmaking.models import (
    Block,
    DigestSent,
    Introduction,
    Post,
    PostStatus,
    Report,
    ReportReason,
    SuggestionRun,
)
from tests.admin_pages import (
    admin_url,
    administrator_client,
    assert_constant_queries,
    assert_read_only,
)
from tests.factories import OrganisationFactory, SkillFactory, UserFactory, territory

from .board_factories import PostFactory

pytestmark = pytest.mark.django_db

MOST_QUERIES = 14
SECRET_MESSAGE = "Our budget is tight, between us: 12,000 euros"


@pytest.fixture
def admin_client(client):
    return administrator_client(client)


def _post() -> Post:
    return PostFactory(
        organisation=OrganisationFactory(),
        territory=territory(),
        skills=[SkillFactory(), SkillFactory()],
        moderated_by=UserFactory(),
        moderated_at=timezone.now(),
    )


def _introduction() -> Introduction:
    return Introduction.objects.create(
        requester=UserFactory(), recipient=UserFactory(), post=_post(), message=SECRET_MESSAGE
    )


def _block() -> Block:
    return Block.objects.create(blocker=UserFactory(), blocked=UserFactory())


def _report() -> Report:
    introduction = _introduction()
    return Report.objects.create(
        reporter=introduction.recipient,
        reported_user=introduction.requester,
        post=introduction.post,
        introduction=introduction,
        reason=ReportReason.SPAM,
        details="Sends the same request to everyone.",
        handled_by=UserFactory(),
        handled_at=timezone.now(),
    )


def _digest() -> DigestSent:
    monday = timezone.localdate() - dt.timedelta(days=timezone.localdate().weekday())
    return DigestSent.objects.create(
        user=UserFactory(), week=monday, items={"calls": [1], "needs": [2]}
    )


SCORED_WORD = "hydrophone"


def _run() -> SuggestionRun:
    """A done run of a post, and a member's run still waiting."""
    SuggestionRun.objects.create(
        user=UserFactory(), fingerprint="m" * 64, requested_at=timezone.now()
    )
    return SuggestionRun.objects.create(
        post=_post(),
        fingerprint="p" * 64,
        status=SuggestionRun.Status.DONE,
        result=[["person:1", 0.5, [], [], [SCORED_WORD], False]],
        requested_at=timezone.now(),
        finished_at=timezone.now(),
    )


MAKERS = {
    Post: _post,
    Introduction: _introduction,
    Block: _block,
    Report: _report,
    DigestSent: _digest,
    SuggestionRun: _run,
}
WRITES = {
    Post: {"title": "Rewritten", "status": PostStatus.PUBLISHED},
    Introduction: {"status": "accepted"},
    Block: {},
    Report: {"status": "closed", "outcome": "closed in the admin"},
    DigestSent: {"week": "2026-01-05"},
    SuggestionRun: {"status": "pending", "result": "[]", "fingerprint": "x"},
}


def _more(model):
    def grow():
        for _ in range(4):
            MAKERS[model]()

    return grow


@pytest.mark.parametrize("model", list(MAKERS), ids=lambda m: m.__name__)
def test_the_list_takes_constant_queries(admin_client, django_assert_max_num_queries, model):
    MAKERS[model]()

    assert_constant_queries(
        admin_client,
        lambda: admin_url(model, "changelist"),
        _more(model),
        django_assert_max_num_queries,
        MOST_QUERIES,
    )


@pytest.mark.parametrize("model", list(MAKERS), ids=lambda m: m.__name__)
def test_the_change_page_takes_constant_queries(admin_client, django_assert_max_num_queries, model):
    first = MAKERS[model]()

    assert_constant_queries(
        admin_client,
        lambda: admin_url(model, "change", first.pk),
        _more(model),
        django_assert_max_num_queries,
        MOST_QUERIES,
    )


@pytest.mark.parametrize("model", list(MAKERS), ids=lambda m: m.__name__)
def test_the_admin_refuses_every_change(admin_client, model):
    assert_read_only(admin_client, MAKERS[model](), WRITES[model])


def test_a_post_reads_with_its_skills_and_author(admin_client):
    post = _post()

    listing = admin_client.get(admin_url(Post, "changelist")).content.decode()
    page = admin_client.get(admin_url(Post, "change", post.pk)).content.decode()

    assert post.title in listing
    assert escape(str(post.author)) in listing
    for skill in post.skills.all():
        assert skill.name in page


def test_the_message_of_an_introduction_is_not_shown(admin_client):
    introduction = _introduction()

    for url in (
        admin_url(Introduction, "changelist"),
        admin_url(Introduction, "change", introduction.pk),
    ):
        page = admin_client.get(url).content.decode()
        assert escape(str(introduction.requester)) in page
        assert SECRET_MESSAGE not in page


def test_reports_are_filtered_by_status_and_reason(admin_client):
    report = _report()

    response = admin_client.get(
        admin_url(Report, "changelist"), {"status__exact": "open", "reason__exact": "spam"}
    )
    closed = admin_client.get(admin_url(Report, "changelist"), {"status__exact": "closed"})

    assert list(response.context["cl"].result_list) == [report]
    assert list(closed.context["cl"].result_list) == []


def test_a_suggestion_run_reads_with_its_subject_state_and_count_not_its_scores(admin_client):
    run = _run()
    waiting = SuggestionRun.objects.get(user__isnull=False)

    listing = admin_client.get(admin_url(SuggestionRun, "changelist")).content.decode()
    page = admin_client.get(admin_url(SuggestionRun, "change", run.pk)).content.decode()
    failed = admin_client.get(admin_url(SuggestionRun, "changelist"), {"status__exact": "failed"})

    assert escape(f"Post: {run.post.title}") in listing
    assert escape(f"For you: {waiting.user}") in listing
    assert "Done" in listing and "Waiting" in listing
    assert SCORED_WORD not in listing and SCORED_WORD not in page
    assert "Suggestions" in page and '<div class="readonly">1</div>' in page
    assert list(failed.context["cl"].result_list) == []
