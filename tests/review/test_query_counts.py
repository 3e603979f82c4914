"""Every list page of the review stage costs the same number of queries for more rows."""

import pytest
from django.urls import reverse

from filiere.review import services
from filiere.review.models import Expert, ExpertStatus
from tests.calls.instruction_factories import CallFactory, FundFactory
from tests.factories import OrganisationFactory
from tests.review.factories import (
    PersonFactory,
    UserFactory,
    application,
    expert,
    open_call,
    same_queries,
    staff,
)

pytestmark = pytest.mark.django_db


def test_the_pools_list(client):
    client.force_login(staff())
    counter = iter(range(100))

    def grow():
        fund = FundFactory(slug=f"fund-{next(counter)}")
        expert(fund)

    grow()
    same_queries(client, reverse("review:pools"), grow, times=4)


def test_my_expertise_lists_pools_calls_and_works(client):
    reader = expert(FundFactory())
    client.force_login(reader)
    counter = iter(range(100))

    def grow():
        fund = FundFactory(slug=f"fund-{next(counter)}")
        Expert.objects.create(
            fund=fund, user=reader, email=reader.email, status=ExpertStatus.ACTIVE
        )
        open_call(fund)
        reader.expertise.past_works.create(title="Work", year=2001)

    grow()
    same_queries(client, reverse("review:my_expertise"), grow, times=4)


def test_my_conflicts_lists_declarations(client):
    reader = expert(FundFactory())
    client.force_login(reader)

    def grow():
        services.declare_conflict(
            by=reader, kind="other", reason="x", person=PersonFactory(user=UserFactory())
        )
        services.declare_conflict(
            by=reader, kind="other", reason="y", organisation=OrganisationFactory()
        )

    grow()
    same_queries(client, reverse("review:my_conflicts"), grow, times=4)


def test_the_exclusions_list(client):
    app = application(CallFactory())
    client.force_login(app.lead)

    def grow():
        services.request_exclusion(
            application=app,
            by=app.lead,
            kind="competitor",
            reason="x",
            person=PersonFactory(user=UserFactory()),
        )

    grow()
    same_queries(client, reverse("review:exclusions", args=[app.pk]), grow, times=4)
