"""Helpers of the instruction tests: a balanced budget; the shared fund, call and application
factories and the document and member helpers come from ``tests.factories``."""

from decimal import Decimal

from filiere.calls.models import BudgetLine, FinancingSource
from tests.factories import ApplicationFactory, CallFactory, FundFactory, add_document, add_member

# The one fund, call and application factories and document and member helpers, re-exported for
# the instruction tests.
__all__ = [
    "ApplicationFactory",
    "CallFactory",
    "FundFactory",
    "add_document",
    "add_member",
    "with_budget",
]


def with_budget(application, total=Decimal("120000.00")):
    BudgetLine.objects.create(
        application=application, chapter="crew", label="Équipe", amount=total, position=0
    )
    FinancingSource.objects.create(
        application=application,
        name="Région",
        kind="this_call",
        amount=application.requested_amount,
        secured=False,
    )
    FinancingSource.objects.create(
        application=application,
        name="Fonds propres",
        kind="own_funds",
        amount=total - application.requested_amount,
        secured=True,
    )
    return application
