"""Swapping a pair's expert in a browser, under axe-core: the page-wide select and a pair's
"Swap" button (a button of another form, posting to its pair's address) work together."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from filiere.review.models import Assignment, Availability, Expert, PairStatus
from tests.review.factories import application, call_staff, expert, open_call

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_staff_swap_a_pairs_expert_from_the_proposal(page, axe, sign_in_browser):
    call = open_call()
    filed = application(call, state="submitted")
    rows = []
    for first, last in (("Ada", "Lovelace"), ("Grace", "Hopper")):
        row = Expert.objects.get(user=expert(call.fund, first_name=first, last_name=last))
        Availability.objects.create(expert=row, call=call, available=True, max_load=3)
        rows.append(row)
    Assignment.objects.create(application=filed, expert=rows[0], affinity=0.5)
    sign_in_browser(call_staff(call))

    page.goto(reverse("review:assignment", args=[call.slug]) + "?order=reference")
    assert axe(page) == []
    page.get_by_label("Expert who replaces a pair's expert").select_option(label="Grace Hopper")
    page.get_by_role("button", name=f"Swap {filed.reference}").click()

    expect(page.get_by_text("The pair's expert has been swapped.")).to_be_visible()
    assert "order=reference" in page.url
    assert axe(page) == []
    pair = Assignment.objects.get(application=filed)
    assert pair.expert == rows[1] and pair.status == PairStatus.PROPOSED
