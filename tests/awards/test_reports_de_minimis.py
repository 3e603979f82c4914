"""De minimis: a company's aids over the window — the platform's confirmed awards in every
fund (the agreement's amount once there is one) and the aids it declares — against the
ceiling, shown to the committee with the aid proposed now."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone

from filiere.audit.models import AuditEntry
from filiere.awards.models import DeclaredAid
from filiere.awards.selectors_de_minimis import de_minimis_for_application
from filiere.awards.services_reports import declare_aid
from filiere.errors import Invalid, NotAllowed
from tests.awards.factories import agreement, awarded, open_call
from tests.calls.instruction_factories import ApplicationFactory, add_member
from tests.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


def _company_with_history():
    company = OrganisationFactory()
    # Two awards in two funds' calls, one with its agreement (amended down to 30 000 €).
    first, decision = awarded(open_call(), amount=Decimal("50000"), organisation=company)
    agreement(first, decision, amount=Decimal("30000"))
    awarded(open_call(), amount=Decimal("100000"), organisation=company)
    # An old award, outside the three years.
    _old, old_decision = awarded(open_call(), amount=Decimal("200000"), organisation=company)
    old_decision.confirmed_at = timezone.now() - timedelta(days=3 * 366 + 5)
    old_decision.save()
    pending = ApplicationFactory(
        call=open_call(), organisation=company, state="committee", requested_amount=Decimal("90000")
    )
    return company, pending


def test_the_total_counts_every_fund_and_the_declared_aids_within_the_window():
    company, pending = _company_with_history()
    DeclaredAid.objects.create(
        organisation=company,
        granter="Région Hauts-de-France",
        granted_on=timezone.localdate() - timedelta(days=100),
        amount=Decimal("40000"),
        declared_by=UserFactory(),
    )
    check = de_minimis_for_application(pending)
    outcome = check.outcome
    assert outcome.total_before == Decimal("170000.00")  # 30 000 + 100 000 + 40 000
    assert outcome.proposed == Decimal("90000.00")  # the amount requested
    assert outcome.total_after == Decimal("260000.00")
    assert not outcome.exceeded and outcome.headroom == Decimal("130000.00")
    assert [row.declared for row in check.rows].count(True) == 1
    over = de_minimis_for_application(pending, proposed=Decimal("130000.01"))
    assert over.outcome.exceeded


def test_another_companys_aids_do_not_count():
    company, pending = _company_with_history()
    awarded(open_call(), amount=Decimal("299000"), organisation=OrganisationFactory())
    assert de_minimis_for_application(pending).outcome.total_before == Decimal("130000.00")
    assert company.pk == pending.organisation_id


def test_the_committee_panel_shows_the_total_and_the_warning():
    _company, pending = _company_with_history()
    html = Template(
        "{% load awards_de_minimis %}{% de_minimis_panel application proposed %}"
    ).render(Context({"application": pending, "proposed": Decimal("200000")}))
    assert "De minimis" in html or "de minimis" in html
    assert 'role="alert"' in html  # 130 000 + 200 000 is above 300 000
    calm = Template("{% load awards_de_minimis %}{% de_minimis_panel application %}").render(
        Context({"application": pending})
    )
    assert 'role="alert"' not in calm


def test_the_team_declares_its_aids(client):
    application, _decision = awarded(open_call())
    member = UserFactory()
    add_member(application, member)
    with pytest.raises(NotAllowed):
        declare_aid(
            application=application,
            by=UserFactory(),
            granter="X",
            granted_on=timezone.localdate(),
            amount=Decimal(1),
        )
    with pytest.raises(Invalid):
        declare_aid(
            application=application,
            by=member,
            granter="X",
            granted_on=timezone.localdate() + timedelta(days=1),
            amount=Decimal(1),
        )
    client.force_login(member)
    url = reverse("awards:my_aids", args=[application.pk])
    response = client.post(
        url,
        {"granter": "Pictanovo", "granted_on": "2025-06-01", "amount": "12000"},
    )
    assert response.status_code == 302
    aid = DeclaredAid.objects.get()
    assert aid.organisation == application.organisation and aid.amount == Decimal("12000")
    assert AuditEntry.objects.filter(action="awards.aid.declared").exists()
    assert "Pictanovo" in client.get(url).content.decode()
    invitee = UserFactory()
    add_member(application, invitee, accepted=False)
    client.force_login(invitee)
    assert client.get(url).status_code == 404
    assert (
        client.post(url, {"granter": "X", "granted_on": "2025-01-01", "amount": "1"}).status_code
        == 404
    )
    assert DeclaredAid.objects.count() == 1
