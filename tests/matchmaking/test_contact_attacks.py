"""Contacts and find partners as an attacker sees them: someone else's introduction, accepting a
request one made, the recipient's address before acceptance (a canary), the limits, a blocked
member, someone else's draft, a submitted application."""

import json

import pytest
from django.core.cache import cache
from django.urls import reverse

from filiere.accounts.services import create_api_token
from filiere.calls.models import TeamMember
from filiere.errors import ServiceError
from filiere.matchmaking import services_contacts as services
from filiere.matchmaking.models import Introduction, IntroductionStatus
from tests.calls.apply_factories import DraftFactory
from tests.factories import add_member

from .contacts_helpers import member

pytestmark = pytest.mark.django_db

CANARY = "canary-7f3a9@secret.example"


def bearer(user) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {create_api_token(user=user, name='t')[1]}"}


@pytest.fixture(autouse=True)
def _no_rate_memory():
    cache.clear()


def test_someone_elses_introduction_is_a_404_everywhere(client):
    paul, alice, mallory = member("Paul", "D"), member("Alice", "M"), member("Mal", "Lory")
    introduction = services.ask_introduction(requester=paul, message="Hi", person=alice.person)
    client.force_login(mallory)
    for name in ("introduction",):
        assert client.get(reverse(f"matchmaking:{name}", args=[introduction.pk])).status_code == 404
    for name in ("accept", "decline", "withdraw", "block"):
        url = reverse(f"matchmaking:introduction_{name}", args=[introduction.pk])
        assert client.post(url).status_code == 404
    report = reverse("matchmaking:report", kwargs={"kind": "introduction", "ref": introduction.pk})
    assert client.get(report).status_code == 404
    headers = bearer(mallory)
    for verb in ("accept", "decline"):
        response = client.post(f"/api/v1/introductions/{introduction.pk}/{verb}", **headers)
        assert response.status_code == 404
    assert client.get("/api/v1/introductions", **headers).json()["count"] == 0
    introduction.refresh_from_db()
    assert introduction.status == IntroductionStatus.PENDING


def test_the_requester_cannot_accept_their_own_request(client):
    paul, alice = member("Paul", "D"), member("Alice", "M")
    introduction = services.ask_introduction(requester=paul, message="Hi", person=alice.person)
    client.force_login(paul)
    response = client.post(
        reverse("matchmaking:introduction_accept", args=[introduction.pk]), follow=True
    )
    assert "Only the member who was asked" in response.content.decode()
    api = client.post(f"/api/v1/introductions/{introduction.pk}/accept", **bearer(paul))
    assert api.status_code == 403
    introduction.refresh_from_db()
    assert introduction.status == IntroductionStatus.PENDING
    assert alice.email not in response.content.decode()


