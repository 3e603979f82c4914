"""The staff's audit log page: the entries of the calls they instruct, filtered, read-only."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from filiere.accounts.models import Role
from filiere.accounts.services import grant_role
from filiere.audit.models import AuditEntry
from filiere.audit.services import record
from filiere.calls.models import TeamMember
from filiere.calls.services import instruction
from tests.accounts.factories import activate_totp
from tests.calls.instruction_factories import (
    ApplicationFactory,
    CallFactory,
    FundFactory,
    add_document,
)
from tests.factories import UserFactory, user_with_role

pytestmark = pytest.mark.django_db


def audit_url() -> str:
    return reverse("calls:staff_audit")


@pytest.fixture(autouse=True)
def _pages_in_english():
    with translation.override("en"):
        yield


def call_staff(call):
    """A staff member whose only grant is scoped to ``call``."""
    user = UserFactory()
    grant_role(user=user, role=Role.STAFF, by=None, scope_type="call", scope_id=call.pk)
    activate_totp(user)
    user.refresh_from_db()
    return user


def page(client, user, **params):
    client.force_login(user)
    response = client.get(audit_url(), params)
    assert response.status_code == 200
    # What the page lists: after the filters (the forms repeat the query string).
    main = response.content.decode().split("<main", 1)[1].split("</main>", 1)[0]
    return main.split("</form>", 1)[1]


@pytest.fixture
def two_calls():
    """Two calls, each with a submitted application that staff asked to correct."""
    staff = user_with_role("staff")
    pairs = []
    for slug in ("web-series-2025", "games-2025"):
        call = CallFactory(slug=slug)
        application = ApplicationFactory(call=call, title=f"Project of {slug}")
        instruction.add_note(application=application, by=staff, body="Looks solid.")
        pairs.append((call, application))
    return staff, pairs


def test_staff_read_the_entries_of_every_call_and_never_an_edit_form(client, two_calls):
    staff, [(_c1, first), (_c2, second)] = two_calls
    html = page(client, staff)
    assert first.reference in html
    assert second.reference in html
    assert "application.note_added" in html
    assert "<caption>" in html and 'scope="col"' in html
    assert "<form" not in html  # read-only: nothing to submit but the filters


def test_staff_scoped_to_a_call_read_only_that_call(client, two_calls):
    _staff, [(call, mine), (_other_call, theirs)] = two_calls
    html = page(client, call_staff(call))
    assert mine.reference in html
    assert theirs.reference not in html
    # Asking for the other call by name does not open it either.
    html = page(client, call_staff(call), application=theirs.reference)
    assert theirs.reference not in html
    assert "No entry matches these filters." in html


def test_scoped_staff_do_not_read_their_own_file(client, two_calls):
    """A staff grant on a call does not open the staff's side of a file its holder leads."""
    _staff, [(call, _mine), _] = two_calls
    holder = call_staff(call)
    own = ApplicationFactory(call=call, lead=holder, title="My own project")
    record(actor=user_with_role("staff"), action="application.label_added", obj=own)
    html = page(client, holder)
    assert own.reference not in html
    assert page(client, user_with_role("staff")).count(own.reference) >= 1


def test_staff_do_not_read_a_file_they_are_invited_to(client, two_calls):
    staff, [(_call, application), _] = two_calls
    TeamMember.objects.create(
        application=application, email=staff.email.upper(), role="producer", accepted_at=None
    )
    assert application.reference not in page(client, staff)


@pytest.mark.parametrize("role", ["member", "applicant", "expert", "committee"])
def test_other_roles_are_refused(client, two_calls, role):
    client.force_login(user_with_role(role, with_totp=True))
    assert client.get(audit_url()).status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get(audit_url())
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_no_route_changes_an_entry(client, two_calls):
    staff, _pairs = two_calls
    before = AuditEntry.objects.count()
    client.force_login(staff)
    assert client.post(audit_url(), {"action": "delete"}).status_code == 405
    assert AuditEntry.objects.count() == before


def test_filter_by_application_shows_its_documents_too(client, two_calls):
    staff, [(_call, application), (_c2, other)] = two_calls
    document = add_document(application)
    record(actor=staff, action="calls.document.scan_clean", obj=document)
    html = page(client, staff, application=application.reference)
    assert "calls.document.scan_clean" in html
    assert "application.note_added" in html
    assert other.reference not in html


def test_a_correction_request_shows_its_items(client, two_calls):
    """Its details hold a key named "items", which a template would read instead of the pairs."""
    staff, [(_call, application), _] = two_calls
    instruction.request_correction(
        application=application,
        items=["Signed quote"],
        until=timezone.now() + dt.timedelta(days=5),
        by=staff,
    )
    html = page(client, staff, application=application.reference, action="correction")
    assert "items: [&#x27;Signed quote&#x27;]" in html


def test_filter_by_object_type_and_id(client, two_calls):
    staff, [(_call, application), (_c2, other)] = two_calls
    html = page(client, staff, object_type="calls.application", object_id=str(other.pk))
    assert other.reference in html
    assert application.reference not in html


def test_filter_by_actor_action_and_dates(client, two_calls):
    staff, [(_call, application), _] = two_calls
    colleague = user_with_role("staff", email="colleague@example.org")
    instruction.add_label(application=application, name="à revoir", by=colleague)
    html = page(client, staff, actor="colleague@")
    assert "application.label_added" in html
    assert "application.note_added" not in html
    html = page(client, staff, action="label")
    assert "application.label_added" in html
    assert "application.note_added" not in html
    today = timezone.localdate()
    assert "application.note_added" in page(client, staff, since=today, until=today)
    yesterday = today - dt.timedelta(days=1)
    html = page(client, staff, until=yesterday.isoformat())
    assert "No entry matches these filters." in html


def test_bad_filters_are_reported_not_a_crash(client, two_calls):
    staff, _pairs = two_calls
    html = page(client, staff, since="not-a-date", call="no-such-call")
    assert "Some filters were not understood" in html
    assert "application.note_added" in html


def test_funds_are_read_by_global_staff_only(client, two_calls):
    staff, [(call, _a), _] = two_calls
    fund = FundFactory()
    record(actor=staff, action="calls.fund_updated", obj=fund)
    assert "calls.fund_updated" in page(client, staff)
    assert "calls.fund_updated" not in page(client, call_staff(call))


def test_entries_link_to_the_application_page(client, two_calls):
    staff, [(call, application), _] = two_calls
    html = page(client, staff, application=application.reference)
    assert reverse("calls:staff_application", args=[call.slug, application.reference]) in html


def test_linked_from_the_instruction_list(client, two_calls):
    staff, [(call, _a), _] = two_calls
    client.force_login(staff)
    html = client.get(reverse("calls:staff_applications", args=[call.slug])).content.decode()
    assert f'href="{audit_url()}?call={call.slug}"' in html


def _queries(client, user) -> int:
    client.force_login(user)
    with CaptureQueriesContext(connection) as context:
        assert client.get(audit_url()).status_code == 200
    return len(context.captured_queries)


def test_query_count_does_not_grow_with_entries(client, two_calls):
    staff, [(call, _application), _] = two_calls
    scoped = call_staff(call)
    few = (_queries(client, staff), _queries(client, scoped))
    for n in range(30):
        other = ApplicationFactory(call=call)
        instruction.add_note(application=other, by=staff, body=f"Note {n}")
        add_document(other)
    assert (_queries(client, staff), _queries(client, scoped)) == few
