"""Delete my account: refused while it matters to others, then anonymised everywhere except the
legal records, which are listed below and in docs/privacy.md."""

import pytest
from django.apps import apps
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.db import models
from django.db.models.functions import Cast
from django.test import Client
from django.urls import reverse

from filiere.accounts.models import ApiToken, Role, RoleGrant, User
from filiere.accounts.selectors import has_consent
from filiere.accounts.services import create_api_token, grant_role
from filiere.audit.models import AuditEntry
from filiere.calls.models import Application, TeamMember
from filiere.community.models import Person, Work
from filiere.matchmaking.models import Post
from filiere.matchmaking.models_contacts import Introduction
from filiere.privacy import services
from tests.accounts.factories import sign_in
from tests.factories import ApplicationFactory, UserFactory, add_member

from .scenario import applicant_with_everything

pytestmark = pytest.mark.django_db

OLD_EMAIL = "zephyrine.quillfeather@example.org"
OLD_NAMES = ("Zephyrine", "Quillfeather")

#: The legal records that keep what was written at the time (docs/privacy.md): the audit log
#: (append-only), the receipt of a submitted application and of its resubmissions (their
#: SHA-256 covers the addresses), and the documents of a submitted file.
KEPT = {
    ("audit.auditentry", "actor_label"),
    ("audit.auditentry", "object_repr"),
    ("audit.auditentry", "reason"),
    ("audit.auditentry", "data"),
    ("calls.submission", "content"),
    ("calls.resubmission", "content"),
    ("calls.document", "original_name"),
}
TEXT_FIELDS = (models.CharField, models.TextField, models.JSONField)


def where_found(needle: str) -> set[tuple[str, str]]:
    """Every (model, column) of the database holding ``needle``, case folded."""
    found = set()
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if not isinstance(field, TEXT_FIELDS):
                continue
            rows = model._default_manager.annotate(
                _text=Cast(field.name, output_field=models.TextField())
            ).filter(_text__icontains=needle)
            if rows.exists():
                found.add((model._meta.label_lower, field.name))
    return found


def finished_world():
    """The applicant of the scenario, whose submitted file has been decided (rejected), with a
    draft they lead alone."""
    world = applicant_with_everything()
    Application.objects.filter(pk=world.application.pk).update(state="rejected")
    draft = ApplicationFactory(lead=world.applicant, state="draft", title="Draft by Zephyrine")
    return world, draft


def test_deletion_anonymises_everything_but_the_legal_records():
    world, draft = finished_world()
    key = create_api_token(user=world.applicant, name="script")[1]
    assert where_found(OLD_EMAIL) - KEPT  # the scan sees the data before

    deletion = services.delete_account(user=world.applicant, by=world.applicant)

    for needle in (OLD_EMAIL, *OLD_NAMES):
        assert where_found(needle) <= KEPT, needle
    user = User.objects.get(pk=world.applicant.pk)
    assert user.email == f"deleted-{user.pk}@invalid"
    assert user.get_full_name() == "Deleted member"
    assert not user.is_active
    assert not user.has_usable_password()
    # Kept: the decided application, still led by the (anonymised) account.
    assert Application.objects.get(pk=world.application.pk).lead_id == user.pk
    assert not Application.objects.filter(pk=draft.pk).exists()
    assert deletion.drafts_deleted == [draft.reference]
    assert deletion.applications_kept == [world.application.reference]
    # Profile hidden and emptied, works gone; tokens, roles, consents over.
    person = Person.objects.get(user=user)
    assert (person.first_name, person.consent_at, person.visibility) == (
        "Deleted member",
        None,
        "private",
    )
    assert not Work.objects.filter(person=person).exists()
    assert not person.skills.exists()
    assert not ApiToken.objects.filter(user=user, revoked_at__isnull=True).exists()
    assert not RoleGrant.objects.filter(user=user, revoked_at__isnull=True).exists()
    assert not has_consent(user.pk, "contact")
    assert set(Post.objects.filter(author=user).values_list("status", flat=True)) == {"withdrawn"}
    assert Introduction.objects.get(requester=user).status == "withdrawn"
    # The API key no longer works.
    assert Client().get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 401


def test_the_deletion_is_audited_with_the_user_id_not_the_address():
    world, _draft = finished_world()

    services.delete_account(user=world.applicant, by=world.applicant)

    entry = AuditEntry.objects.get(action="privacy.account_deleted")
    assert entry.object_id == str(world.applicant.pk)
    assert entry.data["user_id"] == world.applicant.pk
    assert OLD_EMAIL not in f"{entry.actor_label} {entry.object_repr} {entry.data}"


