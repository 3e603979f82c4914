"""Administrators grant and revoke roles from a page (globally, for a fund or for a call), always
with a reason kept in the audit log; nobody else reaches that page."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from filiere.accounts import scopes
from filiere.accounts.models import ApiToken, Role, RoleGrant
from filiere.accounts.services import (
    InvalidRequest,
    PermissionDenied,
    create_api_token,
    grant_role,
    revoke_role,
)
from filiere.audit.models import AuditEntry
from tests.calls.instruction_factories import CallFactory

from .factories import UserFactory, activate_totp, sign_in, user_with_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    admin = user_with_role(Role.ADMIN, with_totp=False)
    sign_in(client, admin, secret=activate_totp(admin))
    client.admin = admin
    return client


def test_admin_grants_a_role_for_one_call_with_a_reason(admin_client):
    person = UserFactory(email="reviewer@example.org")
    call = CallFactory()

    response = admin_client.post(
        reverse("roles:list"),
        {
            "email": "Reviewer@example.org",
            "role": Role.EXPERT,
            "scope": f"call:{call.pk}",
            "reason": "expert pool 2025",
        },
    )

    assert response.status_code == 302
    grant = RoleGrant.objects.get(user=person)
    assert (grant.role, grant.scope_type, grant.scope_id) == ("expert", "call", call.pk)
    assert grant.granted_by == admin_client.admin
    entry = AuditEntry.objects.get(action="accounts.role.grant", object_id=str(person.pk))
    assert entry.actor == admin_client.admin
    assert entry.reason == "expert pool 2025"
    assert entry.data == {"role": "expert", "scope_type": "call", "scope_id": call.pk}
    listing = admin_client.get(reverse("roles:list")).content.decode()
    assert "reviewer@example.org" in listing
    assert f"Call for projects: {call}" in listing


def test_admin_grants_a_role_for_a_fund_or_the_whole_platform(admin_client):
    person = UserFactory()
    call = CallFactory()

    for scope in (f"fund:{call.fund.pk}", ""):
        admin_client.post(
            reverse("roles:list"),
            {"email": person.email, "role": Role.STAFF, "scope": scope, "reason": "new hire"},
        )

    assert set(RoleGrant.objects.filter(user=person).values_list("scope_type", "scope_id")) == {
        ("fund", call.fund.pk),
        ("", 0),
    }


def test_the_administrator_role_cannot_be_scoped_to_a_call(admin_client):
    # An administrator reaches the Django admin (every account, profile and audit entry): a
    # "call administrator" would have been a superuser able to reset anyone's password.
    person = UserFactory(email="someone@example.org")
    call = CallFactory()

    response = admin_client.post(
        reverse("roles:list"),
        {"email": person.email, "role": Role.ADMIN, "scope": f"call:{call.pk}", "reason": "x"},
    )

    assert response.status_code == 200
    assert "The administrator role is for the whole platform" in response.content.decode()
    person.refresh_from_db()
    assert not RoleGrant.objects.filter(user=person).exists()
    assert (person.is_staff, person.is_superuser) == (False, False)


def test_django_admin_access_follows_the_global_administrator_grant_only():
    admin = user_with_role(Role.ADMIN)
    other = user_with_role(Role.ADMIN)
    staff_grant = grant_role(user=admin, role=Role.STAFF, by=other, reason="also instructs")

    revoke_role(grant=staff_grant, by=other, reason="no longer")
    admin.refresh_from_db()
    assert (admin.is_staff, admin.is_superuser) == (True, True)

    revoke_role(grant=RoleGrant.objects.get(user=admin, role=Role.ADMIN), by=other, reason="left")
    admin.refresh_from_db()
    assert (admin.is_staff, admin.is_superuser) == (False, False)


def test_a_grant_without_reason_is_refused_with_a_message(admin_client):
    person = UserFactory()

    response = admin_client.post(
        reverse("roles:list"), {"email": person.email, "role": Role.STAFF, "reason": "  "}
    )

    assert response.status_code == 200
    assert "Give a reason" in response.content.decode()
    assert not RoleGrant.objects.filter(user=person).exists()


def test_a_grant_for_an_unknown_address_is_refused(admin_client):
    response = admin_client.post(
        reverse("roles:list"),
        {"email": "nobody@example.org", "role": Role.STAFF, "reason": "typo"},
    )

    assert response.status_code == 200
    assert "No active account uses this address." in response.content.decode()


def test_granting_a_role_that_requires_mfa_from_the_page_revokes_the_api_tokens(admin_client):
    person = UserFactory()
    token, _key = create_api_token(user=person, name="script")

    admin_client.post(
        reverse("roles:list"),
        {"email": person.email, "role": Role.COMMITTEE, "reason": "session 2025"},
    )

    assert ApiToken.objects.get(pk=token.pk).revoked_at is not None


def test_admin_revokes_a_grant_with_a_reason(admin_client):
    person = UserFactory(email="former@example.org")
    grant = grant_role(user=person, role=Role.STAFF, by=None)
    url = reverse("roles:revoke", args=[grant.pk])

    confirm = admin_client.get(url)
    without_reason = admin_client.post(url, {"reason": ""})
    assert confirm.status_code == 200 and "former@example.org" in confirm.content.decode()
    assert without_reason.status_code == 200
    assert RoleGrant.objects.get(pk=grant.pk).revoked_at is None

    done = admin_client.post(url, {"reason": "left the agency"})

    assert done.status_code == 302
    assert RoleGrant.objects.get(pk=grant.pk).revoked_at is not None
    entry = AuditEntry.objects.get(action="accounts.role.revoke")
    assert (entry.actor, entry.reason) == (admin_client.admin, "left the agency")
    assert "former@example.org" not in admin_client.get(reverse("roles:list")).content.decode()


def test_the_last_administrator_cannot_revoke_their_own_role(admin_client):
    grant = RoleGrant.objects.get(user=admin_client.admin, role=Role.ADMIN)

    response = admin_client.post(reverse("roles:revoke", args=[grant.pk]), {"reason": "oops"})

    assert response.status_code == 200
    assert "last administrator" in response.content.decode()
    assert RoleGrant.objects.get(pk=grant.pk).revoked_at is None


def test_the_list_filters_by_person_and_role(admin_client):
    ada = UserFactory(first_name="Ada", last_name="Lovelace", email="ada@example.org")
    bob = UserFactory(first_name="Bob", last_name="Morane", email="bob@example.org")
    grant_role(user=ada, role=Role.STAFF, by=None)
    grant_role(user=ada, role=Role.APPLICANT, by=None)
    grant_role(user=bob, role=Role.STAFF, by=None)

    by_person = admin_client.get(reverse("roles:list"), {"user": "lovelace"}).content.decode()
    by_role = admin_client.get(reverse("roles:list"), {"role": "applicant"}).content.decode()

    assert "ada@example.org" in by_person and "bob@example.org" not in by_person
    assert "ada@example.org" in by_role and "bob@example.org" not in by_role


def test_the_list_reads_a_constant_number_of_queries(admin_client):
    def count():
        with CaptureQueriesContext(connection) as queries:
            assert admin_client.get(reverse("roles:list")).status_code == 200
        return len(queries)

    grant_role(user=UserFactory(), role=Role.EXPERT, by=None, scope=CallFactory())
    few = count()
    for _ in range(5):
        grant_role(user=UserFactory(), role=Role.EXPERT, by=None, scope=CallFactory())
        grant_role(user=UserFactory(), role=Role.STAFF, by=None)

    assert count() == few


def test_the_page_has_labelled_fields_and_table_headers(admin_client):
    grant_role(user=UserFactory(), role=Role.STAFF, by=None)

    page = admin_client.get(reverse("roles:list")).content.decode()

    for field in ("id_email", "id_role", "id_scope", "id_reason", "id_user"):
        assert f'for="{field}"' in page
    assert page.count('<th scope="col">') >= 4


@pytest.mark.parametrize("role", [None, Role.STAFF, Role.EXPERT, Role.COMMITTEE])
def test_only_administrators_reach_the_page(client, role):
    user = user_with_role(role, with_totp=False)
    secret = activate_totp(user) if role else None
    sign_in(client, user, secret=secret)

    assert client.get(reverse("roles:list")).status_code == 403


def test_administrator_without_second_factor_is_sent_to_set_one_up(client):
    sign_in(client, user_with_role(Role.ADMIN, with_totp=False))

    response = client.get(reverse("roles:list"))

    assert response["Location"] == reverse("mfa_activate_totp")


def test_services_refuse_non_administrators_and_missing_reasons():
    staff = user_with_role(Role.STAFF)
    admin = user_with_role(Role.ADMIN)
    person = UserFactory()

    with pytest.raises(PermissionDenied):
        grant_role(user=person, role=Role.STAFF, by=staff, reason="because")
    with pytest.raises(InvalidRequest):
        grant_role(user=person, role=Role.STAFF, by=admin, reason="")
    grant = grant_role(user=person, role=Role.STAFF, by=admin, reason="because")
    with pytest.raises(InvalidRequest):
        revoke_role(grant=grant, by=admin, reason=" ")


def test_scope_types_form_a_registry_that_another_app_can_extend():
    assert {kind.code for kind in scopes.registered()} >= {"fund", "call"}
    call = CallFactory()

    assert scopes.describe("call", call.pk) == f"Call for projects: {call}"
    assert scopes.describe("organisation", 12) == "organisation 12"
    with pytest.raises(ValueError):
        scopes.register("call", label="Call", model="accounts.User")


def test_administrators_find_the_page_in_the_navigation(admin_client):
    assert (
        f'href="{reverse("roles:list")}"' in admin_client.get(reverse("ui:home")).content.decode()
    )

    staff = user_with_role(Role.STAFF, with_totp=False)
    other = type(admin_client)()
    sign_in(other, staff, secret=activate_totp(staff))
    assert f'href="{reverse("roles:list")}"' not in other.get(reverse("ui:home")).content.decode()


@pytest.mark.parametrize("crafted", ["call:²", "call:" + "9" * 5000, "call:"])
def test_a_crafted_scope_is_refused_with_a_message_not_a_server_error(admin_client, crafted):
    UserFactory(email="reviewer@example.org")
    response = admin_client.post(
        reverse("roles:list"),
        {"email": "reviewer@example.org", "role": Role.EXPERT, "scope": crafted, "reason": "x"},
    )
    assert response.status_code in (200, 400)
    assert not RoleGrant.objects.filter(user__email="reviewer@example.org").exists()
