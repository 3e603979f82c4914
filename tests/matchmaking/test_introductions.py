"""Contact with consent: a member asks to be introduced from a directory profile or a post; the
other side accepts or declines; no address before acceptance; consent and limits."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from filiere.accounts.models import ConsentPurpose
from filiere.accounts.services import record_consent
from filiere.audit.models import AuditEntry
from filiere.community.models import Person, Visibility
from filiere.errors import ServiceError, Throttled
from filiere.matchmaking import services_contacts as services
from filiere.matchmaking.models import Introduction, IntroductionStatus, Post, PostStatus
from tests.factories import PersonFactory

from .contacts_helpers import member

pytestmark = pytest.mark.django_db


def ask(client, requester, recipient, message="Bonjour, je cherche un sound designer."):
    client.force_login(requester)
    slug = Person.objects.get(user=recipient).slug
    return client.post(
        reverse("matchmaking:ask_person", kwargs={"slug": slug}), {"message": message}
    )


def test_a_member_asks_from_a_profile_and_the_recipient_is_told_by_name_only(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    requester = member("Paul", "Durand")
    recipient = member("Alice", "Martin")
    profile = reverse("community:person", kwargs={"slug": recipient.person.slug})
    client.force_login(requester)
    assert reverse("matchmaking:ask_person", kwargs={"slug": recipient.person.slug}) in (
        client.get(profile).content.decode()
    )

    with django_capture_on_commit_callbacks(execute=True):
        response = ask(client, requester, recipient)

    introduction = Introduction.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "matchmaking:introduction", kwargs={"pk": introduction.pk}
    )
    assert (introduction.requester, introduction.recipient) == (requester, recipient)
    assert introduction.status == IntroductionStatus.PENDING
    assert AuditEntry.objects.filter(action="matchmaking.contact.asked").count() == 1
    [mail] = mailoutbox
    assert mail.to == [recipient.email]
    assert "Paul Durand" in mail.subject
    assert "Bonjour, je cherche un sound designer." in mail.body
    assert f"/matchmaking/introductions/{introduction.pk}/" in mail.body
    assert requester.email not in mail.body and recipient.email not in mail.body


def test_pages_show_no_address_before_acceptance_and_both_after(client, mailoutbox):
    requester = member("Paul", "Durand")
    recipient = member("Alice", "Martin")
    ask(client, requester, recipient)
    introduction = Introduction.objects.get()
    detail = reverse("matchmaking:introduction", kwargs={"pk": introduction.pk})

    for viewer, other in ((requester, recipient), (recipient, requester)):
        client.force_login(viewer)
        for url in (detail, reverse("matchmaking:introductions")):
            page = client.get(url).content.decode()
            assert other.email not in page

    client.force_login(recipient)
    received = client.get(reverse("matchmaking:introductions")).content.decode()
    assert "From Paul Durand" in received
    client.post(reverse("matchmaking:introduction_accept", kwargs={"pk": introduction.pk}))
    introduction.refresh_from_db()
    assert introduction.status == IntroductionStatus.ACCEPTED
    assert introduction.answered_at is not None
    assert requester.email in client.get(detail).content.decode()
    client.force_login(requester)
    assert recipient.email in client.get(detail).content.decode()
    assert recipient.email in client.get(reverse("matchmaking:introductions")).content.decode()


def test_acceptance_tells_the_requester_with_the_recipients_address(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    requester = member("Paul", "Durand")
    recipient = member("Alice", "Martin")
    introduction = services.ask_introduction(
        requester=requester, message="Hello", person=recipient.person
    )
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.accept_introduction(introduction=introduction, by=recipient)
    [mail] = mailoutbox
    assert mail.to == [requester.email]
    assert "Alice Martin" in mail.subject
    assert recipient.email in mail.body
    assert AuditEntry.objects.filter(action="matchmaking.contact.accepted").count() == 1


def test_a_decline_is_silent_and_blocks_a_new_request_for_30_days(client, mailoutbox):
    requester = member("Paul", "Durand")
    recipient = member("Alice", "Martin")
    introduction = services.ask_introduction(
        requester=requester, message="Hello", person=recipient.person
    )
    client.force_login(recipient)
    client.post(reverse("matchmaking:introduction_decline", kwargs={"pk": introduction.pk}))
    introduction.refresh_from_db()
    assert introduction.status == IntroductionStatus.DECLINED
    assert AuditEntry.objects.filter(action="matchmaking.contact.declined").count() == 1

    response = ask(client, requester, recipient)
    assert response.status_code == 200
    assert "30 days" in response.content.decode()
    assert Introduction.objects.count() == 1

    Introduction.objects.filter(pk=introduction.pk).update(
        answered_at=timezone.now() - timedelta(days=31)
    )
    assert ask(client, requester, recipient).status_code == 302
    assert Introduction.objects.filter(status=IntroductionStatus.PENDING).count() == 1


def test_a_member_who_said_no_cannot_be_asked(client):
    requester = member("Paul", "Durand")
    recipient = member("Alice", "Martin")
    client.force_login(recipient)
    client.post(reverse("matchmaking:contact_consent"), {"accepts": "no"})
    assert recipient.consents.get(purpose=ConsentPurpose.CONTACT).granted is False

    client.force_login(requester)
    url = reverse("matchmaking:ask_person", kwargs={"slug": recipient.person.slug})
    page = client.get(url).content.decode()
    assert "does not accept introduction requests" in page
    assert ask(client, requester, recipient).status_code == 200
    assert not Introduction.objects.exists()
    with pytest.raises(ServiceError) as refused:
        services.ask_introduction(requester=requester, message="Hi", person=recipient.person)
    assert refused.value.code == "matchmaking.contact.no_consent"

    # Saying yes again lets them be asked.
    record_consent(user=recipient, purpose=ConsentPurpose.CONTACT, granted=True)
    assert ask(client, requester, recipient).status_code == 302


def test_no_record_of_consent_means_a_visible_profile_may_be_asked(client):
    requester = member("Paul", "Durand")
    recipient = member("Alice", "Martin")
    assert not recipient.consents.exists()
    client.force_login(recipient)
    page = client.get(reverse("matchmaking:introductions")).content.decode()
    assert "Other members may ask to be introduced to you." in page
    assert ask(client, requester, recipient).status_code == 302


def test_a_private_profile_cannot_be_asked_it_does_not_exist(client):
    requester = member("Paul", "Durand")
    hidden = member("Alice", "Martin", visibility=Visibility.PRIVATE)
    client.force_login(requester)
    url = reverse("matchmaking:ask_person", kwargs={"slug": hidden.person.slug})
    assert client.get(url).status_code == 404
    assert client.post(url, {"message": "Hi"}).status_code == 404
    with pytest.raises(ServiceError) as refused:
        services.ask_introduction(requester=requester, message="Hi", person=hidden.person)
    assert refused.value.code == "matchmaking.contact.not_visible"


def test_a_profile_without_an_account_says_so(client):
    requester = member("Paul", "Durand")
    person = PersonFactory(user=None)
    client.force_login(requester)
    url = reverse("matchmaking:ask_person", kwargs={"slug": person.slug})
    assert "has no account on the platform" in client.get(url).content.decode()
    client.post(url, {"message": "Hi"})
    assert not Introduction.objects.exists()


def test_one_request_at_a_time_and_the_other_side_is_told_to_answer(client):
    requester = member("Paul", "Durand")
    recipient = member("Alice", "Martin")
    services.ask_introduction(requester=requester, message="Hello", person=recipient.person)
    with pytest.raises(ServiceError) as again:
        services.ask_introduction(requester=requester, message="Hello?", person=recipient.person)
    assert again.value.code == "matchmaking.contact.already_pending"
    with pytest.raises(ServiceError) as back:
        services.ask_introduction(requester=recipient, message="Hi", person=requester.person)
    assert back.value.code == "matchmaking.contact.asked_you"
    assert "answer their request" in back.value.message


def test_asking_oneself_or_without_a_message_is_refused():
    requester = member("Paul", "Durand")
    other = member("Alice", "Martin")
    with pytest.raises(ServiceError) as self_ask:
        services.ask_introduction(requester=requester, message="Hi", person=requester.person)
    assert self_ask.value.code == "matchmaking.contact.self"
    with pytest.raises(ServiceError) as empty:
        services.ask_introduction(requester=requester, message="   ", person=other.person)
    assert empty.value.code == "matchmaking.contact.message_missing"


def test_the_requester_withdraws_a_pending_request(client):
    requester = member("Paul", "Durand")
    recipient = member("Alice", "Martin")
    introduction = services.ask_introduction(
        requester=requester, message="Hello", person=recipient.person
    )
    client.force_login(requester)
    client.post(reverse("matchmaking:introduction_withdraw", kwargs={"pk": introduction.pk}))
    introduction.refresh_from_db()
    assert introduction.status == IntroductionStatus.WITHDRAWN
    # Withdrawn: the recipient can no longer accept it.
    with pytest.raises(ServiceError) as late:
        services.accept_introduction(introduction=introduction, by=recipient)
    assert late.value.code == "matchmaking.contact.not_pending"


def _post(author, **kwargs):
    values = {
        "kind": "need",
        "title": "Sound designer for a serious game",
        "description": "Valenciennes, 3 months",
        "author": author,
        "expires_on": timezone.localdate() + timedelta(days=30),
        "status": PostStatus.PUBLISHED,
    }
    return Post.objects.create(**(values | kwargs))


def test_a_member_asks_the_author_of_a_post(client, mailoutbox, django_capture_on_commit_callbacks):
    requester = member("Paul", "Durand")
    author = member("Alice", "Martin", visibility=Visibility.PRIVATE)
    post = _post(author)
    client.force_login(requester)
    url = reverse("matchmaking:ask_post", kwargs={"pk": post.pk})
    assert client.get(url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"message": "I design sound for games."})
    assert response.status_code == 302
    introduction = Introduction.objects.get()
    assert (introduction.recipient, introduction.post) == (author, post)
    [mail] = mailoutbox
    assert post.title in mail.body


def test_a_post_awaiting_moderation_cannot_be_answered(client):
    requester = member("Paul", "Durand")
    post = _post(member("Alice", "Martin"), status=PostStatus.PENDING)
    client.force_login(requester)
    assert client.get(reverse("matchmaking:ask_post", kwargs={"pk": post.pk})).status_code == 404


def test_limits_per_day_and_pending(settings):
    settings.FILIERE_INTRODUCTIONS_PER_DAY = 3
    settings.FILIERE_INTRODUCTIONS_PENDING = 2
    requester = member("Paul", "Durand")
    others = [member(f"Name{i}", "Other") for i in range(5)]
    services.ask_introduction(requester=requester, message="Hi", person=others[0].person)
    services.ask_introduction(requester=requester, message="Hi", person=others[1].person)
    with pytest.raises(ServiceError) as pending:
        services.ask_introduction(requester=requester, message="Hi", person=others[2].person)
    assert pending.value.code == "matchmaking.contact.too_many_pending"
    assert "2 of your requests" in pending.value.message

    first = Introduction.objects.filter(requester=requester).last()
    services.withdraw_introduction(introduction=first, by=requester)
    services.ask_introduction(requester=requester, message="Hi", person=others[2].person)
    # Three sent in 24 hours (the withdrawn one counts): the fourth waits.
    services.withdraw_introduction(
        introduction=Introduction.objects.filter(requester=requester).first(), by=requester
    )
    with pytest.raises(Throttled) as day:
        services.ask_introduction(requester=requester, message="Hi", person=others[3].person)
    assert day.value.code == "matchmaking.contact.too_many_today"
    assert day.value.retry_after > 0
    # A day later the window has moved on.
    Introduction.objects.update(created_at=timezone.now() - timedelta(days=1, minutes=1))
    services.ask_introduction(requester=requester, message="Hi", person=others[3].person)


def test_a_post_page_links_to_asking_its_author_and_the_board_to_my_introductions(client):
    requester = member("Paul", "Durand")
    post = _post(member("Alice", "Martin"))
    client.force_login(requester)
    page = client.get(reverse("matchmaking:post", kwargs={"pk": post.pk})).content.decode()
    assert reverse("matchmaking:ask_post", kwargs={"pk": post.pk}) in page
    assert reverse("matchmaking:introductions") in page
    client.force_login(post.author)
    own = client.get(reverse("matchmaking:post", kwargs={"pk": post.pk})).content.decode()
    assert reverse("matchmaking:ask_post", kwargs={"pk": post.pk}) not in own


def test_my_introductions_reads_in_constant_queries(client):
    me = member("Paul", "Durand")
    for i in range(2):
        services.ask_introduction(
            requester=me, message="Hi", person=member(f"A{i}", "Other").person
        )
    client.force_login(me)
    url = reverse("matchmaking:introductions")
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for i in range(6):
        other = member(f"B{i}", "Other")
        services.ask_introduction(requester=other, message="Hi", person=me.person)
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)
