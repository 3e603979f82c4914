"""The expert pool of a fund: staff invite (by e-mail or from the directory), the invitee
accepts and becomes an expert of that fund (with a second factor), staff remove with a reason."""

import pytest
from django.core import mail
from django.urls import reverse

from filiere.accounts.models import Role
from filiere.audit.models import AuditEntry
from filiere.review.models import Expert, ExpertStatus
from tests.calls.instruction_factories import FundFactory
from tests.review.factories import (
    PersonFactory,
    UserFactory,
    call_staff,
    expert,
    fund_staff,
    open_call,
    other_fund,
    staff,
)

pytestmark = pytest.mark.django_db


def _invite(client, fund, email):
    return client.post(reverse("review:pool_invite", args=[fund.slug]), {"email": email})


def test_staff_invite_by_email_and_the_invitee_accepts(client, django_capture_on_commit_callbacks):
    fund = FundFactory()
    client.force_login(staff())
    with django_capture_on_commit_callbacks(execute=True):
        response = _invite(client, fund, "reader@example.org")

    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["reader@example.org"]
    row = Expert.objects.get(fund=fund, email="reader@example.org")
    link = reverse("review:invitation", args=[row.token])
    assert link in mail.outbox[0].body
    page = client.get(reverse("review:pool", args=[fund.slug]))
    assert "reader@example.org" in page.content.decode()
    assert "Invited" in page.content.decode()

    invitee = UserFactory(email="reader@example.org")
    client.force_login(invitee)
    assert client.get(link).status_code == 200
    response = client.post(link)

    assert response.status_code == 302
    assert response["Location"] == reverse("review:my_expertise")
    row.refresh_from_db()
    assert (row.status, row.user) == (ExpertStatus.ACTIVE, invitee)
    invitee.refresh_from_db()
    assert invitee.has_role(Role.EXPERT, scope_type="fund", scope_id=fund.pk)
    assert not invitee.has_role(Role.EXPERT, scope_type="fund", scope_id=other_fund().pk)
    # Experts use a second factor: the next page asks to set one up.
    assert client.get(reverse("review:my_expertise"))["Location"] == reverse("mfa_activate_totp")
    assert AuditEntry.objects.filter(action="review.expert.invited").count() == 1
    assert AuditEntry.objects.filter(action="review.expert.joined", actor=invitee).count() == 1


def test_an_invitation_is_accepted_only_with_the_invited_address(client):
    fund = FundFactory()
    client.force_login(staff())
    _invite(client, fund, "reader@example.org")
    row = Expert.objects.get(email="reader@example.org")
    intruder = UserFactory(email="intruder@example.org")
    client.force_login(intruder)

    response = client.post(reverse("review:invitation", args=[row.token]), follow=True)

    assert "This invitation was sent to reader@example.org" in response.content.decode()
    row.refresh_from_db()
    assert row.status == ExpertStatus.INVITED
    intruder.refresh_from_db()
    assert not intruder.has_role_anywhere(Role.EXPERT)


def test_an_anonymous_visitor_is_asked_to_sign_in_to_accept(client):
    fund = FundFactory()
    client.force_login(staff())
    _invite(client, fund, "reader@example.org")
    row = Expert.objects.get(email="reader@example.org")
    client.logout()
    link = reverse("review:invitation", args=[row.token])

    assert client.get(link).status_code == 200
    response = client.post(link)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert client.get(reverse("review:invitation", args=["not-a-token"])).status_code == 404


def test_staff_invite_a_person_of_the_directory(client):
    fund = FundFactory()
    person = PersonFactory(user=UserFactory(), first_name="Amina", last_name="Lefebvre")
    client.force_login(staff())

    page = client.get(reverse("review:pool", args=[fund.slug]), {"q": "lefeb"})
    assert "Amina Lefebvre" in page.content.decode()
    response = client.post(reverse("review:pool_invite_person", args=[fund.slug, person.pk]))

    assert response.status_code == 302
    row = Expert.objects.get(fund=fund)
    assert (row.user, row.email, row.status) == (person.user, person.user.email, "invited")


def test_a_person_without_account_is_invited_by_email_instead(client):
    fund = FundFactory()
    person = PersonFactory(user=None)
    client.force_login(staff())

    response = client.post(
        reverse("review:pool_invite_person", args=[fund.slug, person.pk]), follow=True
    )

    assert "has no account on the platform" in response.content.decode()
    assert not Expert.objects.exists()


def test_inviting_twice_says_so_and_keeps_the_address(client):
    fund = FundFactory()
    client.force_login(staff())
    _invite(client, fund, "reader@example.org")

    response = _invite(client, fund, "Reader@Example.org")

    assert response.status_code == 200
    content = response.content.decode()
    assert "is already in this fund&#x27;s pool" in content
    assert 'value="Reader@Example.org"' in content
    assert Expert.objects.count() == 1


