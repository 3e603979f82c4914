"""The demo applications: every state, balanced plans, French and Belgian partners, clean
documents, idempotent reload; and the demo applicant account's own files, made through the real
services (draft, submitted, correction requested, eligible)."""

import random
from decimal import Decimal

import pytest
from django.db.models import Sum
from django.utils import timezone

from filiere.accounts.models import User
from filiere.audit.models import AuditEntry
from filiere.calls.models import (
    Application,
    Call,
    CorrectionRequest,
    Document,
    DocumentRequirement,
    DocumentType,
    Submission,
)
from filiere.calls.selectors_applicant import missing_items
from filiere.community.models import OrganisationKind
from filiere.demo.account_files import ACCOUNT_FILES, seed_account_files
from filiere.demo.accounts import DEMO_ACCOUNTS, DEMO_APPLICANT_EMAIL, DEMO_STAFF_EMAIL
from filiere.demo.applications import (
    STATE_COUNTS,
    remove_demo_applications,
    seed_demo_applications,
)
from filiere.demo.calls import load_demo_calls
from filiere.demo.landing import landing_pages
from filiere.engine.workflow import State
from filiere.review.models import Assignment
from tests.calls.instruction_factories import CallFactory
from tests.demo.loading import MAIN, demo
from tests.factories import OrganisationFactory, UserFactory, territory, user_with_role

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


# --- The demo applicant account's own files -----------------------------------------------------


@pytest.fixture
def open_demo_call():
    """The demo's 2009 call (open at the time of the run), its applicant and staff accounts."""
    from filiere.accounts.services import grant_role

    call = load_demo_calls()[0]
    organisation = OrganisationFactory(is_demo=True)
    applicant = UserFactory(email=DEMO_APPLICANT_EMAIL)
    grant_role(
        user=applicant,
        role="applicant",
        by=None,
        scope_type="organisation",
        scope_id=organisation.pk,
    )
    user_with_role("staff", email=DEMO_STAFF_EMAIL)
    return call


def _account_files(call):
    return {
        a.title: a for a in Application.objects.filter(call=call, lead__email=DEMO_APPLICANT_EMAIL)
    }


def test_demo_applicant_leads_files_in_four_states(open_demo_call):
    call = open_demo_call
    made = seed_account_files(call)

    files = _account_files(call)
    assert {a.state for a in made} == {"draft", "submitted", "incomplete", "eligible"}
    assert {title: a.state for title, a in files.items()} == dict(ACCOUNT_FILES)
    draft = next(a for a in files.values() if a.state == "draft")
    assert draft.submitted_at is None
    assert not Submission.objects.filter(application=draft).exists()
    # Work left on the draft, as the applicant's dashboard lists it.
    assert {m.code for m in missing_items(draft, now=timezone.now())} >= {"apply.answer_missing"}
    for application in files.values():
        if application.state == "draft":
            continue
        # Made by the submission service: a receipt with its hash, documents clean.
        assert application.submission.submitted_by.email == DEMO_APPLICANT_EMAIL
        assert len(application.submission.sha256) == 64
        assert application.documents.exists()
        assert not application.documents.exclude(scan_status="clean").exists()
    incomplete = next(a for a in files.values() if a.state == "incomplete")
    correction = CorrectionRequest.objects.get(application=incomplete)
    assert correction.until == incomplete.correction_until
    assert correction.until > timezone.now()
    assert correction.requested_by.email == DEMO_STAFF_EMAIL
    eligible = next(a for a in files.values() if a.state == "eligible")
    actions = set(
        AuditEntry.objects.filter(
            object_type="calls.application", object_id=str(eligible.pk)
        ).values_list("action", flat=True)
    )
    assert "calls.application.created" in actions
    # Through the services, not by writing the state: their audit entries are there.
    assert any(action.startswith("calls.application.submit") for action in actions), actions
    assert any("eligible" in action for action in actions), actions


def test_demo_applicant_files_are_replaced_on_reload(open_demo_call):
    call = open_demo_call
    seed_account_files(call)
    first = sorted(_account_files(call))
    result = seed_demo_applications(call, random.Random(3), with_files=False, scale=0.1)
    assert sorted(_account_files(call)) == first
    assert result.account_files == 4
    assert Application.objects.filter(call=call, lead__email=DEMO_APPLICANT_EMAIL).count() == 4
    remove_demo_applications()
    assert not Application.objects.filter(lead__email=DEMO_APPLICANT_EMAIL).exists()


def test_no_account_files_on_a_closed_call(call):
    assert seed_account_files(call) == []


def test_every_demo_account_lands_on_real_work(client):
    """``manage.py demo`` prints where each account starts; each of those pages shows it."""
    output = demo()
    call = Call.objects.get(slug=MAIN)
    pages = landing_pages(call)
    assert {email for email, _path, _what in pages} == {a[0] for a in DEMO_ACCOUNTS}
    expected = {
        "applicant@example.org": [title for title, _state in ACCOUNT_FILES],
        "staff@example.org": [
            a.reference for a in Application.objects.filter(call=call).order_by("reference")[:3]
        ],
        "member@example.org": ["Camille"],
        # Their published assignments of the call (the pool and the expertise profile, with a
        # past work of theirs, one link away: tests/demo/test_pool.py).
        "expert@example.org": [
            call.title,
            *Assignment.objects.filter(
                application__call=call, expert__user__email="expert@example.org"
            ).values_list("application__reference", flat=True)[:3],
        ],
        "committee@example.org": [call.title_fr],
    }
    for email, path, _what in pages:
        assert f"{email:<23} → {path}" in output
        client.force_login(User.objects.get(email=email))
        response = client.get(path)
        assert response.status_code == 200, (email, path)
        html = response.content.decode()
        for text in expected.get(email, []):
            assert text in html, (email, text)
    states = set(
        Application.objects.filter(lead__email=DEMO_APPLICANT_EMAIL).values_list("state", flat=True)
    )
    assert states == {"draft", "submitted", "incomplete", "eligible"}
