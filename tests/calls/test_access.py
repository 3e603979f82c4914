"""The gatekeepers of ``calls/access.py``, side by side: who each one admits, and the 404 that
everyone else gets — the same 404 as for an application that does not exist.

The staff's gatekeeper refuses a staff member of the call who is on the file with 403, not 404:
the file is no secret to them, and the authorization matrix holds the instruction pages to it.
"""

from dataclasses import dataclass

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import Http404, HttpResponse
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from filiere.accounts.models import Role
from filiere.accounts.services import grant_role
from filiere.calls import access, permissions
from filiere.calls.models import Application
from tests.calls.apply_factories import invite
from tests.calls.instruction_factories import ApplicationFactory, add_document
from tests.factories import UserFactory, user_with_role

pytestmark = pytest.mark.django_db


def _call_staff(call):
    user = user_with_role(Role.MEMBER, with_totp=True)
    grant_role(user=user, role=Role.STAFF, scope_type="call", scope_id=call.pk, by=None)
    user.refresh_from_db()
    return user


@dataclass
class World:
    application: Application
    people: dict


@pytest.fixture
def world():
    """One application of one call, and everyone who might ask for it."""
    application = ApplicationFactory()
    other = ApplicationFactory()  # another call, another team
    partner, pending = UserFactory(), UserFactory()
    invite(application, partner)
    invite(application, pending, accepted=False)
    global_staff = user_with_role(Role.STAFF)
    call_staff = _call_staff(application.call)
    # Staff of the call who are on this file: its lead's partner, or invited and not yet in.
    staff_partner, staff_invitee = user_with_role(Role.STAFF), _call_staff(application.call)
    invite(application, staff_partner)
    invite(application, staff_invitee, accepted=False)
    people = {
        "lead": application.lead,
        "accepted partner": partner,
        "pending invitee": pending,
        "another team's member": other.lead,
        "global staff": global_staff,
        "call staff": call_staff,
        "staff of another call": _call_staff(other.call),
        "staff on the file": staff_partner,
        "call staff invited on the file": staff_invitee,
        "anonymous": AnonymousUser(),
    }
    return World(application=application, people=people)


def _member(user, application):
    return access.access_application_for_member(user, application.pk)


def _team(user, application):
    return access.access_application_for_team(user, application.reference)


def _staff(user, application):
    return access.access_application_for_staff(user, application.call, application.reference)


def _by_id(user, application):
    return access.access_application_by_id(user, application.pk)[0]


def _document(user, application):
    document = application.documents.first() or add_document(application)
    return access.access_document(user, document.pk).application


#: For each gatekeeper, who gets the application; everyone else gets a 404 (or, for the staff's
#: gatekeeper, the 403 of ``ON_FILE_403``).
ADMITTED = {
    _member: {"lead", "accepted partner", "staff on the file"},
    _team: {"lead", "accepted partner", "staff on the file"},
    _staff: {"global staff", "call staff"},
    _by_id: {"lead", "accepted partner", "staff on the file", "global staff", "call staff"},
    # Documents: the team and the global staff (``permissions.can_view_documents``).
    _document: {"lead", "accepted partner", "staff on the file", "global staff"},
}
ON_FILE_403 = {_staff: {"staff on the file", "call staff invited on the file"}}
WHO = [
    "lead",
    "accepted partner",
    "pending invitee",
    "another team's member",
    "global staff",
    "call staff",
    "staff of another call",
    "staff on the file",
    "call staff invited on the file",
    "anonymous",
]


@pytest.mark.parametrize("gatekeeper", list(ADMITTED), ids=lambda g: g.__name__.strip("_"))
@pytest.mark.parametrize("who", WHO)
def test_each_gatekeeper_admits_its_readers_and_answers_404_to_everyone_else(
    world, gatekeeper, who
):
    user = world.people[who]
    if who in ADMITTED[gatekeeper]:
        assert gatekeeper(user, world.application).pk == world.application.pk
    elif who in ON_FILE_403.get(gatekeeper, ()):
        with pytest.raises(PermissionDenied):
            gatekeeper(user, world.application)
    else:
        with pytest.raises(Http404):
            gatekeeper(user, world.application)


