"""Blocking (either side: no more requests, pending ones closed) and reporting a member, a
request or a post, with the staff's queue."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from filiere.audit.models import AuditEntry
from filiere.errors import ServiceError
from filiere.matchmaking import services_contacts as services
from filiere.matchmaking.models import (
    Block,
    Introduction,
    IntroductionStatus,
    Post,
    PostStatus,
    Report,
    ReportStatus,
)
from tests.accounts.factories import user_with_role

from .contacts_helpers import member

pytestmark = pytest.mark.django_db


def test_blocking_closes_pending_requests_both_ways_and_stops_new_ones(client):
    alice = member("Alice", "Martin")
    paul = member("Paul", "Durand")
    from_paul = services.ask_introduction(requester=paul, message="Hi", person=alice.person)
    client.force_login(alice)
    client.post(reverse("matchmaking:person_block", kwargs={"slug": paul.person.slug}))
    assert Block.objects.filter(blocker=alice, blocked=paul).exists()
    from_paul.refresh_from_db()
    assert from_paul.status == IntroductionStatus.DECLINED
    entry = AuditEntry.objects.get(action="matchmaking.contact.blocked")
    assert entry.data["closed_introductions"] == [from_paul.pk]
    # Neither may ask the other now, with a clear message on the page.
    for requester, recipient in ((paul, alice), (alice, paul)):
        with pytest.raises(ServiceError) as refused:
            services.ask_introduction(requester=requester, message="Hi", person=recipient.person)
        assert refused.value.code == "matchmaking.contact.blocked"
    client.force_login(paul)
    page = client.get(reverse("matchmaking:ask_person", kwargs={"slug": alice.person.slug}))
    assert "not possible" in page.content.decode()


def test_blocking_from_a_request_withdraws_ones_own(client):
    alice = member("Alice", "Martin")
    paul = member("Paul", "Durand")
    mine = services.ask_introduction(requester=alice, message="Hi", person=paul.person)
    client.force_login(alice)
    client.post(reverse("matchmaking:introduction_block", kwargs={"pk": mine.pk}))
    mine.refresh_from_db()
    assert mine.status == IntroductionStatus.WITHDRAWN
    assert Block.objects.filter(blocker=alice, blocked=paul).exists()


def test_a_block_is_listed_and_lifted(client):
    alice = member("Alice", "Martin")
    paul = member("Paul", "Durand")
    block = services.block_member(by=alice, blocked=paul)
    client.force_login(alice)
    page = client.get(reverse("matchmaking:introductions")).content.decode()
    assert "Unblock Paul Durand" in page and paul.email not in page
    client.post(reverse("matchmaking:unblock", kwargs={"pk": block.pk}))
    assert not Block.objects.exists()
    assert AuditEntry.objects.filter(action="matchmaking.contact.unblocked").count() == 1
    services.ask_introduction(requester=paul, message="Hi", person=alice.person)


def test_a_blocked_pair_cannot_accept_an_old_request():
    alice = member("Alice", "Martin")
    paul = member("Paul", "Durand")
    request = services.ask_introduction(requester=paul, message="Hi", person=alice.person)
    Block.objects.create(blocker=paul, blocked=alice)  # as if made before the request closed
    with pytest.raises(ServiceError) as refused:
        services.accept_introduction(introduction=request, by=alice)
    assert refused.value.code == "matchmaking.contact.blocked"
    assert Introduction.objects.get().status == IntroductionStatus.PENDING


def test_reports_of_a_member_a_request_and_a_post_reach_the_staff_queue(client):
    alice = member("Alice", "Martin")
    paul = member("Paul", "Durand")
    request = services.ask_introduction(requester=paul, message="Buy now!", person=alice.person)
    post = Post.objects.create(
        kind="offer",
        title="Cheap followers",
        description="spam",
        author=paul,
        expires_on=timezone.localdate() + timedelta(days=10),
        status=PostStatus.PUBLISHED,
    )
    client.force_login(alice)
    for kind, ref in (
        ("person", paul.person.slug),
        ("introduction", request.pk),
        ("post", post.pk),
    ):
        target = reverse("matchmaking:report", kwargs={"kind": kind, "ref": ref})
        assert client.get(target).status_code == 200
        response = client.post(target, {"reason": "spam", "details": f"about {kind}"})
        assert response.status_code == 302
    reports = Report.objects.order_by("id")
    assert [r.reported_user for r in reports] == [paul, paul, paul]
    assert [bool(r.introduction_id) for r in reports] == [False, True, False]
    assert [bool(r.post_id) for r in reports] == [False, False, True]
    assert AuditEntry.objects.filter(action="matchmaking.report.made").count() == 3

    client.force_login(paul)
    assert client.get(reverse("matchmaking:reports")).status_code == 403
    staff = user_with_role("staff")
    client.force_login(staff)
    queue = client.get(reverse("matchmaking:reports")).content.decode()
    assert "about introduction" in queue and "Buy now!" in queue and "Cheap followers" in queue
    first = reports[0]
    close = reverse("matchmaking:report_close", kwargs={"pk": first.pk})
    client.post(close, {"outcome": ""})
    first.refresh_from_db()
    assert first.status == ReportStatus.OPEN
    client.post(close, {"outcome": "Spoke with the member."})
    first.refresh_from_db()
    assert (first.status, first.handled_by, first.outcome) == (
        ReportStatus.CLOSED,
        staff,
        "Spoke with the member.",
    )
    entry = AuditEntry.objects.get(action="matchmaking.report.closed")
    assert entry.reason == "Spoke with the member."


def test_reporting_what_one_cannot_see_is_a_404(client):
    alice = member("Alice", "Martin")
    paul = member("Paul", "Durand")
    carol = member("Carol", "Other")
    theirs = services.ask_introduction(requester=paul, message="Hi", person=carol.person)
    client.force_login(alice)
    for kind, ref in (("introduction", theirs.pk), ("person", "nobody"), ("thing", "1")):
        target = reverse("matchmaking:report", kwargs={"kind": kind, "ref": ref})
        assert client.get(target).status_code == 404
    with pytest.raises(ServiceError):
        services.report(reporter=alice, reason="spam", introduction=theirs)
    with pytest.raises(ServiceError) as unknown:
        services.report(reporter=alice, reason="boring", user=paul)
    assert unknown.value.code == "matchmaking.report.reason_unknown"
