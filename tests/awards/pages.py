"""Shared builders of the agreements' page and API tests: a sent agreement with its team."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from filiere.accounts.models import User
from filiere.accounts.services import create_api_token
from filiere.awards.models import Agreement
from filiere.awards.services_agreements import generate_agreement, send_agreement
from tests.awards.factories import awarded, call_staff, open_call
from tests.calls.instruction_factories import add_member
from tests.factories import UserFactory


@dataclass
class Case:
    agreement: Agreement
    lead: User
    member: User  # accepted team member
    staff: User  # staff of the call (scoped grant, with a second factor)


def sent_case(*, language: str = "fr", amount: Decimal = Decimal("40000"), send: bool = True):
    lead = UserFactory(preferred_language=language)
    application, _decision = awarded(open_call(), amount=amount, lead=lead)
    member = UserFactory()
    add_member(application, member)
    staff = call_staff(application.call)
    agreement = generate_agreement(application=application, by=staff)
    if send:
        agreement = send_agreement(agreement=agreement, by=staff)
    return Case(agreement=agreement, lead=lead, member=member, staff=staff)


def bearer(user: User) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {create_api_token(user=user, name='t')[1]}"}
