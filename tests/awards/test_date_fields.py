"""The follow-up's date fields are the browser's date pickers, which read only ISO dates. The
payment date the staff record is today by default: a French page wrote it "04/12/2026", which
a date picker shows as empty, so the staff had to type the date before recording a payment
(found by the browser test of the follow-up)."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from filiere.awards import services_payments
from tests.awards.follow_up_factories import ask, signed_case

pytestmark = pytest.mark.django_db


def _value(html: str, name_suffix: str) -> str:
    field = re.search(rf'<input type="date"[^>]*name="[^"]*{name_suffix}"[^>]*>', html)
    assert field, name_suffix
    found = re.search(r'value="([^"]*)"', field.group(0))
    return found.group(1) if found else ""


def test_the_payment_date_offers_today_as_the_date_picker_reads_it(client):
    case = signed_case(amount=Decimal("40000"))
    request = ask(case, 0)
    services_payments.approve_payment(request=request, by=case.staff)
    services_payments.approve_payment(request=request, by=case.second_staff)
    client.force_login(case.staff)
    page = client.get(reverse("awards:payments", args=[case.agreement.pk])).content.decode()
    assert _value(page, "paid_on") == timezone.localdate().isoformat()
