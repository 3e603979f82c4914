"""The assignment pages: the staff run, follow, adjust and publish; the experts answer. Tested as
the users who may, and as the attackers who may not."""

import pytest
from django.urls import reverse
from django.utils import translation

from filiere.audit.models import AuditEntry
from filiere.review import selectors_assignment
from filiere.review import services_assignment as services
from filiere.review.models import (
    Assignment,
    AssignmentRun,
    Availability,
    Declaration,
    Expert,
    PairStatus,
)
from tests.factories import OrganisationFactory
from tests.review.factories import (
    application,
    call_staff,
    expert,
    fund_staff,
    open_call,
    other_fund,
    same_queries,
    staff,
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


def _published(call, user, app):
    return Assignment.objects.create(
        application=app,
        expert=Expert.objects.get(user=user, fund=call.fund),
        status=PairStatus.PUBLISHED,
    )


def _page(call):
    return reverse("review:assignment", args=[call.slug])


# --- Staff ----------------------------------------------------------------------------------------


def test_staff_start_a_run_and_follow_it_to_the_proposal(
    client, call, django_capture_on_commit_callbacks
):
    app = application(call, title="Mémoire minière", summary="Les mineurs de charbon.")
    reader = expert(call.fund, first_name="Ada", last_name="Lovelace")
    _available(reader, call)
    client.force_login(call_staff(call))

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("review:assignment_start", args=[call.slug]),
            {"mode": "optimal", "reviews": "1"},
        )

    run = AssignmentRun.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("review:assignment_run", args=[call.slug, run.pk])
    progress = client.get(response["Location"])
    assert "See the proposal" in progress.content.decode()
    assert "hx-trigger" not in progress.content.decode()
    page = client.get(_page(call)).content.decode()
    assert "Ada Lovelace" in page and app.reference in page
    assert "Publish 1 proposed pair" in page


def test_an_impossible_assignment_is_explained_in_plain_words(
    client, call, django_capture_on_commit_callbacks
):
    app = application(call)
    _available(expert(call.fund), call)
    by = call_staff(call)
    with django_capture_on_commit_callbacks(execute=True):
        services.start_assignment_run(call=call, by=by, mode="optimal", reviews=2)
    client.force_login(by)

    page = client.get(_page(call)).content.decode()

    assert "No assignment meets every rule:" in page
    assert (
        f"{app.reference} needs 2 reviewers but only 1 available experts have no conflict with it."
        in page
    )


def test_the_progress_page_polls_while_the_run_waits(client, call):
    by = call_staff(call)
    run = services.start_assignment_run(call=call, by=by, mode="fair", reviews=2)
    client.force_login(by)
    url = reverse("review:assignment_run", args=[call.slug, run.pk])

    whole = client.get(url).content.decode()
    partial = client.get(url, headers={"HX-Request": "true"}).content.decode()

    assert 'hx-trigger="every 2s"' in whole and "<html" in whole
    assert 'hx-trigger="every 2s"' in partial and "<html" not in partial
    assert "Waiting for a worker" in partial


def test_a_bad_run_form_says_why_and_starts_nothing(client, call):
    client.force_login(call_staff(call))

    with translation.override("en"):
        url = reverse("review:assignment_start", args=[call.slug])
    response = client.post(url, {"mode": "greedy", "reviews": "99"})

    assert response.status_code == 200
    page = response.content.decode()
    assert "Select a valid choice" in page
    assert "Ensure this value is less than or equal to 10" in page
    assert not AssignmentRun.objects.exists()


def test_a_pair_with_a_conflicted_expert_is_refused_in_plain_words(client, call):
    studio = OrganisationFactory()
    app = application(call, organisation=studio)
    reader = expert(call.fund)
    works_for(reader, studio)
    row = _available(reader, call)
    client.force_login(call_staff(call))

    response = client.post(
        reverse("review:assignment_add", args=[call.slug]),
        {"application": app.pk, "expert": row.pk},
    )

    assert response.status_code == 200
    assert "This expert has a conflict of interest with this application." in (
        response.content.decode()
    )
    assert not Assignment.objects.exists()


def test_a_pair_over_the_experts_maximum_is_refused(client, call):
    first, second = application(call), application(call)
    reader = expert(call.fund)
    row = _available(reader, call, max_load=1)
    client.force_login(call_staff(call))
    url = reverse("review:assignment_add", args=[call.slug])

    assert client.post(url, {"application": first.pk, "expert": row.pk}).status_code == 302
    response = client.post(url, {"application": second.pk, "expert": row.pk})

    assert "already has 1 applications of this call, their maximum" in response.content.decode()
    assert Assignment.objects.get().application == first
    assert AuditEntry.objects.filter(action="review.assignment.added").count() == 1


