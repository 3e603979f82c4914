"""The awards pages are reached from the pages before them: the committee's decision page shows
the company's de minimis check; the applicant's file links its agreement once sent; the call's
instruction pages link its agreements and the payments ledger. Each link only for those the
linked page lets in."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from filiere.awards.models import DeclaredAid
from tests.awards.factories import agreement, awarded, call_staff, open_call, staff
from tests.committee.factories import on_agenda, reviewed, session
from tests.factories import OrganisationFactory, UserFactory, add_member
from tests.review.factories import same_queries

pytestmark = pytest.mark.django_db


def _render(source: str, user, **context) -> str:
    request = RequestFactory().get("/")
    request.user = user
    return Template("{% load awards_links %}" + source).render(
        Context({"request": request, **context})
    )


# --- the committee's decision page --------------------------------------------------------------


def test_the_decision_page_shows_the_companys_aids_and_the_ceiling_at_constant_queries(client):
    company = OrganisationFactory()
    call = open_call()
    application = reviewed(call, [70], organisation=company, requested_amount=Decimal("90000"))
    meeting = session(call)
    on_agenda(meeting, application)
    earlier, _decision = awarded(open_call(), amount=Decimal("120000"), organisation=company)
    client.force_login(call_staff(call))
    url = reverse("committee:decide", args=[meeting.pk, application.pk])

    def another_aid():
        awarded(open_call(), amount=Decimal("1000"), organisation=company)
        DeclaredAid.objects.create(
            organisation=company,
            granter="Région Grand Est",
            granted_on=timezone.localdate(),
            amount=Decimal("500"),
            declared_by=UserFactory(),
        )

    page = same_queries(client, url, another_aid).content.decode()
    assert "De minimis aid" in page
    assert earlier.reference in page  # the earlier award, with its fund
    assert "Région Grand Est" in page
    assert "300\u00a0000" in page  # the ceiling
    assert "120\u00a0000" in page
    assert 'role="alert"' not in page  # 120 000 + 3 000 + 1 500 + 90 000 is below it


def test_the_decision_page_warns_above_the_ceiling(client):
    company = OrganisationFactory()
    call = open_call()
    application = reviewed(call, [70], organisation=company, requested_amount=Decimal("90000"))
    meeting = session(call)
    on_agenda(meeting, application)
    awarded(open_call(), amount=Decimal("250000"), organisation=company)
    client.force_login(call_staff(call))
    page = client.get(reverse("committee:decide", args=[meeting.pk, application.pk]))
    assert "above the de minimis ceiling" in page.content.decode()


# --- the applicant's file -----------------------------------------------------------------------


def test_the_team_reaches_its_agreement_once_it_is_sent(client):
    application, decision = awarded()
    made = agreement(application, decision)  # a draft: the team does not see it yet
    teammate = add_member(application, UserFactory()).user
    detail = reverse("calls:application_detail", args=[application.pk])
    target = reverse("awards:my_agreement", args=[made.pk])
    client.force_login(application.lead)
    page = client.get(detail).content.decode()
    assert "Decision: Award" in page
    assert target not in page
    made.status = "sent"
    made.save()
    for reader in (application.lead, teammate):
        client.force_login(reader)
        page = client.get(detail).content.decode()
        assert target in page and "Your grant agreement" in page
        assert client.get(target).status_code == 200


def test_nobody_else_gets_the_agreements_link():
    application, decision = awarded()
    agreement(application, decision, status="signed")
    invitee = add_member(application, UserFactory(), accepted=False).user
    other_application, _ = awarded()
    source = "{% agreement_link application as link %}[{{ link.url }}]"
    for user in (invitee, other_application.lead, call_staff(application.call), UserFactory()):
        assert _render(source, user, application=application) == "[]"
    assert "/my/" in _render(source, application.lead, application=application)


# --- the staff's pages of a call ----------------------------------------------------------------


def test_the_calls_staff_reach_its_agreements_and_the_ledger(client):
    call = open_call()
    client.force_login(call_staff(call))
    page = client.get(reverse("calls:staff_applications", args=[call.slug])).content.decode()
    agreements = reverse("awards:call_agreements", args=[call.slug])
    ledger = reverse("awards:ledger")
    assert agreements in page and ledger in page
    assert client.get(agreements).status_code == 200
    assert client.get(ledger).status_code == 200
    calls = client.get(reverse("calls:staff_calls")).content.decode()
    assert ledger in calls


def test_the_staff_links_are_for_the_calls_staff_only():
    call = open_call()
    other_staff = call_staff(open_call())
    applicant, _ = awarded(call)
    source = "{% call_agreements_url call as url %}[{{ url }}]"
    assert _render(source, other_staff, call=call) == "[]"
    assert _render(source, applicant.lead, call=call) == "[]"
    assert call.slug in _render(source, staff(), call=call)
    ledger = "{% payments_ledger_url as url %}[{{ url }}]"
    assert _render(ledger, applicant.lead) == "[]"
    assert _render(ledger, other_staff) == f"[{reverse('awards:ledger')}]"


def test_the_instruction_list_keeps_constant_queries_with_agreements(client):
    call = open_call()
    client.force_login(call_staff(call))

    def another_agreement():
        application, decision = awarded(call)
        agreement(application, decision, status="sent")

    another_agreement()
    same_queries(client, reverse("calls:staff_applications", args=[call.slug]), another_agreement)
