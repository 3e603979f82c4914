"""Conflicts of interest of a call: computed by the engine from the platform's graph, declared by
experts and applicants, added or lifted by the staff with a reason; shown in plain words."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from filiere.audit.models import AuditEntry
from filiere.calls.models import State
from filiere.review import selectors, services
from filiere.review.models import Declaration, Expert
from tests.calls.instruction_factories import CallFactory, FundFactory, add_member
from tests.factories import OrganisationFactory
from tests.review.factories import (
    PersonFactory,
    UserFactory,
    application,
    call_staff,
    expert,
    fund_staff,
    other_fund,
    staff,
    works_for,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def call():
    return CallFactory(fund=FundFactory())


def _pk(user):
    return Expert.objects.get(user=user).pk


def _reasons(call, user, app):
    rows = [
        r
        for r in selectors.conflicts_of_call(call)
        if (r.application_id, r.expert_id) == (app.pk, _pk(user))
    ]
    return rows[0].reasons if rows else ()


def test_an_expert_working_for_the_applicant_is_in_conflict(call):
    studio = OrganisationFactory(name="Studio Nord")
    reader = expert(call.fund)
    works_for(reader, studio)
    app = application(call, organisation=studio)

    assert _reasons(call, reader, app) == (
        "Works, or worked recently, for the applicant organisation (Studio Nord).",
    )
    assert selectors.conflicted_pairs(call) == {(app.pk, _pk(reader))}
    assert selectors.is_conflicted(reader, app)


def test_an_organisation_left_long_ago_no_longer_counts(call):
    studio, former = OrganisationFactory(), OrganisationFactory()
    recent, old = expert(call.fund), expert(call.fund)
    works_for(
        recent,
        studio,
        start_date=date(2015, 1, 1),
        end_date=timezone.localdate() - timedelta(days=365),
    )
    works_for(old, studio, start_date=date(2010, 1, 1), end_date=date(2015, 1, 1))
    works_for(old, former)
    app = application(call, organisation=studio)

    assert selectors.conflicted_pairs(call) == {(app.pk, _pk(recent))}
    assert not selectors.is_conflicted(old, app)


def test_team_members_and_partner_organisations_are_in_conflict(call):
    partner = OrganisationFactory(name="Labo Image")
    on_team, at_partner, invited = expert(call.fund), expert(call.fund), expert(call.fund)
    works_for(at_partner, partner)
    app = application(call)
    add_member(app, on_team)
    add_member(app, UserFactory(), organisation=partner)
    # Invited by address only (not yet accepted): already on the team.
    app.team.create(email=invited.email.upper(), role="author")

    assert _reasons(call, on_team, app) == ("Is on the application's team.",)
    assert _reasons(call, at_partner, app) == (
        "Works, or worked recently, for a partner organisation (Labo Image).",
    )
    assert _reasons(call, invited, app) == ("Is on the application's team.",)


def test_the_lead_of_the_application_is_in_conflict(call):
    reader = expert(call.fund)
    app = application(call, lead=reader)

    assert _reasons(call, reader, app) == ("Is on the application's team.",)


def test_people_who_worked_together_on_a_funded_project_are_in_conflict(call):
    reader = expert(call.fund)
    director = UserFactory()
    PersonFactory(user=director, first_name="Jeanne", last_name="Dupont")
    earlier = CallFactory(fund=call.fund)
    funded = application(earlier, lead=director, state=State.AWARDED, reference="EI2007-0001")
    add_member(funded, reader)
    app = application(call, lead=director)

    assert _reasons(call, reader, app) == (
        "Works with Jeanne Dupont on the funded project EI2007-0001.",
    )


def test_an_expert_declares_a_conflict_with_an_organisation(call):
    rival = OrganisationFactory(name="Rival Prod")
    reader = expert(call.fund)
    app = application(call, organisation=rival)
    services.declare_conflict(
        by=reader,
        kind="competitor",
        reason="We compete for the same broadcasters.",
        organisation=rival,
    )

    assert _reasons(call, reader, app) == (
        "Declared by the expert (Competitor) about Rival Prod: "
        "“We compete for the same broadcasters.”",
    )


def test_an_expert_declares_a_conflict_with_a_person(call):
    reader = expert(call.fund)
    author = UserFactory()
    person = PersonFactory(user=author, first_name="Paul", last_name="Martin")
    app = application(call)
    add_member(app, author)
    services.declare_conflict(by=reader, kind="family", reason="My brother-in-law.", person=person)

    assert _reasons(call, reader, app) == (
        "Declared by the expert (Family or personal relation) about Paul Martin: "
        "“My brother-in-law.”",
    )


def test_an_applicants_request_excludes_the_named_expert_or_organisation(call):
    named, at_rival = expert(call.fund), expert(call.fund)
    expert(call.fund)  # an expert nobody named
    rival = OrganisationFactory(name="Rival Prod")
    works_for(at_rival, rival)
    app = application(call)
    services.request_exclusion(
        application=app,
        by=app.lead,
        kind="competitor",
        reason="Competing project.",
        person=named.person,
    )
    services.request_exclusion(
        application=app,
        by=app.lead,
        kind="competitor",
        reason="Our competitor.",
        organisation=rival,
    )

    assert selectors.conflicted_pairs(call) == {(app.pk, _pk(named)), (app.pk, _pk(at_rival))}
    assert _reasons(call, at_rival, app) == (
        "Requested by the applicant (Competitor), naming Rival Prod: “Our competitor.”",
    )


def test_experts_of_another_fund_and_drafts_are_left_out(call):
    studio = OrganisationFactory()
    elsewhere = expert(other_fund())
    works_for(elsewhere, studio)
    reader = expert(call.fund)
    works_for(reader, studio)
    application(call, organisation=studio, state=State.DRAFT, submitted_at=None)

    assert selectors.conflicts_of_call(call) == []


def test_staff_add_and_lift_a_conflict_with_a_reason(client, call):
    reader = expert(call.fund)
    app = application(call)
    client.force_login(staff())
    url = reverse("review:conflicts", args=[call.slug])

    response = client.post(
        reverse("review:conflict_add", args=[call.slug]),
        {
            "expert": _pk(reader),
            "application": app.pk,
            "kind": "collaborator",
            "reason": "Co-wrote a pilot.",
        },
    )
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert "Added by the staff (Collaborator or business partner): “Co-wrote a pilot.”" in page
    assert selectors.conflicted_pairs(call) == {(app.pk, _pk(reader))}

    refused = client.post(
        reverse("review:conflict_lift", args=[call.slug]),
        {"expert": _pk(reader), "application": app.pk, "reason": ""},
        follow=True,
    )
    assert "Give a reason to lift a conflict" in refused.content.decode()
    assert selectors.conflicted_pairs(call) == {(app.pk, _pk(reader))}

    client.post(
        reverse("review:conflict_lift", args=[call.slug]),
        {"expert": _pk(reader), "application": app.pk, "reason": "The pilot was 15 years ago."},
    )
    assert selectors.conflicted_pairs(call) == frozenset()
    assert not selectors.is_conflicted(reader, app)
    page = client.get(url).content.decode()
    assert "The pilot was 15 years ago." in page
    assert AuditEntry.objects.get(action="review.conflict.added").reason == "Co-wrote a pilot."
    assert AuditEntry.objects.get(action="review.conflict.lifted").reason == (
        "The pilot was 15 years ago."
    )


def test_a_declaration_made_after_a_lift_counts_again(call):
    studio = OrganisationFactory()
    reader = expert(call.fund)
    works_for(reader, studio)
    app = application(call, organisation=studio)
    services.lift_conflict(
        call=call,
        expert=Expert.objects.get(user=reader),
        application=app,
        by=staff(),
        reason="Left the studio in 1999.",
    )
    assert selectors.conflicted_pairs(call) == frozenset()

    services.declare_conflict(by=reader, kind="other", reason="Still friends.", organisation=studio)

    assert selectors.conflicted_pairs(call) == {(app.pk, _pk(reader))}


def test_a_bad_add_form_keeps_what_was_typed(client, call):
    expert(call.fund)
    application(call)
    client.force_login(staff())

    response = client.post(
        reverse("review:conflict_add", args=[call.slug]),
        {"expert": "", "application": "", "kind": "family", "reason": "Cousins."},
    )

    assert response.status_code == 200
    assert "Cousins." in response.content.decode()
    assert not Declaration.objects.exists()


def test_the_staff_of_the_call_see_its_conflicts_not_those_of_another_call(client, call):
    other = CallFactory(fund=call.fund)
    client.force_login(call_staff(call))

    assert client.get(reverse("review:conflicts", args=[call.slug])).status_code == 200
    assert client.get(reverse("review:conflicts", args=[other.slug])).status_code == 403
    assert client.post(reverse("review:conflict_add", args=[other.slug]), {}).status_code == 403


def test_the_staff_of_another_fund_do_not_see_the_conflicts(client, call):
    client.force_login(fund_staff(other_fund()))

    assert client.get(reverse("review:conflicts", args=[call.slug])).status_code == 403


def test_staff_on_the_applications_team_cannot_lift_its_conflicts(client, call):
    studio = OrganisationFactory()
    reader = expert(call.fund)
    works_for(reader, studio)
    insider = call_staff(call)
    app = application(call, organisation=studio, lead=insider)
    client.force_login(insider)

    client.post(
        reverse("review:conflict_lift", args=[call.slug]),
        {"expert": _pk(reader), "application": app.pk, "reason": "trust me"},
    )

    assert (app.pk, _pk(reader)) in selectors.conflicted_pairs(call)


def test_the_conflicts_page_costs_the_same_queries_for_a_bigger_call(client, call):
    def grow():
        studio = OrganisationFactory()
        reader = expert(call.fund)
        works_for(reader, studio)
        app = application(call, organisation=studio)
        add_member(app, UserFactory(), organisation=OrganisationFactory())
        services.declare_conflict(by=reader, kind="other", reason="x", organisation=studio)

    grow()
    client.force_login(staff())
    url = reverse("review:conflicts", args=[call.slug])
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for _ in range(4):
        grow()
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)

    assert response.status_code == 200
    assert response.content.decode().count("In conflict") == 5
    assert len(many.captured_queries) == len(few.captured_queries)


def test_the_conflicts_selector_reads_a_fixed_number_of_queries(call):
    studio = OrganisationFactory()
    reader = expert(call.fund)
    works_for(reader, studio)
    app = application(call, organisation=studio)

    with CaptureQueriesContext(connection) as queries:
        selectors.conflicted_pairs(call)
    with CaptureQueriesContext(connection) as one:
        selectors.is_conflicted(reader, app)

    assert len(queries.captured_queries) <= 12
    assert len(one.captured_queries) <= 12


def test_the_staff_of_a_call_cannot_lift_through_it_a_pair_of_another_call(client, call):
    other = CallFactory(fund=call.fund)
    studio = OrganisationFactory()
    reader = expert(call.fund)
    works_for(reader, studio)
    elsewhere = application(other, organisation=studio)
    client.force_login(call_staff(call))

    response = client.post(
        reverse("review:conflict_lift", args=[call.slug]),
        {"expert": _pk(reader), "application": elsewhere.pk, "reason": "through the back door"},
    )

    assert response.status_code == 404
    assert selectors.conflicted_pairs(other) == {(elsewhere.pk, _pk(reader))}


def test_an_expert_of_another_fund_cannot_be_named_in_a_calls_conflict(client, call):
    outsider = expert(other_fund())
    app = application(call)
    client.force_login(staff())

    response = client.post(
        reverse("review:conflict_add", args=[call.slug]),
        {"expert": _pk(outsider), "application": app.pk, "kind": "other", "reason": "x"},
    )

    assert response.status_code == 200
    assert not Declaration.objects.exists()
