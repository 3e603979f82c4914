"""The submission's cost: what it reads, and what it reads while it holds the row lock.

A submission of a typical file (two documents, two partners) is 12 queries (19 before issue
#13: 15 and 2 savepoints), 9 of them under the lock (16 before): the call's form (questions,
required documents) is read before the lock, the locked row brings the application's joins in
the same query, and the workflow's transition works on that row (no second lock, no
savepoint). The tests add the savepoint of their own transaction around the service's.
"""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from filiere.calls.models import Submission
from filiere.calls.services.applications import ApplyError
from filiere.calls.services.submission import submit_application
from tests.calls.apply_factories import invite, stored_document
from tests.calls.test_submission import complete_draft
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def typical_file():
    application = complete_draft()
    stored_document(application, code="cv", name="cv.pdf")
    invite(application, UserFactory())
    invite(application, UserFactory())
    return application


def table_of(sql: str) -> str:
    """What a statement does and to which table: ``SELECT calls_answer``, ``INSERT …``."""
    verb = sql.split(None, 1)[0].upper()
    if verb in {"SAVEPOINT", "RELEASE", "ROLLBACK"}:
        return verb
    target = re.search(r'(?:FROM|INTO|UPDATE)\s+"?(\w+)"?', sql)
    return f"{verb} {target.group(1) if target else '?'}"


def statements(application, **kwargs):
    with CaptureQueriesContext(connection) as captured:
        submit_application(application=application, by=application.lead, **kwargs)
    return [table_of(query["sql"]) for query in captured.captured_queries]


def test_a_submission_reads_the_calls_form_before_the_lock_and_little_under_it():
    done = statements(typical_file())
    assert done == [
        # Before the lock: the call's design, which the application's lock does not guard.
        "SELECT calls_call",
        "SELECT calls_question",
        "SELECT calls_documentrequirement",
        "SAVEPOINT",  # the service's transaction (BEGIN outside a test)
        # Under the lock: the row with its joins, then the application's own parts.
        "SELECT calls_application",
        "SELECT calls_budgetline",
        "SELECT calls_financingsource",
        "SELECT calls_answer",
        "SELECT calls_document",
        "SELECT calls_teammember",
        "INSERT calls_submission",
        "UPDATE calls_application",
        "INSERT audit_auditentry",
        "RELEASE",
    ]
    assert len([s for s in done if s not in {"SAVEPOINT", "RELEASE"}]) == 12


def test_the_count_does_not_grow_with_the_file():
    small = statements(complete_draft())
    larger = typical_file()
    for number in range(3):
        invite(larger, UserFactory())
        stored_document(larger, code="cv", name=f"cv-{number}.pdf")
    assert len(statements(larger)) == len(small) == 14
    assert Submission.objects.count() == 2


def test_a_late_request_is_refused_after_the_lock_alone(monkeypatch):
    """The queue of late requests after the closing second drains fast: the gatekeeper's copy
    says it is late, the locked row confirms it, nothing else is read."""
    application = complete_draft()
    late = application.call.closes_at + timedelta(seconds=1)
    monkeypatch.setattr(timezone, "now", lambda: late)
    with CaptureQueriesContext(connection) as captured, pytest.raises(ApplyError) as refused:
        submit_application(application=application, by=application.lead)
    assert refused.value.code == "apply.deadline_passed"
    done = [table_of(query["sql"]) for query in captured.captured_queries]
    assert done == ["SAVEPOINT", "SELECT calls_application", "ROLLBACK", "RELEASE"]


def test_a_wrong_guess_from_the_callers_copy_only_moves_the_form_under_the_lock():
    """The caller's copy says the call has closed; staff extended it since: the locked row
    decides, the file is filed, the call's form read under the lock."""
    application = complete_draft()
    closes_at = application.call.closes_at
    application.call.closes_at = timezone.now() - timedelta(seconds=1)  # the stale copy
    done = statements(application)
    assert done[:2] == ["SAVEPOINT", "SELECT calls_application"]
    assert done[2:5] == [
        "SELECT calls_call",
        "SELECT calls_question",
        "SELECT calls_documentrequirement",
    ]
    assert len(done) == 14
    submission = Submission.objects.get()
    assert submission.arrived_at <= closes_at