def test_the_recipients_address_never_reaches_the_requester_before_acceptance(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    paul = member("Paul", "D")
    alice = member("Alice", "M")
    alice.email = CANARY
    alice.save()
    client.force_login(paul)
    pages = [
        reverse("community:person", kwargs={"slug": alice.person.slug}),
        reverse("matchmaking:ask_person", kwargs={"slug": alice.person.slug}),
    ]
    with django_capture_on_commit_callbacks(execute=True):
        asked = client.post(pages[1], {"message": "Hello"}, follow=True)
    introduction = Introduction.objects.get()
    pages += [
        reverse("matchmaking:introduction", args=[introduction.pk]),
        reverse("matchmaking:introductions"),
    ]
    seen = [asked.content.decode()] + [client.get(page).content.decode() for page in pages]
    headers = bearer(paul)
    seen.append(client.get("/api/v1/introductions", **headers).content.decode())
    again = client.post(
        "/api/v1/introductions",
        json.dumps({"person": alice.person.slug, "message": "Again"}),
        content_type="application/json",
        **headers,
    )
    seen.append(again.content.decode())
    seen += [m.body + m.subject for m in mailoutbox if m.to != [CANARY]]
    assert [m.to for m in mailoutbox] == [[CANARY]]  # only the recipient was written to
    assert CANARY not in mailoutbox[0].body  # not even in their own notification
    assert all(CANARY not in text for text in seen)

    # Declined: still nothing.
    services.decline_introduction(introduction=introduction, by=alice)
    assert CANARY not in client.get(pages[2]).content.decode()


def test_the_limits_hold_against_a_burst(settings):
    settings.FILIERE_INTRODUCTIONS_PER_DAY = 5
    settings.FILIERE_INTRODUCTIONS_PENDING = 3
    spammer = member("Spam", "Mer")
    targets = [member(f"T{i}", "Target") for i in range(8)]
    sent, refused = 0, []
    for target in targets:
        try:
            services.ask_introduction(requester=spammer, message="Buy", person=target.person)
            sent += 1
        except ServiceError as error:
            refused.append(error.code)
    assert sent == 3
    assert set(refused) == {"matchmaking.contact.too_many_pending"}
    # Withdrawing to make room does not lift the daily limit.
    for introduction in Introduction.objects.filter(requester=spammer):
        services.withdraw_introduction(introduction=introduction, by=spammer)
    services.ask_introduction(requester=spammer, message="Buy", person=targets[3].person)
    services.ask_introduction(requester=spammer, message="Buy", person=targets[4].person)
    with pytest.raises(ServiceError) as day:
        services.ask_introduction(requester=spammer, message="Buy", person=targets[5].person)
    assert day.value.code == "matchmaking.contact.too_many_today"
    assert Introduction.objects.filter(requester=spammer).count() == 5


def test_a_blocked_member_cannot_ask_by_page_api_or_post(client):
    alice, paul = member("Alice", "M"), member("Paul", "D")
    services.block_member(by=alice, blocked=paul)
    client.force_login(paul)
    url = reverse("matchmaking:ask_person", kwargs={"slug": alice.person.slug})
    assert "not possible" in client.post(url, {"message": "Hi"}).content.decode()
    api = client.post(
        "/api/v1/introductions",
        json.dumps({"person": alice.person.slug, "message": "Hi"}),
        content_type="application/json",
        **bearer(paul),
    )
    assert (api.status_code, api.json()["code"]) == (409, "matchmaking.contact.blocked")
    assert not Introduction.objects.exists()


def test_find_partners_of_someone_elses_draft_is_a_404(client):
    draft = DraftFactory(lead=member("Lead", "Er"))
    victim_team_member = member("Team", "Mate")
    add_member(draft, victim_team_member, accepted=False)
    mallory = member("Mal", "Lory")
    client.force_login(mallory)
    page = client.get(reverse("matchmaking:find_partners", kwargs={"pk": draft.pk}))
    assert page.status_code == 404
    invite = client.post(
        reverse("matchmaking:find_partners_invite", kwargs={"pk": draft.pk}),
        {"person": mallory.person.slug, "role": "author"},
    )
    assert invite.status_code == 404
    assert TeamMember.objects.filter(application=draft).count() == 1


def test_inviting_into_a_submitted_application_is_refused(client):
    lead = member("Lead", "Er")
    submitted = DraftFactory(lead=lead, state="submitted")
    sam = member("Sam", "Sound")
    client.force_login(lead)
    page = client.get(reverse("matchmaking:find_partners", kwargs={"pk": submitted.pk}))
    assert "can no longer be edited" in page.content.decode()
    response = client.post(
        reverse("matchmaking:find_partners_invite", kwargs={"pk": submitted.pk}),
        {"person": sam.person.slug, "role": "author"},
        follow=True,
    )
    assert response.status_code == 200
    assert not TeamMember.objects.filter(application=submitted).exists()
    assert ServiceError("apply.read_only").message in response.content.decode()
    assert "as co-applicant" not in page.content.decode()
