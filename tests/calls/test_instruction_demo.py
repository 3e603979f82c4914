"""The demo applications: every state, balanced plans, French and Belgian partners, clean
documents, idempotent reload."""

import random
from decimal import Decimal

import pytest
from django.db.models import Sum

from filiere.calls.demo import STATE_COUNTS, seed_demo_applications
from filiere.calls.models import Application, Document, DocumentRequirement, DocumentType
from filiere.community.models import OrganisationKind
from filiere.engine.workflow import State
from tests.calls.instruction_factories import CallFactory
from tests.factories import OrganisationFactory, territory, user_with_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def call():
    call = CallFactory()
    for code in ("synopsis", "budget", "financing-plan"):
        DocumentRequirement.objects.create(
            call=call, document_type=DocumentType.objects.get(code=code), required=True
        )
    OrganisationFactory.create_batch(6, is_demo=True)
    OrganisationFactory(
        is_demo=True, seat_commune=None, territory=territory("wallonia"), country="BE"
    )
    OrganisationFactory(is_demo=True, kind=OrganisationKind.RESEARCH_LAB)
    user_with_role("staff")
    return call


def test_demo_applications_in_every_state(call):
    result = seed_demo_applications(call, random.Random(2009))

    assert result.applications == sum(n for _s, n in STATE_COUNTS) == 120
    assert set(Application.objects.filter(call=call).values_list("state", flat=True)) == {
        s.value for s in State
    }
    for application in Application.objects.filter(call=call).exclude(state="draft"):
        budget = application.budget_lines.aggregate(t=Sum("amount"))["t"]
        financing = application.financing.aggregate(t=Sum("amount"))["t"]
        assert budget == financing, application.reference
        assert application.requested_amount <= min(Decimal(150_000), budget / 2)
        assert application.submitted_at is not None
        assert application.submission.submitted_by == application.lead
    roles = set(Application.objects.filter(call=call).values_list("team__role", flat=True))
    assert "belgian_coproducer" in roles
    clean = Document.objects.filter(application__call=call, scan_status="clean")
    assert clean.exists()
    first = clean.first()
    assert first.file.open("rb").read(5) == b"%PDF-"
    assert Application.objects.filter(call=call, messages__isnull=False).exists()
    assert Application.objects.filter(call=call, staff_notes__isnull=False).exists()


def test_demo_reload_replaces_its_applications(call):
    seed_demo_applications(call, random.Random(1), with_files=False)
    seed_demo_applications(call, random.Random(1), with_files=False)
    assert Application.objects.filter(call=call).count() == 120