def test_a_bad_address_is_refused_with_a_message(client):
    client.force_login(staff())

    response = _invite(client, FundFactory(), "not an address")

    assert response.status_code == 200
    assert "Saisissez une adresse de courriel valide." in response.content.decode()
    assert 'value="not an address"' in response.content.decode()


def test_staff_remove_an_expert_with_a_reason(client):
    fund = FundFactory()
    reader = expert(fund)
    row = Expert.objects.get(user=reader)
    client.force_login(staff())
    url = reverse("review:pool_remove", args=[fund.slug, row.pk])

    assert client.get(url).status_code == 200
    refused = client.post(url, {"reason": " "})
    assert refused.status_code == 200
    row.refresh_from_db()
    assert row.status == ExpertStatus.ACTIVE

    response = client.post(url, {"reason": "Moved abroad"})

    assert response.status_code == 302
    row.refresh_from_db()
    assert row.status == ExpertStatus.LEFT
    reader.refresh_from_db()
    assert not reader.has_role(Role.EXPERT, scope_type="fund", scope_id=fund.pk)
    entry = AuditEntry.objects.get(action="review.expert.removed")
    assert entry.reason == "Moved abroad"
    page = client.get(reverse("review:pool", args=[fund.slug])).content.decode()
    assert "Left" in page


def test_someone_who_left_may_be_invited_again(client):
    fund = FundFactory()
    reader = expert(fund)
    client.force_login(staff())
    row = Expert.objects.get(user=reader)
    client.post(reverse("review:pool_remove", args=[fund.slug, row.pk]), {"reason": "pause"})

    response = _invite(client, fund, reader.email)

    assert response.status_code == 302
    row.refresh_from_db()
    assert row.status == ExpertStatus.INVITED


def test_the_pools_page_counts_each_status(client):
    fund = FundFactory()
    expert(fund)
    expert(fund)
    client.force_login(staff())
    _invite(client, fund, "reader@example.org")

    page = client.get(reverse("review:pools")).content.decode()

    assert fund.name in page
    assert "<td>2</td><td>1</td><td>0</td>" in page


def test_the_staff_of_one_fund_manage_only_its_pool(client):
    fund, other = FundFactory(), other_fund()
    client.force_login(fund_staff(fund))

    assert client.get(reverse("review:pool", args=[fund.slug])).status_code == 200
    assert client.get(reverse("review:pool", args=[other.slug])).status_code == 403
    assert _invite(client, other, "x@example.org").status_code == 403
    pools = client.get(reverse("review:pools")).content.decode()
    assert fund.name in pools
    assert other.name not in pools


def test_the_staff_of_a_call_do_not_manage_its_funds_pool(client):
    call = open_call()
    client.force_login(call_staff(call))

    assert client.get(reverse("review:pools")).status_code == 403
    assert client.get(reverse("review:pool", args=[call.fund.slug])).status_code == 403
    assert _invite(client, call.fund, "x@example.org").status_code == 403


def test_an_expert_cannot_see_the_pool(client):
    fund = FundFactory()
    client.force_login(expert(fund))

    assert client.get(reverse("review:pool", args=[fund.slug])).status_code == 403


def test_the_pool_page_costs_the_same_queries_for_more_experts(
    client, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    fund = FundFactory()
    expert(fund)
    client.force_login(staff())
    url = reverse("review:pool", args=[fund.slug])
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for _ in range(5):
        expert(fund)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)

    assert response.status_code == 200
    assert len(many.captured_queries) == len(few.captured_queries)


def test_staff_read_an_experts_expertise_availability_and_declarations(client):
    from filiere.review import services
    from filiere.review.models import Availability
    from tests.factories import OrganisationFactory

    fund = FundFactory()
    call = open_call(fund)
    reader = expert(fund, first_name="Alice", last_name="Martel")
    row = Expert.objects.get(user=reader)
    reader.expertise.about = "Serious games since 2001."
    reader.expertise.save()
    Availability.objects.create(expert=row, call=call, available=True, max_load=7)
    services.declare_conflict(
        by=reader, kind="competitor", reason="My old rival.", organisation=OrganisationFactory()
    )
    client.force_login(staff())

    page = client.get(reverse("review:pool_expert", args=[fund.slug, row.pk])).content.decode()

    assert "Alice Martel" in page
    assert "Serious games since 2001." in page
    assert "7 applications at most" in page
    assert "My old rival." in page


def test_an_expert_of_another_pool_is_not_found_through_this_fund(client):
    fund, other = FundFactory(), other_fund()
    row = Expert.objects.get(user=expert(other))
    client.force_login(fund_staff(fund))

    assert client.get(reverse("review:pool_expert", args=[fund.slug, row.pk])).status_code == 404
    assert (
        client.post(
            reverse("review:pool_remove", args=[fund.slug, row.pk]), {"reason": "x"}
        ).status_code
        == 404
    )
    row.refresh_from_db()
    assert row.status == ExpertStatus.ACTIVE
