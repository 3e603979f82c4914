"""The audit log: services write it, nothing rewrites it, and it says where a request came from."""

import pytest
from django.db import DatabaseError, connection, transaction
from django.db.models import ProtectedError
from django.urls import reverse
from django.utils import translation

from filiere.accounts.models import ApiToken, Role
from filiere.accounts.services import create_api_token, grant_role, revoke_role
from filiere.audit.models import AppendOnlyError, AuditEntry
from filiere.audit.services import record
from tests.accounts.factories import UserFactory, sign_in, user_with_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def entry():
    return record(actor=None, action="test.happened", reason="because", data={"n": 1})


def test_granting_and_revoking_a_role_are_recorded_with_who_what_and_why():
    admin = user_with_role(Role.ADMIN)
    person = UserFactory(email="expert@example.org")

    grant = grant_role(
        user=person, role=Role.EXPERT, by=admin, scope_type="call", scope_id=3, reason="pool"
    )
    revoke_role(grant=grant, by=admin, reason="conflict of interest")

    revoked, granted = AuditEntry.objects.filter(object_id=str(person.pk))[:2]
    assert granted.action == "accounts.role.grant"
    assert granted.actor == admin
    assert granted.actor_label == admin.email
    assert granted.object_type == "accounts.user"
    assert granted.reason == "pool"
    assert granted.data == {"role": "expert", "scope_type": "call", "scope_id": 3}
    assert revoked.action == "accounts.role.revoke"
    assert revoked.reason == "conflict of interest"


def test_set_up_by_the_platform_itself_is_recorded_as_system():
    person = UserFactory()

    grant_role(user=person, role=Role.STAFF, by=None)

    entry = AuditEntry.objects.get(action="accounts.role.grant", object_id=str(person.pk))
    assert entry.actor is None
    assert entry.actor_label == "system"


def test_token_creation_and_revocation_are_recorded_with_the_client_address(client):
    user = UserFactory()
    sign_in(client, user)

    with translation.override("en"):
        client.post(reverse("accounts:my_account"), {"name": "script"}, REMOTE_ADDR="192.0.2.10")
        token = ApiToken.objects.get(user=user)
        client.post(reverse("accounts:revoke_token", args=[token.pk]), REMOTE_ADDR="192.0.2.11")

    created = AuditEntry.objects.get(action="api_token.created")
    revoked = AuditEntry.objects.get(action="api_token.revoked")
    assert (created.actor, created.ip_address) == (user, "192.0.2.10")
    assert (revoked.actor, revoked.ip_address) == (user, "192.0.2.11")
    assert created.object_id == str(token.pk)
    assert token.hint in created.object_repr


def test_forwarded_address_is_ignored_unless_a_proxy_is_trusted(client, settings):
    user = UserFactory()
    sign_in(client, user)
    headers = {"REMOTE_ADDR": "10.0.0.1", "HTTP_X_FORWARDED_FOR": "198.51.100.7, 203.0.113.5"}

    with translation.override("en"):
        settings.FILIERE_TRUSTED_PROXY_COUNT = 0
        client.post(reverse("accounts:my_account"), {"name": "direct"}, **headers)
        settings.FILIERE_TRUSTED_PROXY_COUNT = 1
        client.post(reverse("accounts:my_account"), {"name": "behind proxy"}, **headers)

    addresses = list(
        AuditEntry.objects.filter(action="api_token.created")
        .order_by("id")
        .values_list("ip_address", flat=True)
    )
    assert addresses == ["10.0.0.1", "203.0.113.5"]


def test_outside_a_request_no_address_is_recorded():
    _token, _key = create_api_token(user=UserFactory(), name="from a command")

    assert AuditEntry.objects.get(action="api_token.created").ip_address is None


def test_an_entry_cannot_be_changed_through_the_model(entry):
    entry.reason = "rewritten"

    with pytest.raises(AppendOnlyError):
        entry.save()

    assert AuditEntry.objects.get(pk=entry.pk).reason == "because"


def test_an_entry_cannot_be_deleted_through_the_model(entry):
    with pytest.raises(AppendOnlyError):
        entry.delete()

    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_entries_cannot_be_changed_or_deleted_in_bulk(entry):
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.filter(pk=entry.pk).update(reason="rewritten")
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.all().delete()
    entry_copy = AuditEntry.objects.get(pk=entry.pk)
    entry_copy.reason = "rewritten"
    with pytest.raises(AppendOnlyError), transaction.atomic():
        AuditEntry.objects.bulk_update([entry_copy], ["reason"])

    assert AuditEntry.objects.get(pk=entry.pk).reason == "because"


def test_an_account_with_a_history_cannot_be_deleted():
    admin = user_with_role(Role.ADMIN)
    grant_role(user=UserFactory(), role=Role.EXPERT, by=admin, reason="pool")

    with pytest.raises(ProtectedError):
        admin.delete()


def test_raw_sql_update_is_refused_by_postgresql_and_left_to_the_model_on_sqlite(entry):
    statement = "UPDATE audit_auditentry SET reason = 'rewritten' WHERE id = %s"

    if connection.vendor == "postgresql":
        # A trigger in the database refuses it, whatever program sends the SQL.
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(statement, [entry.pk])
        assert AuditEntry.objects.get(pk=entry.pk).reason == "because"
    else:
        # The embedded development database has no such trigger (test databases are emptied
        # with DELETE there): only the model guards it, which the tests above show.
        assert connection.vendor == "sqlite"
        with connection.cursor() as cursor:
            cursor.execute(statement, [entry.pk])
        assert AuditEntry.objects.get(pk=entry.pk).reason == "rewritten"


def test_raw_sql_delete_is_refused_by_postgresql_and_left_to_the_model_on_sqlite(entry):
    statement = "DELETE FROM audit_auditentry WHERE id = %s"

    if connection.vendor == "postgresql":
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(statement, [entry.pk])
        assert AuditEntry.objects.filter(pk=entry.pk).exists()
    else:
        assert connection.vendor == "sqlite"
        with connection.cursor() as cursor:
            cursor.execute(statement, [entry.pk])
        assert not AuditEntry.objects.filter(pk=entry.pk).exists()


class TestAdmin:
    @pytest.fixture
    def signed_in_admin(self, client):
        admin = user_with_role(Role.ADMIN)
        client.force_login(admin)
        return client

    def test_administrators_can_read_the_log(self, signed_in_admin, entry):
        with translation.override("en"):
            listing = signed_in_admin.get(reverse("admin:audit_auditentry_changelist"))
            detail = signed_in_admin.get(reverse("admin:audit_auditentry_change", args=[entry.pk]))

        assert listing.status_code == 200
        assert "test.happened" in listing.content.decode()
        assert detail.status_code == 200
        assert 'name="_save"' not in detail.content.decode()  # read-only: no save button
        assert "delete_selected" not in listing.content.decode()

    def test_administrators_cannot_change_add_or_delete_entries(self, signed_in_admin, entry):
        with translation.override("en"):
            change = signed_in_admin.post(
                reverse("admin:audit_auditentry_change", args=[entry.pk]),
                {"reason": "rewritten", "action": "x"},
            )
            delete = signed_in_admin.post(
                reverse("admin:audit_auditentry_delete", args=[entry.pk]), {"post": "yes"}
            )
            add = signed_in_admin.get(reverse("admin:audit_auditentry_add"))

        assert change.status_code == 403
        assert delete.status_code == 403
        assert add.status_code == 403
        assert AuditEntry.objects.get(pk=entry.pk).reason == "because"
