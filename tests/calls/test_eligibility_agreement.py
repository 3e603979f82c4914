"""The applicant's panel and the staff's instruction read one snapshot and one set of rules: on
the same file at the same moment they give the same answer, rule by rule.

Before, the staff's reader skipped the rules the call's own fields imply (the ceiling, a balanced
financing plan) and counted a file the antivirus could not scan as missing while the applicant
was told it was there: staff could see "eligible" where the applicant was told otherwise."""

from decimal import Decimal

import pytest

from filiere.calls import selectors_applicant, selectors_staff
from filiere.calls.models import Application
from filiere.engine.eligibility import Status
from tests.calls.instruction_factories import (
    ApplicationFactory,
    CallFactory,
    add_document,
    with_budget,
)

pytestmark = pytest.mark.django_db


def answers(application):
    application = Application.objects.get(pk=application.pk)
    staff, error = selectors_staff.eligibility_report(application)
    assert error == ""
    applicant = selectors_applicant.eligibility_report(application, now=application.submitted_at)
    return (
        [(r.kind, r.status, r.code) for r in applicant.results],
        [(r.kind, r.status, r.code) for r in staff.results],
    )


def test_a_request_over_the_calls_ceiling_fails_for_both():
    # The ceiling is a field of the call, not a configured rule.
    application = with_budget(
        ApplicationFactory(
            call=CallFactory(ceiling_amount=Decimal("40000.00")),
            requested_amount=Decimal("50000.00"),
        )
    )

    applicant, staff = answers(application)

    assert applicant == staff
    assert ("amount_ceiling", Status.FAILED) in [(kind, status) for kind, status, _ in staff]


def test_an_unbalanced_financing_plan_fails_for_both():
    application = ApplicationFactory()
    with_budget(application)
    application.financing.filter(kind="own_funds").update(amount=Decimal("1.00"))

    applicant, staff = answers(application)

    assert applicant == staff
    assert ("financing_plan", Status.FAILED) in [(kind, status) for kind, status, _ in staff]


def test_a_file_the_antivirus_could_not_scan_is_missing_for_both():
    rules = [{"kind": "required_documents", "documents": ["synopsis"]}]
    application = with_budget(ApplicationFactory(call=CallFactory(eligibility_rules=rules)))
    add_document(application, "synopsis", scan="error")

    applicant, staff = answers(application)

    assert applicant == staff
    assert ("required_documents", Status.FAILED) in [(kind, status) for kind, status, _ in staff]
