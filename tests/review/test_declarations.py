"""Declaring conflicts from the pages: the expert names people or organisations of the
directory; the applicant asks to exclude someone without ever learning who is an expert."""

import re

import pytest
from django.urls import reverse

from filiere.review.models import Declaration, DeclarationSource
from tests.calls.instruction_factories import CallFactory, FundFactory, add_member
from tests.factories import OrganisationFactory
from tests.review.factories import PersonFactory, UserFactory, application, expert

pytestmark = pytest.mark.django_db

MY_CONFLICTS = reverse("review:my_conflicts")


def test_an_expert_searches_then_declares_and_nothing_typed_is_lost(client):
    rival = OrganisationFactory(name="Rival Prod")
    client.force_login(expert())
    typed = {"kind": "competitor", "reason": "Same broadcasters.", "q": "rival"}

    searched = client.post(MY_CONFLICTS, {**typed, "search": "1"})
    assert searched.status_code == 200
    page = searched.content.decode()
    assert "Rival Prod" in page
    assert "Same broadcasters." in page
    assert 'class="error"' not in page

    missing = client.post(MY_CONFLICTS, {**typed, "save": "1"})
    assert missing.status_code == 200
    assert "Search for a name, then choose" in missing.content.decode()
    assert "Same broadcasters." in missing.content.decode()

    saved = client.post(MY_CONFLICTS, {**typed, "party": f"organisation:{rival.pk}", "save": "1"})
    assert saved.status_code == 302
    declaration = Declaration.objects.get()
    assert (declaration.source, declaration.organisation, declaration.kind) == (
        DeclarationSource.EXPERT,
        rival,
        "competitor",
    )
    assert "Rival Prod" in client.get(MY_CONFLICTS).content.decode()


def test_an_expert_cannot_name_a_profile_they_may_not_see(client):
    hidden = PersonFactory(visibility="private", user=UserFactory(), last_name="Cachée")
    client.force_login(expert())

    response = client.post(
        MY_CONFLICTS,
        {"kind": "family", "reason": "x", "q": "Cachée", "party": f"person:{hidden.pk}", "save": 1},
    )

    assert response.status_code == 200
    assert f'value="person:{hidden.pk}"' not in response.content.decode()
    assert not Declaration.objects.exists()


def test_a_missing_reason_and_type_get_messages(client):
    rival = OrganisationFactory(name="Rival Prod")
    client.force_login(expert())

    response = client.post(
        MY_CONFLICTS, {"q": "rival", "party": f"organisation:{rival.pk}", "save": "1"}
    )

    assert response.status_code == 200
    assert response.content.decode().count('class="error"') == 2


def _exclusions_page(client, app, person, **extra):
    data = {
        "kind": "competitor",
        "reason": "A competing project.",
        "q": person.last_name,
        "party": f"person:{person.pk}",
        "save": "1",
        **extra,
    }
    return client.post(reverse("review:exclusions", args=[app.pk]), data, follow=True)


def _without_names(html, *names):
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)
    html = re.sub(r"person:\d+", "person:N", html)
    html = re.sub(r"/(applications|declarations)/\d+/", r"/\1/N/", html)
    for name in names:
        html = html.replace(name, "NAME")
    return html


def test_the_applicant_cannot_learn_whether_someone_is_an_expert(client):
    fund = FundFactory()
    call = CallFactory(fund=fund)
    in_pool = expert(fund, first_name="Alice", last_name="Martel")
    outsider = PersonFactory(user=UserFactory(), first_name="Bruno", last_name="Dehors")
    first, second = application(call), application(call)
    second.lead = first.lead
    second.save()
    client.force_login(first.lead)

    named_expert = _exclusions_page(client, first, in_pool.person)
    named_outsider = _exclusions_page(client, second, outsider)

    assert named_expert.status_code == named_outsider.status_code == 200
    assert _without_names(
        named_expert.content.decode(), "Alice Martel", "Martel", first.reference
    ) == _without_names(named_outsider.content.decode(), "Bruno Dehors", "Dehors", second.reference)
    assert Declaration.objects.filter(source=DeclarationSource.APPLICANT).count() == 2


def test_team_members_who_accepted_may_ask_too_but_nobody_else(client):
    app = application(CallFactory())
    member = UserFactory()
    add_member(app, member)
    person = PersonFactory(user=UserFactory())
    url = reverse("review:exclusions", args=[app.pk])

    client.force_login(member)
    assert client.get(url).status_code == 200
    client.force_login(UserFactory())
    assert client.get(url).status_code == 404
    assert _exclusions_page(client, app, person).status_code == 404
    assert not Declaration.objects.exists()


def test_an_applicant_cannot_name_themselves(client):
    app = application(CallFactory())
    me = PersonFactory(user=app.lead, last_name="Moimeme")
    client.force_login(app.lead)

    response = _exclusions_page(client, app, me)

    assert "You cannot name yourself." in response.content.decode()
    assert not Declaration.objects.exists()


def test_the_declarant_withdraws_and_the_conflict_is_gone(client):
    from filiere.audit.models import AuditEntry
    from filiere.review import selectors, services

    fund = FundFactory()
    call = CallFactory(fund=fund)
    rival = OrganisationFactory(name="Rival Prod")
    reader = expert(fund)
    app = application(call, organisation=rival)
    mine = services.declare_conflict(by=reader, kind="other", reason="x", organisation=rival)
    theirs = services.request_exclusion(
        application=app, by=app.lead, kind="other", reason="y", person=reader.person
    )
    assert selectors.conflicted_pairs(call)
    withdraw = "review:declaration_withdraw"

    client.force_login(reader)
    assert client.post(reverse(withdraw, args=[theirs.pk])).status_code == 404
    assert client.post(reverse(withdraw, args=[mine.pk])).status_code == 302
    assert "Rival Prod" not in client.get(MY_CONFLICTS).content.decode()
    client.force_login(app.lead)
    assert client.post(reverse(withdraw, args=[mine.pk])).status_code == 404
    response = client.post(reverse(withdraw, args=[theirs.pk]))
    assert response["Location"] == reverse("review:exclusions", args=[app.pk])

    assert selectors.conflicted_pairs(call) == frozenset()
    assert Declaration.objects.filter(withdrawn_at__isnull=False).count() == 2
    assert AuditEntry.objects.filter(action="review.conflict.withdrawn").count() == 2
