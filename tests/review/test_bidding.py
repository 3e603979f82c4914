"""Bidding: an expert of a closed call's pool says, application by application, whether they
want to review it; the bids move the run's affinity and show in the pair's "why"; a conflict bid
is the expert's declaration. Tested as the experts who may and those who may not."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from filiere.audit.models import AuditEntry
from filiere.review import services_assignment
from filiere.review.models import (
    Assignment,
    Availability,
    Bid,
    Declaration,
    DeclarationSource,
    Expert,
    ExpertiseProfile,
    PairStatus,
    PastWork,
)
from filiere.review.selectors import conflicted_pairs
from filiere.review.selectors_bidding import BIDS_PER_PAGE
from tests.factories import CallFactory, OrganisationFactory
from tests.review.factories import (
    application,
    call_staff,
    expert,
    open_call,
    other_fund,
    same_queries,
    works_for,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def call():
    """A call that closed yesterday: every application is in, the bidding is open."""
    return CallFactory()


def _url(call, app=None):
    if app is None:
        return reverse("review:my_bids", args=[call.slug])
    return reverse("review:bid_save", args=[call.slug, app.pk])


def _bid(client, call, app, value, **extra):
    return client.post(_url(call, app), {"value": value, "page": "1", **extra})


def _row(user, call):
    return Expert.objects.get(user=user, fund=call.fund)


# --- The expert's page ----------------------------------------------------------------------------


def test_the_page_lists_the_calls_applications_and_saves_one_bid_at_a_time(client, call):
    first = application(call, title="Mémoire minière", summary="Les corons et la mine.")
    second = application(call, title="Baleines")
    reader = expert(call.fund)
    client.force_login(reader)

    page = client.get(_url(call))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Mémoire minière" in html and "Les corons et la mine." in html and "Baleines" in html
    assert html.count('name="value"') == 2  # one form per row

    response = _bid(client, call, first, "eager")
    assert response.status_code == 302
    assert response["Location"] == f"{_url(call)}?page=1#application-{first.pk}"
    _bid(client, call, second, "not_willing")
    _bid(client, call, first, "willing")  # changed in place
    assert dict(Bid.objects.values_list("application_id", "value")) == {
        first.pk: "willing",
        second.pk: "not_willing",
    }
    assert 'value="willing" selected' in client.get(_url(call)).content.decode()


def test_the_page_never_shows_the_other_experts_bids(client, call):
    app = application(call)
    other = expert(call.fund)
    Bid.objects.create(expert=_row(other, call), application=app, value="eager")
    client.force_login(expert(call.fund))

    html = client.get(_url(call)).content.decode()
    assert '<option value="eager" selected>' not in html
    assert '<option value="" selected>—</option>' in html


def test_an_unknown_bid_is_refused_with_the_page_again(client, call):
    app = application(call)
    client.force_login(expert(call.fund))

    response = _bid(client, call, app, "maybe")
    assert response.status_code == 400
    assert not Bid.objects.exists()


def test_pages_of_fifty_at_a_constant_number_of_queries(client, call):
    for _ in range(BIDS_PER_PAGE + 1):
        application(call)
    reader = expert(call.fund)
    client.force_login(reader)

    first = client.get(_url(call)).content.decode()
    assert first.count('name="value"') == BIDS_PER_PAGE
    assert client.get(f"{_url(call)}?page=2").content.decode().count('name="value"') == 1

    def grow():
        app = application(call)
        Bid.objects.create(expert=_row(reader, call), application=app, value="eager")

    same_queries(client, _url(call), grow)


# --- Who may bid ----------------------------------------------------------------------------------


def test_an_expert_of_another_pool_gets_404(client, call):
    app = application(call)
    client.force_login(expert(other_fund()))

    assert client.get(_url(call)).status_code == 404
    assert _bid(client, call, app, "eager").status_code == 404
    assert not Bid.objects.exists()


def test_an_open_call_has_no_bidding_yet(client):
    call = open_call()
    client.force_login(expert(call.fund))

    assert client.get(_url(call)).status_code == 404


def test_a_call_closed_long_ago_has_no_bidding(client):
    call = CallFactory(
        opens_at=timezone.now() - timedelta(days=400),
        closes_at=timezone.now() - timedelta(days=300),
    )
    client.force_login(expert(call.fund))

    assert client.get(_url(call)).status_code == 404


def test_anonymous_and_non_experts_are_turned_away(client, call):
    assert client.get(_url(call))["Location"].startswith(reverse("account_login"))
    app = application(call)
    client.force_login(app.lead)
    assert client.get(_url(call)).status_code == 403


def test_the_bidding_closes_once_an_assignment_is_published_to_the_expert(client, call):
    app = application(call)
    reader = expert(call.fund)
    Assignment.objects.create(
        application=application(call), expert=_row(reader, call), status=PairStatus.PUBLISHED
    )
    client.force_login(reader)

    page = client.get(_url(call))
    assert page.status_code == 200
    assert 'name="value"' not in page.content.decode()  # read-only
    response = _bid(client, call, app, "eager")
    assert response.status_code == 400
    assert "closed" in response.content.decode()
    assert not Bid.objects.exists()


def test_a_conflicted_expert_neither_sees_nor_bids_on_the_application(client, call):
    studio = OrganisationFactory()
    hidden = application(call, organisation=studio, title="Secret-canary project")
    shown = application(call)
    reader = expert(call.fund)
    works_for(reader, studio)
    client.force_login(reader)

    html = client.get(_url(call)).content.decode()
    assert "Secret-canary project" not in html and shown.title in html
    assert _bid(client, call, hidden, "eager").status_code == 404
    assert not Bid.objects.exists()


def test_a_conflict_bid_declares_the_conflict_and_hides_the_application(client, call):
    app = application(call, title="Secret-canary project")
    reader = expert(call.fund)
    client.force_login(reader)

    refused = _bid(client, call, app, "conflict", conflict_kind="family", reason="")
    assert refused.status_code == 400 and not Declaration.objects.exists()

    response = _bid(client, call, app, "conflict", conflict_kind="family", reason="My cousin.")
    assert response.status_code == 302
    declaration = Declaration.objects.get()
    assert (declaration.source, declaration.kind, declaration.reason) == (
        DeclarationSource.EXPERT,
        "family",
        "My cousin.",
    )
    assert (declaration.expert_user, declaration.application) == (reader, app)
    assert (app.pk, _row(reader, call).pk) in conflicted_pairs(call)
    assert Bid.objects.get().value == "conflict"
    assert AuditEntry.objects.filter(action="review.conflict.declared").exists()
    assert "Secret-canary project" not in client.get(_url(call)).content.decode()
    assert _bid(client, call, app, "eager").status_code == 404


# --- Bids feed the assignment ---------------------------------------------------------------------


def _twin_experts(call):
    """Two available experts with the same expertise: equal text affinity on any application."""
    twins = []
    for _ in range(2):
        user = expert(call.fund)
        profile = ExpertiseProfile.objects.get(user=user)
        profile.keywords = ["mine", "charbon"]
        profile.save()
        PastWork.objects.create(
            profile=profile, title="Les mineurs", year=2005, description="La mine de charbon."
        )
        row = _row(user, call)
        Availability.objects.create(expert=row, call=call, available=True, max_load=1)
        twins.append(row)
    return twins


def _run(call, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services_assignment.start_assignment_run(
            call=call, by=call_staff(call), mode="optimal", reviews=1
        )
    return Assignment.objects.get(application__call=call)


@pytest.mark.parametrize("eager_first", [True, False])
def test_an_eager_expert_gets_the_pair_over_a_not_willing_one(
    call, django_capture_on_commit_callbacks, eager_first
):
    app = application(call, title="La mine", summary="Un jeu sur la mine de charbon.")
    first, second = _twin_experts(call)
    eager, unwilling = (first, second) if eager_first else (second, first)
    Bid.objects.create(expert=eager, application=app, value="eager")
    Bid.objects.create(expert=unwilling, application=app, value="not_willing")

    pair = _run(call, django_capture_on_commit_callbacks)

    assert pair.expert == eager
    assert pair.why == ["mine", "charbon", "bid:eager"]


def test_the_bid_moves_the_affinity_the_staff_see(call, django_capture_on_commit_callbacks):
    app = application(call, title="La mine", summary="Un jeu sur la mine de charbon.")
    twins = _twin_experts(call)
    plain = _run(call, django_capture_on_commit_callbacks).affinity
    Assignment.objects.all().delete()
    for twin in twins:  # the same bid for both: the same inputs, only the shift differs
        Bid.objects.create(expert=twin, application=app, value="eager")

    bid = _run(call, django_capture_on_commit_callbacks)
    assert bid.affinity == pytest.approx(min(1.0, plain + 0.15))


def test_a_lifted_conflict_bid_no_longer_excludes_the_pair(
    client, call, django_capture_on_commit_callbacks
):
    from filiere.review import services

    app = application(call, title="La mine", summary="Un jeu sur la mine de charbon.")
    first, second = _twin_experts(call)
    Availability.objects.filter(expert=second).update(available=False)
    client.force_login(first.user)
    _bid(client, call, app, "conflict", conflict_kind="other", reason="Ancien employeur.")
    with django_capture_on_commit_callbacks(execute=True):
        services_assignment.start_assignment_run(
            call=call, by=call_staff(call), mode="optimal", reviews=1
        )
    assert not Assignment.objects.exists()

    staff = call_staff(call)
    services.lift_conflict(call=call, expert=first, application=app, by=staff, reason="Ancien.")
    pair = _run(call, django_capture_on_commit_callbacks)
    assert pair.expert == first and "bid:conflict" not in pair.why


def test_the_staff_read_the_bid_in_their_language():
    from django.utils import translation

    from filiere.review.templatetags.review_bids import why_terms

    with translation.override("en"):
        assert why_terms(["mine", "bid:eager"]) == ["mine", "bid: Eager to review it"]
    assert why_terms(["bid:unknown", "x"]) == ["bid:unknown", "x"]
    assert why_terms(None) == []


def test_the_page_number_sent_back_is_only_a_number(client, call):
    app = application(call)
    client.force_login(expert(call.fund))

    response = client.post(_url(call, app), {"value": "eager", "page": "2&next=//evil"})
    assert response["Location"] == f"{_url(call)}?page=1#application-{app.pk}"
