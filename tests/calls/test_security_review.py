"""Security review: only the lead and the team members who accepted their invitation read an
application's messages, on the platform or by e-mail."""

import pytest
from django.core import mail
from django.urls import reverse

from filiere.calls.models import TeamMember
from filiere.calls.services.instruction import post_message
from tests.calls.apply_factories import DraftFactory
from tests.calls.instruction_factories import ApplicationFactory, add_member
from tests.factories import PersonFactory, UserFactory, user_with_role

pytestmark = pytest.mark.django_db

SECRET = "Le budget de votre coproducteur belge pose question."


def _pending(application, user=None, email="pending@example.org"):
    return TeamMember.objects.create(
        application=application,
        user=user,
        email=user.email if user else email,
        role="author",
        accepted_at=None,
    )


def test_a_pending_invitee_does_not_read_the_messages_page(client):
    application = ApplicationFactory(state="submitted")
    invitee = UserFactory()
    _pending(application, user=invitee)  # linked to an account, but never accepted
    post_message(application=application, by=user_with_role("staff"), body=SECRET, from_staff=True)
    client.force_login(invitee)

    response = client.get(reverse("calls:application_messages", args=[application.reference]))

    assert response.status_code == 404


def test_an_accepted_member_reads_the_messages_page(client):
    application = ApplicationFactory(state="submitted")
    member = add_member(application)
    post_message(application=application, by=user_with_role("staff"), body=SECRET, from_staff=True)
    client.force_login(member.user)

    response = client.get(reverse("calls:application_messages", args=[application.reference]))

    assert response.status_code == 200
    assert SECRET in response.content.decode()


def test_staff_messages_are_not_mailed_to_pending_invitees(django_capture_on_commit_callbacks):
    application = ApplicationFactory(state="submitted")
    accepted = add_member(application)
    _pending(application, email="typo@example.org")
    _pending(application, user=UserFactory(), email="unused@example.org")

    with django_capture_on_commit_callbacks(execute=True):
        post_message(
            application=application, by=user_with_role("staff"), body=SECRET, from_staff=True
        )

    recipients = {message.to[0] for message in mail.outbox}
    assert recipients == {application.lead.email, accepted.user.email}
    assert all(SECRET in message.body for message in mail.outbox)


def test_inviting_from_the_directory_names_the_person_without_showing_their_address(
    client, django_capture_on_commit_callbacks
):
    application = DraftFactory()
    invitee = UserFactory(email="hidden.address@studio.be")
    person = PersonFactory(user=invitee, first_name="Anouk", last_name="Peeters")
    client.force_login(application.lead)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("calls:team_invite", args=[application.pk]),
            {"person": person.pk, "role": "belgian_coproducer", "can_edit": "on"},
            follow=True,
        )

    page = response.content.decode()
    assert "Anouk Peeters" in page
    assert "hidden.address@studio.be" not in page
    # The invitation still goes to the person, and stays pending until they accept it.
    member = TeamMember.objects.get(application=application)
    assert member.user == invitee and member.accepted_at is None
    assert mail.outbox[-1].to == ["hidden.address@studio.be"]
    # Inviting them twice says so, still without the address.
    again = client.post(
        reverse("calls:team_invite", args=[application.pk]),
        {"person": person.pk, "role": "author", "can_edit": "on"},
    )
    assert "Anouk Peeters" in again.content.decode()
    assert "hidden.address@studio.be" not in again.content.decode()


def test_removing_a_directory_invitee_names_them_without_showing_their_address(
    client, django_capture_on_commit_callbacks
):
    application = DraftFactory()
    invitee = UserFactory(email="hidden.address@studio.be")
    person = PersonFactory(user=invitee, first_name="Anouk", last_name="Peeters")
    client.force_login(application.lead)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("calls:team_invite", args=[application.pk]),
            {"person": person.pk, "role": "belgian_coproducer", "can_edit": "on"},
        )
    member = TeamMember.objects.get(application=application)

    response = client.post(
        reverse("calls:team_remove", args=[application.pk, member.pk]), follow=True
    )

    page = response.content.decode()
    assert "Anouk Peeters left the team." in page
    assert "hidden.address@studio.be" not in page
    assert not TeamMember.objects.filter(application=application).exists()


def test_removing_an_invitation_typed_by_address_names_that_address(client):
    # The lead typed this address: showing it back to them reveals nothing.
    application = DraftFactory()
    member = _pending(application, email="typed.by.the.lead@example.org")
    client.force_login(application.lead)

    response = client.post(
        reverse("calls:team_remove", args=[application.pk, member.pk]), follow=True
    )

    assert "typed.by.the.lead@example.org left the team." in response.content.decode()
