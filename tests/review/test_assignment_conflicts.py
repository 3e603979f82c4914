"""A conflict that appears after a pair was made: declared by the expert when declining (their own
declaration about that application), added by the staff, asked by the applicant, declared by the
expert about an organisation. The expert's inbox drops the assignment (no link to a 404), the
staff see the gap on the proposal, and a lift brings it back."""

import pytest
from django.urls import reverse

from filiere.errors import ServiceError
from filiere.review import services
from filiere.review import services_assignment as assignment_services
from filiere.review.models import (
    Assignment,
    Availability,
    Declaration,
    DeclarationSource,
    Expert,
    PairStatus,
)
from tests.factories import OrganisationFactory
from tests.review.factories import application, call_staff, expert, open_call

pytestmark = pytest.mark.django_db


@pytest.fixture
def call():
    return open_call()


def _published(call, user, app):
    row = Expert.objects.get(user=user, fund=call.fund)
    Availability.objects.get_or_create(expert=row, call=call, defaults={"max_load": 5})
    return Assignment.objects.create(application=app, expert=row, status=PairStatus.PUBLISHED)


def _inbox(client, user):
    client.force_login(user)
    return client.get(reverse("review:my_assignments")).content.decode()


def _proposal(client, call):
    client.force_login(call_staff(call))
    return client.get(reverse("review:assignment", args=[call.slug])).content.decode()


def test_a_decline_with_a_conflict_is_the_experts_declaration_about_that_application(client, call):
    reader = expert(call.fund)
    app = application(call, title="Cousin's file")
    pair = _published(call, reader, app)
    client.force_login(reader)

    client.post(
        reverse("review:my_assignment", args=[pair.pk]),
        {"answer": "decline", "conflict_kind": "family", "reason": "My cousin leads it."},
    )

    declaration = Declaration.objects.get()
    assert declaration.source == DeclarationSource.EXPERT
    assert (declaration.expert_user, declaration.application, declaration.declared_by) == (
        reader,
        app,
        reader,
    )
    mine = client.get(reverse("review:my_conflicts")).content.decode()
    assert f"{app.reference} — Cousin&#x27;s file" in mine
    staff = call_staff(call)
    client.force_login(staff)
    conflicts = client.get(reverse("review:conflicts", args=[call.slug])).content.decode()
    assert (
        "Declared by the expert (Family or personal relation) about this application: "
        "“My cousin leads it.”"
    ) in conflicts
    assert "Added by the staff" not in conflicts

    # The staff may still lift it.
    services.lift_conflict(
        call=call, expert=pair.expert, application=app, by=staff, reason="Distant cousins."
    )
    page = client.get(reverse("review:conflicts", args=[call.slug])).content.decode()
    assert "Distant cousins." in page
    assert not Declaration.objects.exclude(source=DeclarationSource.EXPERT).exists()


def test_a_conflict_added_by_the_staff_takes_the_assignment_out_of_the_inbox(client, call):
    reader = expert(call.fund)
    app = application(call, title="Conflicted file")
    kept = application(call, title="Still mine")
    pair = _published(call, reader, app)
    _published(call, reader, kept)
    staff = call_staff(call)

    services.add_conflict(
        call=call, expert=pair.expert, application=app, by=staff, kind="other", reason="Met."
    )

    inbox = _inbox(client, reader)
    assert "Still mine" in inbox and "Conflicted file" not in inbox
    assert client.get(reverse("review:my_assignment", args=[pair.pk])).status_code == 404
    proposal = _proposal(client, call)
    assert "a replacement is needed" in proposal
    # 3 reviews asked: the conflicted pair no longer counts, the other file keeps its expert.
    assert "3 reviewers missing" in proposal and "2 reviewers missing" in proposal

    # A lift brings it back.
    services.lift_conflict(call=call, expert=pair.expert, application=app, by=staff, reason="Ok.")
    assert "Conflicted file" in _inbox(client, reader)


def test_the_experts_declaration_about_an_organisation_takes_its_files_out(client, call):
    studio = OrganisationFactory(name="Studio Nord")
    reader = expert(call.fund)
    _published(call, reader, application(call, title="Studio file", organisation=studio))

    services.declare_conflict(by=reader, kind="competitor", reason="A rival.", organisation=studio)

    assert "Studio file" not in _inbox(client, reader)


def test_an_applicants_exclusion_takes_the_file_out_of_the_named_experts_inbox(client, call):
    reader = expert(call.fund)
    app = application(call, title="Excluding file")
    _published(call, reader, app)

    services.request_exclusion(
        application=app, by=app.lead, kind="other", reason="Please no.", person=reader.person
    )

    assert "Excluding file" not in _inbox(client, reader)


def test_a_proposed_pair_now_in_conflict_is_not_published(client, call):
    reader = expert(call.fund)
    app = application(call)
    row = Expert.objects.get(user=reader, fund=call.fund)
    proposed = Assignment.objects.create(application=app, expert=row)
    staff = call_staff(call)
    services.add_conflict(
        call=call, expert=row, application=app, by=staff, kind="other", reason="Met."
    )

    with pytest.raises(ServiceError) as refused:
        assignment_services.publish_assignments(call=call, by=staff)

    assert refused.value.code == "review.assignment.nothing_to_publish"
    proposed.refresh_from_db()
    assert proposed.status == PairStatus.PROPOSED