def test_staff_lock_remove_and_publish_are_audited(client, call):
    first, second = application(call), application(call)
    reader = expert(call.fund)
    row = _available(reader, call)
    keep = Assignment.objects.create(application=first, expert=row)
    drop = Assignment.objects.create(application=second, expert=row)
    client.force_login(call_staff(call))

    client.post(reverse("review:assignment_lock", args=[call.slug, keep.pk]), {"locked": "1"})
    client.post(reverse("review:assignment_remove", args=[call.slug, drop.pk]))
    client.post(reverse("review:assignment_publish", args=[call.slug]))

    keep.refresh_from_db()
    assert keep.locked and keep.status == PairStatus.PUBLISHED and keep.published_at
    assert not Assignment.objects.filter(pk=drop.pk).exists()
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {
        "review.assignment.locked",
        "review.assignment.removed",
        "review.assignment.published",
    } <= actions


def test_publishing_tells_each_expert_once_in_their_language(
    client, call, mailoutbox, django_capture_on_commit_callbacks
):
    first, second = _available(expert(call.fund), call), _available(expert(call.fund), call)
    first.user.preferred_language = "en"
    first.user.save()
    for row in (first, first, second):
        Assignment.objects.create(application=application(call), expert=row)
    client.force_login(call_staff(call))

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("review:assignment_publish", args=[call.slug]))

    assert sorted(m.to[0] for m in mailoutbox) == sorted([first.email, second.email])
    english = next(m for m in mailoutbox if m.to == [first.email])
    with translation.override("en"):
        title = call.title
    assert english.subject == f"2 applications of {title} await your answer"
    assert reverse("review:my_assignments") in english.body


def test_the_worst_served_applications_come_first(client, call):
    served = application(call, title="Served")
    application(call, title="Missing")
    row = _available(expert(call.fund), call)
    Assignment.objects.create(application=served, expert=row, affinity=0.5)
    client.force_login(call_staff(call))

    page = client.get(_page(call)).content.decode()

    assert page.index("Missing") < page.index("Served")
    assert "3 reviewers missing" in page and "2 reviewers missing" in page


def test_staff_of_another_call_get_403(client, call):
    client.force_login(call_staff(open_call(call.fund)))

    assert client.get(_page(call)).status_code == 403
    response = client.post(
        reverse("review:assignment_start", args=[call.slug]), {"mode": "optimal", "reviews": "1"}
    )
    assert response.status_code == 403
    assert not AssignmentRun.objects.exists()


def test_a_pair_of_another_call_is_404_for_this_calls_staff(client, call):
    other = open_call(call.fund)
    row = _available(expert(call.fund), other)
    pair = Assignment.objects.create(application=application(other), expert=row)
    client.force_login(call_staff(call))

    response = client.post(reverse("review:assignment_remove", args=[call.slug, pair.pk]))

    assert response.status_code == 404
    assert Assignment.objects.filter(pk=pair.pk).exists()


def test_fund_staff_and_global_staff_reach_the_page(client, call):
    for user in (fund_staff(call.fund), staff()):
        client.force_login(user)
        assert client.get(_page(call)).status_code == 200


# --- Pages and filters ------------------------------------------------------------------------


@pytest.fixture
def two_per_page(monkeypatch):
    monkeypatch.setattr(selectors_assignment, "PAGE_SIZE", 2)


def _three_served(call):
    """Three applications, served 0, 1 and 2 times (of 3 reviews asked) by two experts."""
    first, second = _available(expert(call.fund), call), _available(expert(call.fund), call)
    none, one, two = (application(call, title=t) for t in ("Nobody", "One", "Two"))
    Assignment.objects.create(application=one, expert=first, affinity=0.4)
    Assignment.objects.create(application=two, expert=first, affinity=0.3)
    Assignment.objects.create(application=two, expert=second, affinity=0.2)
    return none, one, two


def test_the_proposal_is_paged_the_worst_served_first(client, call, two_per_page):
    none, one, two = _three_served(call)
    client.force_login(call_staff(call))

    first = client.get(_page(call)).content.decode()
    second = client.get(_page(call) + "?page=2").content.decode()

    assert none.reference in first and one.reference in first and two.reference not in first
    assert first.index("Nobody") < first.index("One")
    assert two.reference in second and none.reference not in second
    assert 'aria-label="Pages of the applications"' in first
    assert 'href="?page=2#proposal"' in first and "Page 1 of 2" in first
    # The figures are the whole call's, whatever the page.
    for page in (first, second):
        assert "3 applications to assign: 0 with every review asked" in page
        assert "6 reviewers missing in all" in page


