"""The agenda at the size of a whole call: paged (an accessible page navigation, the positions
and the footer's total over the whole agenda), and every agenda page and item page at a fixed
number of queries, for a member who is also an expert of the pool (their conflicts are read)."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from filiere.calls.phrases import format_money
from filiere.committee import selectors_agenda
from filiere.committee.models import Vote
from filiere.committee.selectors_scores import scores_of_call
from filiere.review.models import Expert
from filiere.review.services import add_conflict
from tests.committee.factories import expert, member, on_agenda, reviewed, session, staff
from tests.review.factories import same_queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_per_page(monkeypatch):
    monkeypatch.setattr(selectors_agenda, "AGENDA_PER_PAGE", 2)


def _agenda_url(meeting, page=None):
    url = reverse("committee:agenda", args=[meeting.pk])
    return f"{url}?page={page}" if page else url


def test_a_long_agenda_is_paged_with_a_page_navigation(client, two_per_page):
    meeting = session()
    call = meeting.call
    titles = ["Le phare", "La dune", "Le marais"]
    on_agenda(
        meeting,
        *(reviewed(call, [60], title=t, requested_amount=Decimal("10000")) for t in titles),
    )
    client.force_login(member(meeting))

    first = client.get(_agenda_url(meeting)).content.decode()
    assert "Le phare" in first and "La dune" in first and "Le marais" not in first
    assert '<nav aria-label="Pages of the agenda">' in first
    assert "Page 1 of 2" in first
    assert 'href="?page=2" rel="next"' in first and 'rel="prev"' not in first
    assert "1 to 2 of 3" in first  # the table's caption says which rows it shows
    # The footer sums the whole agenda, not the page.
    with translation.override("fr"):  # the page's language
        assert format_money(Decimal("30000")) in first
    assert format_money(Decimal("20000")) not in first

    second = client.get(_agenda_url(meeting, 2)).content.decode()
    assert "Le marais" in second and "Le phare" not in second
    assert "<td>3</td>" in second  # its position on the whole agenda
    assert 'href="?page=1" rel="prev"' in second and 'rel="next"' not in second
    # A page past the end shows the last one.
    assert "Le marais" in client.get(_agenda_url(meeting, 9)).content.decode()


def test_a_short_agenda_has_no_page_navigation(client):
    meeting = session()
    on_agenda(meeting, reviewed(meeting.call, [60], title="Le phare"))
    client.force_login(member(meeting))
    page = client.get(_agenda_url(meeting)).content.decode()
    assert "Le phare" in page and "Pages of the agenda" not in page


def test_a_conflicted_item_leaves_the_pages_and_their_count(client, two_per_page):
    meeting = session()
    call = meeting.call
    apps = [reviewed(call, [60], title=f"Dossier {n}") for n in range(3)]
    on_agenda(meeting, *apps)
    reader = expert(call.fund)
    member(meeting, user=reader)
    add_conflict(
        call=call,
        expert=Expert.objects.get(user=reader, fund=call.fund),
        application=apps[0],
        by=staff(),
        kind="other",
        reason="Former partner.",
    )
    client.force_login(reader)
    page = client.get(_agenda_url(meeting)).content.decode()
    assert "Dossier 0" not in page and "Dossier 1" in page and "Dossier 2" in page
    assert "Pages of the agenda" not in page  # two readable items: one page


def _grow(meeting, voter):
    def grow():
        (item,) = on_agenda(meeting, reviewed(meeting.call, [40, 70]))
        Vote.objects.create(item=item, voter=voter, choice="fund")
        scores_of_call(meeting.call)  # the scores' cache is warm for both counts

    return grow


def test_every_agenda_page_costs_the_same_queries_for_a_member_who_is_an_expert(
    client, two_per_page
):
    meeting = session()
    call = meeting.call
    reader = expert(call.fund)
    member(meeting, user=reader)
    voter = member(meeting)
    on_agenda(meeting, reviewed(call, [50, 60]), reviewed(call, [55]), reviewed(call, [65]))
    client.force_login(reader)

    grow = _grow(meeting, voter)
    same_queries(client, _agenda_url(meeting), grow)
    response = same_queries(client, _agenda_url(meeting, 2), grow)
    assert "Page 2 of" in response.content.decode()


def test_the_item_page_costs_the_same_queries_however_long_the_agenda(client):
    meeting = session()
    call = meeting.call
    reader = expert(call.fund)
    member(meeting, user=reader)
    voter = member(meeting)
    (item,) = on_agenda(meeting, reviewed(call, [50, 60], title="Le phare"))
    client.force_login(reader)

    url = reverse("committee:item", args=[meeting.pk, item.pk])
    response = same_queries(client, url, _grow(meeting, voter))
    assert "Le phare" in response.content.decode()