def test_the_team_member_of_a_submitted_file_stays_under_a_placeholder():
    world, _draft = finished_world()
    other = ApplicationFactory(state="rejected")
    add_member(other, world.applicant)

    services.delete_account(user=world.applicant, by=world.applicant)

    member = TeamMember.objects.get(application=other)
    assert member.user_id == world.applicant.pk
    assert member.email == f"deleted-{world.applicant.pk}@invalid"


def test_refused_while_leading_an_application_in_progress():
    world = applicant_with_everything()  # its file is before the committee

    with pytest.raises(services.PrivacyRefused) as refused:
        services.delete_account(user=world.applicant, by=world.applicant)

    assert refused.value.code == "privacy.leads_application_in_progress"
    assert world.application.reference in refused.value.message
    assert User.objects.get(pk=world.applicant.pk).email == OLD_EMAIL


def test_refused_while_holding_a_staff_role():
    user = UserFactory()
    grant_role(user=user, role=Role.STAFF, by=None)

    with pytest.raises(services.PrivacyRefused) as refused:
        services.delete_account(user=user, by=user)

    assert refused.value.code == "privacy.holds_staff_role"


def test_refused_while_leading_a_draft_shared_with_others():
    user = UserFactory()
    draft = ApplicationFactory(lead=user, state="draft")
    add_member(draft)

    with pytest.raises(services.PrivacyRefused) as refused:
        services.delete_account(user=user, by=user)

    assert refused.value.code == "privacy.leads_shared_draft"
    assert Application.objects.filter(pk=draft.pk).exists()


def test_nobody_deletes_someone_elses_account():
    user, other = UserFactory(), UserFactory()

    with pytest.raises(services.NotYourself):
        services.delete_account(user=user, by=other)

    assert User.objects.get(pk=user.pk).is_active


def test_the_page_says_what_stays_and_refuses_with_the_reason(client):
    world = applicant_with_everything()
    client.force_login(world.applicant)

    body = client.get(reverse("privacy:delete")).content.decode()

    assert "What is kept, and why" in body
    assert world.application.reference in body
    assert "Type your e-mail address to confirm" not in body  # no form while refused


def test_the_page_deletes_after_the_password_and_the_address_then_ends_every_session(client):
    world, _draft = finished_world()
    elsewhere = Client()
    elsewhere.force_login(world.applicant)
    sign_in(client, world.applicant, reauthenticate=True)

    wrong = client.post(reverse("privacy:delete"), {"email": "someone@example.org"})
    assert wrong.status_code == 200
    assert "This is not the address of your account." in wrong.content.decode()
    assert User.objects.get(pk=world.applicant.pk).is_active

    response = client.post(reverse("privacy:delete"), {"email": OLD_EMAIL.upper()})

    assert response.status_code == 302
    assert response["Location"] == reverse("ui:home")
    assert SESSION_KEY not in client.session
    assert not User.objects.get(pk=world.applicant.pk).is_active
    (message,) = mail.outbox
    assert message.to == [OLD_EMAIL]
    assert world.application.reference in message.body
    # The other browser is signed out too.
    later = elsewhere.get(reverse("privacy:home"))
    assert later.status_code == 302
    assert later["Location"].startswith(reverse("account_login"))


def test_the_page_asks_for_the_password_before_deleting(client):
    world, _draft = finished_world()
    client.force_login(world.applicant)

    response = client.post(reverse("privacy:delete"), {"email": OLD_EMAIL})

    assert response["Location"].startswith(reverse("account_reauthenticate"))
    assert User.objects.get(pk=world.applicant.pk).is_active


def test_a_failing_mail_server_does_not_undo_the_deletion(client, monkeypatch):
    import smtplib

    from filiere.privacy import notifications

    def refuse(*args, **kwargs):
        raise smtplib.SMTPServerDisconnected("down")

    monkeypatch.setattr(notifications, "send_mail", refuse)
    world, _draft = finished_world()
    sign_in(client, world.applicant, reauthenticate=True)

    response = client.post(reverse("privacy:delete"), {"email": OLD_EMAIL})

    assert response.status_code == 302
    assert not User.objects.get(pk=world.applicant.pk).is_active