def test_the_page_links_keep_the_filters(client, call, two_per_page):
    _three_served(call)
    client.force_login(call_staff(call))

    page = client.get(_page(call) + "?order=reference&q=o").content.decode()

    assert "Applications, by reference" in page
    assert 'href="?q=o&amp;order=reference&amp;page=2#proposal"' in page


def test_search_by_reference_title_or_expert(client, call):
    reader = expert(call.fund, first_name="Ada", last_name="Lovelace")
    row = _available(reader, call)
    found = application(call, title="Mine")
    other = application(call, title="Other")
    Assignment.objects.create(application=found, expert=row)
    client.force_login(call_staff(call))

    by_expert = client.get(_page(call), {"q": "lovelace"}).content.decode()
    by_reference = client.get(_page(call), {"q": other.reference}).content.decode()

    assert found.reference in by_expert and other.reference not in by_expert
    assert other.reference in by_reference and found.reference not in by_reference
    nothing = client.get(_page(call), {"q": "no-such-file"}).content.decode()
    assert "No application matches these filters." in nothing


def test_only_the_applications_missing_a_reviewer(client, call):
    row = _available(expert(call.fund), call)
    served = application(call, title="Served")
    application(call, title="Missing")
    Assignment.objects.create(application=served, expert=row)
    AssignmentRun.objects.create(call=call, reviews=1, started_by=call_staff(call))
    client.force_login(call_staff(call))

    page = client.get(_page(call), {"missing": "on"}).content.decode()

    assert "Missing" in page and "Served" not in page


def test_a_pair_of_another_page_is_locked_and_removed_back_on_that_page(client, call, two_per_page):
    _none, _one, two = _three_served(call)
    pair, other = Assignment.objects.filter(application=two)
    client.force_login(call_staff(call))
    back = "order=reference&page=2&next=https://evil.example"

    locked = client.post(
        reverse("review:assignment_lock", args=[call.slug, pair.pk]), {"locked": "1", "back": back}
    )
    removed = client.post(
        reverse("review:assignment_remove", args=[call.slug, other.pk]), {"back": back}
    )

    for response in (locked, removed):
        assert response.status_code == 302
        assert response["Location"] == _page(call) + "?order=reference&page=2#proposal"
    pair.refresh_from_db()
    assert pair.locked and not Assignment.objects.filter(pk=other.pk).exists()


def test_an_expert_is_added_to_an_application_of_another_page(client, call, two_per_page):
    _none, _one, two = _three_served(call)
    row = _available(expert(call.fund), call)
    client.force_login(call_staff(call))

    offered = client.get(_page(call)).content.decode()
    # Page 1 offers its own applications.
    assert f'<option value="{two.pk}">{two.reference}' not in offered
    response = client.post(
        reverse("review:assignment_add", args=[call.slug]),
        {"application": two.pk, "expert": row.pk, "back": "page=2"},
    )

    assert response.status_code == 302
    assert response["Location"] == _page(call) + "?page=2#proposal"
    assert Assignment.objects.filter(application=two, expert=row).exists()


def test_an_application_of_another_call_cannot_be_added(client, call):
    row = _available(expert(call.fund), call)
    stranger = application(open_call(call.fund))
    client.force_login(call_staff(call))
    with translation.override("en"):
        url = reverse("review:assignment_add", args=[call.slug])

    response = client.post(
        url,
        {"application": stranger.pk, "expert": row.pk},
    )

    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not Assignment.objects.exists()


def test_the_experts_loads_are_paged_with_their_figures(client, call, two_per_page):
    _three_served(call)
    for _ in range(2):
        _available(expert(call.fund), call, max_load=1)
    names = [str(e.user.person.display_name) for e in Expert.objects.all()]
    client.force_login(call_staff(call))

    first = client.get(_page(call)).content.decode()
    second = client.get(_page(call), {"experts_page": "2"}).content.decode()

    assert 'aria-label="Pages of the experts"' in first
    assert 'href="?experts_page=2#loads"' in first
    assert "4 experts: 3 applications placed, for a capacity of 8" in first
    loads = [page.split('id="loads"')[1] for page in (first, second)]
    assert [table.count('<th scope="row">') for table in loads] == [2, 2]
    assert all(sum(f'<th scope="row">{n}</th>' in t for t in loads) == 1 for n in names)


# --- Experts --------------------------------------------------------------------------------------


def test_an_expert_sees_only_published_assignments_and_accepts(client, call):
    reader = expert(call.fund)
    row = _available(reader, call)
    shown = _published(call, reader, application(call, title="Published file"))
    Assignment.objects.create(application=application(call, title="Proposed file"), expert=row)
    client.force_login(reader)

    inbox = client.get(reverse("review:my_assignments")).content.decode()
    assert "Published file" in inbox and "Proposed file" not in inbox

    response = client.post(reverse("review:my_assignment", args=[shown.pk]), {"answer": "accept"})

    assert response.status_code == 302
    shown.refresh_from_db()
    assert shown.response == "accepted"
    assert AuditEntry.objects.filter(action="review.assignment.accepted").count() == 1