@pytest.mark.parametrize(
    "fetch",
    [
        lambda user, app: access.access_application_for_member(user, app.pk + 1000),
        lambda user, app: access.access_application_for_team(user, "NOPE-00000"),
        lambda user, app: access.access_application_for_staff(user, app.call, "NOPE-00000"),
        lambda user, app: access.access_application_by_id(user, app.pk + 1000),
        lambda user, app: access.access_document(user, 999_999),
    ],
    ids=["member", "team", "staff", "by_id", "document"],
)
def test_a_missing_application_is_the_same_404(world, fetch):
    for who in ("lead", "global staff"):
        with pytest.raises(Http404):
            fetch(world.people[who], world.application)


def test_the_api_door_tells_staff_from_team(world):
    people = world.people
    for who, as_staff in [
        ("global staff", True),
        ("call staff", True),
        ("lead", False),
        ("accepted partner", False),
        ("staff on the file", False),  # their own file: never as staff
    ]:
        application, seen_as_staff = access.access_application_by_id(
            people[who], world.application.pk
        )
        assert (application.pk, seen_as_staff) == (world.application.pk, as_staff), who


def test_the_querysets_the_gatekeepers_rest_on(world):
    people, application = world.people, world.application
    assert list(access.applications_of(people["accepted partner"])) == [application]
    assert not access.applications_of(people["pending invitee"]).exists()
    assert not access.applications_of(AnonymousUser()).exists()
    assert application in access.instructable_applications(people["call staff"])
    assert application not in access.instructable_applications(people["staff on the file"])
    assert application not in access.instructable_applications(people["staff of another call"])
    assert not access.instructable_applications(people["lead"]).exists()


# --- asked once per request -------------------------------------------------------------------


def test_on_team_is_answered_once_per_application_object(world):
    application = Application.objects.get(pk=world.application.pk)
    staff = world.people["global staff"]
    staff.role_set()  # the user's grants are read once per user
    with CaptureQueriesContext(connection) as first:
        assert not permissions.on_team(staff, application)
    with CaptureQueriesContext(connection) as again:
        assert not permissions.on_team(staff, application)
        assert permissions.instructs(staff, application)
    assert len(first) == 1
    assert len(again) == 0
    # Someone else's answer is their own.
    assert permissions.on_team(world.people["pending invitee"], application)


def test_the_staff_gatekeeper_answers_on_team_from_the_team_it_prefetched(world):
    application = _staff(world.people["call staff"], world.application)
    with CaptureQueriesContext(connection) as queries:
        assert permissions.on_team(world.people["call staff invited on the file"], application)
        assert permissions.on_team(world.people["staff on the file"], application)
        assert not permissions.on_team(world.people["global staff"], application)
    assert len(queries) == 0


def test_call_staff_required_reads_the_call_once_and_hands_it_to_the_view(world):
    call = world.application.call
    view = permissions.call_staff_required(lambda request, call: HttpResponse(call.fund.slug))
    request = RequestFactory().get("/somewhere/")
    request.user = world.people["call staff"]
    request.user.role_set()  # the user's grants are read once per user, not per call
    with CaptureQueriesContext(connection) as queries:
        assert view(request, slug=call.slug).content == call.fund.slug.encode()
    assert len(queries) == 1


def test_call_staff_required_refuses_other_calls_and_hides_which_calls_exist(world):
    view = permissions.call_staff_required(lambda request, call: HttpResponse("ok"))
    request = RequestFactory().get("/somewhere/")
    request.user = world.people["staff of another call"]
    with pytest.raises(PermissionDenied):
        view(request, slug=world.application.call.slug)
    with pytest.raises(PermissionDenied):
        view(request, slug="no-such-call")
    request.user = world.people["global staff"]
    with pytest.raises(Http404):
        view(request, slug="no-such-call")
    request.user = AnonymousUser()
    assert view(request, slug=world.application.call.slug).status_code == 302
