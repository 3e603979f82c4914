"""Swapping a pair's expert in one step on the staff's proposal: the new pair takes the old one's
place, with the checks of an added pair; refusals say why and change nothing."""

import pytest
from django.urls import reverse

from filiere.audit.models import AuditEntry
from filiere.review.models import Assignment, Availability, Expert, PairStatus
from tests.factories import OrganisationFactory
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
    return open_call()


def _available(user, call, max_load=3):
    row = Expert.objects.get(user=user, fund=call.fund)
    Availability.objects.create(expert=row, call=call, available=True, max_load=max_load)
    return row


def _page(call):
    return reverse("review:assignment", args=[call.slug])


def _swap(client, call, pair, expert_row, back=""):
    return client.post(
        reverse("review:assignment_swap", args=[call.slug, pair.pk]),
        {"expert": expert_row.pk, "back": back},
    )


def _refused(client, call, pair, expert_row, sentence):
    before = list(Assignment.objects.order_by("pk").values_list("pk", "expert_id"))
    response = _swap(client, call, pair, expert_row)
    assert response.status_code == 302
    assert sentence in client.get(response["Location"]).content.decode()
    # Nothing changed: the old pair is still there with its expert, no pair was added.
    assert list(Assignment.objects.order_by("pk").values_list("pk", "expert_id")) == before
    assert not AuditEntry.objects.filter(action="review.assignment.swapped").exists()


def test_staff_swap_a_proposed_pair_and_it_is_audited_with_both_experts(client, call):
    app = application(call, title="Mémoire minière", summary="Les mineurs de charbon.")
    old = _available(expert(call.fund, first_name="Ada", last_name="Lovelace"), call)
    new_user = expert(call.fund, first_name="Grace", last_name="Hopper")
    new_user.expertise.keywords = ["charbon"]
    new_user.expertise.save()
    new = _available(new_user, call)
    pair = Assignment.objects.create(application=app, expert=old, affinity=0.7, why=["x"])
    client.force_login(call_staff(call))

    page = client.get(_page(call)).content.decode()
    assert 'id="swap-pair"' in page and f'<option value="{new.pk}">Grace Hopper' in page
    response = _swap(client, call, pair, new, back="order=reference&page=1")

    assert response.status_code == 302
    assert response["Location"] == _page(call) + "?order=reference&page=1#proposal"
    swapped = Assignment.objects.get(application=app)
    assert swapped.expert == new and swapped.status == PairStatus.PROPOSED
    assert not swapped.locked and swapped.added_by_staff and swapped.why == ["charbon"]
    entry = AuditEntry.objects.get(action="review.assignment.swapped")
    assert entry.data == {"expert": new.pk, "replaced": old.pk}
    shown = client.get(response["Location"]).content.decode()
    assert "The pair&#x27;s expert has been swapped." in shown
    assert "Grace Hopper — added by the staff (matching: charbon) — Proposed" in shown


def test_a_conflicted_expert_is_refused_with_the_reason(client, call):
    studio = OrganisationFactory()
    app = application(call, organisation=studio)
    pair = Assignment.objects.create(application=app, expert=_available(expert(call.fund), call))
    reader = expert(call.fund)
    works_for(reader, studio)
    row = _available(reader, call)
    client.force_login(call_staff(call))

    _refused(
        client, call, pair, row, "This expert has a conflict of interest with this application."
    )


def test_a_locked_pair_cannot_be_swapped_and_shows_no_swap_button(client, call):
    app = application(call)
    pair = Assignment.objects.create(
        application=app, expert=_available(expert(call.fund), call), locked=True
    )
    row = _available(expert(call.fund), call)
    client.force_login(call_staff(call))

    page = client.get(_page(call)).content.decode()
    assert reverse("review:assignment_swap", args=[call.slug, pair.pk]) not in page
    _refused(client, call, pair, row, "This pair is locked: unlock it before swapping its expert.")


def test_a_published_pair_cannot_be_swapped(client, call):
    app = application(call)
    pair = Assignment.objects.create(
        application=app,
        expert=_available(expert(call.fund), call),
        status=PairStatus.PUBLISHED,
    )
    row = _available(expert(call.fund), call)
    client.force_login(call_staff(call))

    _refused(client, call, pair, row, "This pair is published: remove it, add the other expert")


def test_an_expert_already_on_the_application_is_refused(client, call):
    app = application(call)
    first = _available(expert(call.fund), call)
    second = _available(expert(call.fund), call)
    pair = Assignment.objects.create(application=app, expert=first)
    Assignment.objects.create(application=app, expert=second)
    client.force_login(call_staff(call))

    _refused(client, call, pair, second, "This expert is already assigned to this application")
    # Swapping a pair for its own expert changes nothing either.
    _refused(client, call, pair, first, "This expert is already assigned to this application")


def test_an_expert_at_their_maximum_or_unavailable_is_refused(client, call):
    pair = Assignment.objects.create(
        application=application(call), expert=_available(expert(call.fund), call)
    )
    full = _available(expert(call.fund), call, max_load=1)
    Assignment.objects.create(application=application(call), expert=full)
    silent = Expert.objects.get(user=expert(call.fund), fund=call.fund)
    client.force_login(call_staff(call))

    _refused(client, call, pair, full, "already has 1 applications of this call, their maximum")
    _refused(client, call, pair, silent, "did not say they are available for this call")


def test_an_expert_of_another_pool_is_refused(client, call):
    pair = Assignment.objects.create(
        application=application(call), expert=_available(expert(call.fund), call)
    )
    stranger = Expert.objects.get(user=expert(other_fund()))
    client.force_login(call_staff(call))

    _refused(client, call, pair, stranger, "Choose an active expert of the pool to swap in.")


def test_a_pair_of_another_call_is_404(client, call):
    other = open_call(call.fund)
    pair = Assignment.objects.create(
        application=application(other), expert=_available(expert(call.fund), other)
    )
    row = _available(expert(call.fund), call)
    client.force_login(call_staff(call))

    assert _swap(client, call, pair, row).status_code == 404
    assert Assignment.objects.get(pk=pair.pk).expert_id != row.pk


def test_staff_of_another_call_get_403(client, call):
    pair = Assignment.objects.create(
        application=application(call), expert=_available(expert(call.fund), call)
    )
    row = _available(expert(call.fund), call)
    client.force_login(call_staff(open_call(call.fund)))

    assert _swap(client, call, pair, row).status_code == 403
    assert Assignment.objects.get(pk=pair.pk).expert_id != row.pk


def test_the_swap_buttons_add_no_query_per_pair(client, call):
    client.force_login(call_staff(call))

    def grow():
        row = _available(expert(call.fund), call)
        Assignment.objects.create(application=application(call), expert=row, affinity=0.4)
        Assignment.objects.create(application=application(call), expert=row, locked=True)

    grow()
    response = same_queries(client, _page(call), grow)
    assert response.content.decode().count('form="swap-pair"') == 4