def test_declining_with_a_conflict_records_it_and_closes_the_file(client, call):
    reader = expert(call.fund)
    pair = _published(call, reader, application(call))
    client.force_login(reader)
    url = reverse("review:my_assignment", args=[pair.pk])

    response = client.post(
        url, {"answer": "decline", "conflict_kind": "family", "reason": "My cousin leads it."}
    )

    assert response.status_code == 302
    pair.refresh_from_db()
    assert pair.response == "declined"
    assert Declaration.objects.get().reason == "My cousin leads it."
    assert client.get(url).status_code == 404


def test_a_conflict_without_reason_is_refused_and_nothing_is_lost(client, call):
    reader = expert(call.fund)
    pair = _published(call, reader, application(call))
    client.force_login(reader)

    response = client.post(
        reverse("review:my_assignment", args=[pair.pk]),
        {"answer": "decline", "conflict_kind": "family", "reason": ""},
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "Give a reason: it is kept in the audit log." in page
    assert 'value="family" selected' in page
    pair.refresh_from_db()
    assert pair.response == "pending" and not Declaration.objects.exists()


def test_an_expert_not_assigned_gets_404(client, call):
    pair = _published(call, expert(call.fund), application(call))
    client.force_login(expert(call.fund))

    assert client.get(reverse("review:my_assignment", args=[pair.pk])).status_code == 404


def test_an_expert_of_another_fund_gets_404(client, call):
    pair = _published(call, expert(call.fund), application(call))
    client.force_login(expert(other_fund()))

    url = reverse("review:my_assignment", args=[pair.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"answer": "accept"}).status_code == 404


def test_a_conflicted_expert_gets_404_on_their_assignment(client, call):
    studio = OrganisationFactory()
    reader = expert(call.fund)
    pair = _published(call, reader, application(call, organisation=studio))
    works_for(reader, studio)
    client.force_login(reader)

    assert client.get(reverse("review:my_assignment", args=[pair.pk])).status_code == 404


def test_a_proposed_assignment_is_404_to_its_expert(client, call):
    reader = expert(call.fund)
    pair = Assignment.objects.create(application=application(call), expert=_available(reader, call))
    client.force_login(reader)

    assert client.get(reverse("review:my_assignment", args=[pair.pk])).status_code == 404


def test_anonymous_and_experts_without_second_factor_are_turned_away(client, call):
    reader = expert(call.fund, with_totp=False)
    pair = _published(call, reader, application(call))
    url = reverse("review:my_assignment", args=[pair.pk])

    assert client.get(url)["Location"].startswith(reverse("account_login"))
    client.force_login(reader)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")


def test_the_applicant_never_sees_who_reviews(client, call):
    app = application(call)
    reader = expert(call.fund, first_name="Canary", last_name="Reviewer")
    _published(call, reader, app)
    client.force_login(app.lead)

    for url in (
        reverse("calls:my_applications"),
        reverse("calls:application_detail", args=[app.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 200
        assert "Canary" not in response.content.decode()
    assert client.get(_page(call)).status_code == 403
    assert client.get(reverse("review:my_assignments")).status_code == 403


# --- Query counts ---------------------------------------------------------------------------------


def test_the_proposal_page_costs_the_same_queries_for_more_pairs(client, call):
    client.force_login(call_staff(call))

    def grow():
        row = _available(expert(call.fund), call)
        app = application(call)
        Assignment.objects.create(application=app, expert=row, affinity=0.4, why=["mine"])
        Assignment.objects.create(application=application(call), expert=row, locked=True)

    grow()
    same_queries(client, _page(call), grow)


def test_a_later_filtered_page_costs_the_same_queries_for_more_pairs(client, call, two_per_page):
    client.force_login(call_staff(call))
    reader = expert(call.fund, last_name="Searched")
    row = _available(reader, call, max_load=99)

    def grow():
        Assignment.objects.create(application=application(call), expert=row, affinity=0.1)
        Assignment.objects.create(application=application(call), expert=row, locked=True)

    grow()
    same_queries(client, _page(call) + "?q=searched&page=2&experts_page=1", grow)


def test_the_inbox_costs_the_same_queries_for_more_assignments(client, call):
    reader = expert(call.fund)
    client.force_login(reader)

    def grow():
        _published(call, reader, application(call))

    grow()
    same_queries(client, reverse("review:my_assignments"), grow)
