"""The regional-spend ledger: invoices declared with a checked SIRET or Belgian enterprise
number and a place, whether each counts decided from the agreement's territories, the ratio
achieved, and the final tranche reduced by the engine's rule when it is missed — with the
computation kept and put in words."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from filiere.audit.models import AuditEntry
from filiere.awards import services_spend as services
from filiere.awards.models import SpendLine
from filiere.awards.phrases_follow_up import spend_steps
from filiere.awards.selectors_spend import computation_from_record, spend_computation
from filiere.community.models import Commune, Territory
from filiere.errors import Invalid, NotAllowed, ServiceError
from tests.awards.follow_up_factories import (
    BCE,
    SIRET,
    ask,
    eligible_place,
    invoice,
    pay,
    signed_case,
    submit,
)

pytestmark = pytest.mark.django_db


def _outside_commune():
    territory = Territory.objects.exclude(code__in=["mel"]).filter(kind="epci").first()
    return Commune.objects.filter(territory=territory).first() or Commune.objects.create(
        insee_code="59606", siren="215906066", name="Valenciennes", territory=territory
    )


@pytest.mark.parametrize(
    "raw, kind, compact",
    [
        (SIRET, "siret", SIRET),
        ("732 829 320 00074", "siret", SIRET),
        (BCE, "bce", BCE),
        ("BE 0403.019.261", "bce", BCE),
        ("403019261", "bce", BCE),
    ],
)
def test_supplier_numbers_are_checked_and_compacted(raw, kind, compact):
    assert services.normalise_supplier_id(raw) == (kind, compact)


@pytest.mark.parametrize("raw", ["", "73282932000075", "0403019262", "12345", "ABCDEFGHIJKLMN"])
def test_a_wrong_supplier_number_is_refused(raw):
    with pytest.raises(Invalid) as error:
        services.normalise_supplier_id(raw)
    assert error.value.code == "awards.spend.supplier_id_invalid"


def test_an_invoice_counts_only_in_the_agreements_territories():
    case = signed_case(territories=["mel", "wallonia"])
    inside = invoice(case, Decimal("1000"))
    assert inside.eligible and inside.commune == eligible_place(case.agreement)
    outside = services.declare_invoice(
        agreement=case.agreement,
        by=case.member,
        supplier_name="Loueur",
        supplier_id=SIRET,
        amount=Decimal("500"),
        commune=_outside_commune(),
    )
    assert not outside.eligible
    elsewhere = invoice(case, Decimal("300"), eligible=False)
    assert not elsewhere.eligible and elsewhere.commune is None
    wallonia = services.declare_invoice(
        agreement=case.agreement,
        by=case.lead,
        supplier_name="Studio liégeois",
        supplier_id="BE0403019261",
        amount=Decimal("700"),
        region="wallonia",
    )
    assert wallonia.eligible and wallonia.supplier_id == BCE
    flanders = services.declare_invoice(
        agreement=case.agreement,
        by=case.lead,
        supplier_name="Gent Post",
        supplier_id=BCE,
        amount=Decimal("200"),
        region="flanders",
    )
    assert not flanders.eligible
    entry = AuditEntry.objects.filter(action="awards.spend.declared").latest("pk")
    assert entry.data["eligible"] is False and entry.data["region"] == "flanders"


def test_the_place_must_match_the_supplier_number():
    case = signed_case()
    with pytest.raises(Invalid) as error:
        services.declare_invoice(
            agreement=case.agreement,
            by=case.lead,
            supplier_name="X",
            supplier_id=SIRET,
            amount=Decimal(1),
            region="wallonia",
        )
    assert error.value.code == "awards.spend.region_needs_bce"
    with pytest.raises(Invalid) as error:
        services.declare_invoice(
            agreement=case.agreement,
            by=case.lead,
            supplier_name="X",
            supplier_id=BCE,
            amount=Decimal(1),
        )
    assert error.value.code == "awards.spend.place_missing"
    with pytest.raises(Invalid):
        invoice(case, Decimal("0"))
    assert not SpendLine.objects.exists()


def test_only_the_team_declares_and_staff_cannot():
    case = signed_case()
    for person in (case.staff, signed_case().lead):
        with pytest.raises(NotAllowed):
            services.declare_invoice(
                agreement=case.agreement,
                by=person,
                supplier_name="X",
                supplier_id=SIRET,
                amount=Decimal(1),
            )


def test_the_ratio_is_live_and_met():
    case = signed_case(amount=Decimal("40000"))  # 100 % required: 40 000 €
    invoice(case, Decimal("30000"))
    computation = spend_computation(case.agreement)
    assert computation.outcome.ratio == Decimal("0.75") and not computation.outcome.met
    invoice(case, Decimal("10000"))
    outcome = spend_computation(case.agreement).outcome
    assert outcome.met and outcome.final_tranche == Decimal("8000.00")


def _to_final(case):
    pay(case, 0)
    submit(case, "mid_term")
    pay(case, 1)
    submit(case, "final")


def test_the_final_tranche_is_reduced_when_the_ratio_is_missed():
    # 40 000 € at 150 %: 60 000 € required; 54 000 € eligible: 6 000 € short; reduction
    # 40 000 x 6 000 / 60 000 = 4 000 €; the final tranche of 8 000 € becomes 4 000 €.
    case = signed_case(amount=Decimal("40000"))
    case.agreement.spend_ratio = Decimal("1.50")
    case.agreement.save()
    invoice(case, Decimal("54000"))
    invoice(case, Decimal("9999"), eligible=False)
    _to_final(case)
    request = ask(case, 2)
    assert request.amount == Decimal("4000.00")
    assert request.computation["required"] == "60000.00"
    assert request.computation["award_reduction"] == "4000.00"
    assert request.computation["steps"][-1] == "final_tranche_reduced"
    # The ledger is frozen once the final tranche is asked for.
    with pytest.raises(ServiceError) as error:
        invoice(case, Decimal("6000"))
    assert error.value.code == "awards.spend.locked"
    from django.utils import timezone

    from filiere.awards.services_payments import approve_payment, record_payment

    approve_payment(request=request, by=case.staff)
    approve_payment(request=request, by=case.second_staff)
    record_payment(request=request, by=case.staff, paid_on=timezone.localdate())
    final = case.agreement.tranches.get(position=2)
    assert final.status == "reduced" and final.paid_amount == Decimal("4000.00")
    stored = computation_from_record(request.computation)
    words = spend_steps(stored.outcome, stored.rule)
    assert len(words) == len(request.computation["steps"])
    assert any("4" in line and "000" in line for line in words)


def test_the_pages_show_the_ratio_and_the_computation_in_words(client):
    case = signed_case(amount=Decimal("40000"))
    client.force_login(case.lead)
    url = reverse("awards:my_spend", args=[case.agreement.pk])
    commune = eligible_place(case.agreement)
    response = client.post(
        url,
        {
            "supplier_name": "Studio du Nord",
            "supplier_id": SIRET,
            "commune": commune.pk,
            "amount": "30000",
            "category": "crew",
            "invoice_number": "F-1",
            "invoice_date": "2026-01-15",
        },
    )
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert "Studio du Nord" in page and "75" in page
    assert "<ol>" in page  # the steps
    # The gauge reads numbers, not French text ("30 000,00" would leave it empty).
    assert 'value="30000' in page and 'max="40000' in page
    bad = client.post(
        url, {"supplier_name": "X", "supplier_id": "123", "amount": "1", "category": "crew"}
    )
    assert bad.status_code == 400
    assert SpendLine.objects.count() == 1
    client.force_login(case.staff)
    staff_page = client.get(reverse("awards:spend", args=[case.agreement.pk])).content.decode()
    assert "Studio du Nord" in staff_page and "/withdraw/" not in staff_page
    data = client.get(f"/api/v1/agreements/{case.agreement.pk}/spend").json()
    assert data["eligible_spend"] == "30000.00" or float(data["eligible_spend"]) == 30000
    assert data["met"] is False and data["steps"][0] == "eligible_spend_summed"
    assert len(data["explanation"]) == len(data["steps"])


def test_an_invoice_is_withdrawn_while_the_ledger_is_open(client):
    case = signed_case()
    line = invoice(case, Decimal("100"))
    client.force_login(case.member)
    response = client.post(reverse("awards:spend_withdraw", args=[case.agreement.pk, line.pk]))
    assert response.status_code == 302
    assert not SpendLine.objects.exists()
    assert AuditEntry.objects.filter(action="awards.spend.withdrawn").exists()


def test_an_amendment_of_the_territories_is_read_at_once():
    from filiere.awards.selectors_spend import spend_lines

    case = signed_case(amount=Decimal("40000"), territories=["mel"])
    invoice(case, Decimal("40000"))
    assert spend_computation(case.agreement).outcome.met
    case.agreement.spend_territories = ["valenciennes"]
    case.agreement.save()
    assert not spend_computation(case.agreement).outcome.met
    assert [line.eligible for line in spend_lines(case.agreement)] == [False]
