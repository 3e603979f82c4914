"""The calls app's rules, one predicate at a time (the authorization matrix holds the routes)."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.test import RequestFactory
from django.utils import timezone

from filiere.calls import permissions
from filiere.calls.views import design, instruction
from tests.calls.apply_factories import DraftFactory, invite
from tests.factories import UserFactory, user_with_role

pytestmark = pytest.mark.django_db


def test_lead_and_accepted_members_are_members_others_are_not():
    application = DraftFactory()
    editor, reader, pending, stranger = UserFactory(), UserFactory(), UserFactory(), UserFactory()
    invite(application, editor)
    invite(application, reader, can_edit=False)
    invite(application, pending, accepted=False)
    now = timezone.now()
    assert permissions.is_lead(application.lead, application)
    assert permissions.is_member(editor, application)
    assert permissions.is_member(reader, application)
    assert not permissions.is_member(pending, application)
    assert not permissions.is_member(stranger, application)
    assert not permissions.is_member(AnonymousUser(), application)
    assert permissions.can_edit_application(application.lead, application, now)
    assert permissions.can_edit_application(editor, application, now)
    assert not permissions.can_edit_application(reader, application, now)
    assert permissions.can_submit(application.lead, application)
    assert not permissions.can_submit(editor, application)
    assert permissions.can_manage_team(application.lead, application)
    assert not permissions.can_manage_team(editor, application)


def test_documents_are_for_the_team_and_the_staff():
    application = DraftFactory()
    assert permissions.can_view_documents(application.lead, application)
    assert permissions.can_view_documents(user_with_role("staff"), application)
    assert not permissions.can_view_documents(UserFactory(), application)


def test_design_and_instruction_take_their_staff_decorators_from_one_module():
    # Design is for global staff; instruction also admits a staff grant scoped to the call.
    assert design.staff_required is permissions.staff_required
    assert instruction.call_staff_required is permissions.call_staff_required


def test_staff_required_sends_anonymous_to_sign_in_and_refuses_non_staff():
    view = permissions.staff_required(lambda request: HttpResponse("ok"))
    request = RequestFactory().get("/somewhere/")
    request.user = AnonymousUser()
    assert view(request).status_code == 302
    request.user = UserFactory()
    with pytest.raises(PermissionDenied):
        view(request)
    request.user = user_with_role("staff")
    assert view(request).content == b"ok"
