"""Reviewing: the expert writes, autosaves, submits; the staff follow and reopen. Tested as the
users who may, and as the attackers who may not."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from filiere.accounts.services import create_api_token
from filiere.audit.models import AuditEntry
from filiere.calls.models import Criterion
from filiere.review import selectors_review
from filiere.review.models import (
    Assignment,
    Expert,
    PairResponse,
    PairStatus,
    Review,
    ReviewSettings,
    ReviewVisibility,
)
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
    call = open_call()
    Criterion.objects.create(call=call, code="artistic", label_fr="Qualité", weight=25, position=1)
    Criterion.objects.create(
        call=call, code="feasibility", label_fr="Faisabilité", weight=20, position=2
    )
    return call


def _pair(call, user, app=None, response=PairResponse.ACCEPTED):
    return Assignment.objects.create(
        application=app or application(call),
        expert=Expert.objects.get(user=user, fund=call.fund),
        status=PairStatus.PUBLISHED,
        response=response,
    )


def _url(pair, name="review:review_form"):
    return reverse(name, args=[pair.pk])


def _data(version=0, **values):
    data = {
        "version": str(version),
        "score_artistic": "4",
        "score_feasibility": "na",
        "opinion": "A strong, clear project.",
        "confidential_note": "Secret-canary note",
        "recommendation": "fund",
        "action": "save",
    }
    data.update(values)
    return data


# --- The expert -----------------------------------------------------------------------------------


def test_the_form_shows_the_criteria_with_weights_scale_and_guidance(client, call):
    ReviewSettings.objects.create(call=call, scale_max=3, guidance="0: absent\n3: excellent")
    reader = expert(call.fund)
    client.force_login(reader)

    page = client.get(_url(_pair(call, reader))).content.decode()

    assert "Qualité (weight 25)" in page and "Faisabilité (weight 20)" in page
    assert 'value="3"' in page and 'value="4"' not in page and 'value="na"' in page
    assert "3: excellent" in page
    assert 'hx-post="' + _url(Assignment.objects.get(), "review:review_autosave") in page


def test_save_keeps_a_draft_and_submit_records_the_weighted_total(client, call):
    reader = expert(call.fund)
    pair = _pair(call, reader)
    client.force_login(reader)

    response = client.post(_url(pair), _data(opinion=""))
    assert response.status_code == 302
    review = Review.objects.get(assignment=pair)
    assert review.status == "draft" and review.version == 1
    assert review.scores == {"artistic": 4, "feasibility": "na"}

    response = client.post(_url(pair), _data(version=1, action="submit"))
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.submitted and review.submitted_at is not None
    assert review.total == 80.0  # n/a leaves the mean: 4 out of 5
    assert AuditEntry.objects.filter(action="review.review.submitted").count() == 1
    page = client.get(_url(pair)).content.decode()
    assert "Your review has been submitted." in page and "Submit my review" not in page


def test_submit_without_every_score_says_why_and_keeps_the_draft(client, call):
    reader = expert(call.fund)
    pair = _pair(call, reader)
    client.force_login(reader)

    response = client.post(_url(pair), _data(score_feasibility="", action="submit"))

    assert response.status_code == 200
    page = response.content.decode()
    assert "Score every criterion before submitting (1 left)." in page
    assert "A strong, clear project." in page
    review = Review.objects.get(assignment=pair)
    assert review.status == "draft" and review.opinion == "A strong, clear project."
    assert 'name="version" value="1"' in page


def test_submit_without_an_opinion_is_refused(client, call):
    reader = expert(call.fund)
    pair = _pair(call, reader)
    client.force_login(reader)

    page = client.post(_url(pair), _data(opinion="  ", action="submit")).content.decode()

    assert "Write your opinion for the applicant before submitting." in page
    assert not Review.objects.get(assignment=pair).submitted


def test_not_applicable_is_refused_where_the_call_forbids_it(client, call):
    ReviewSettings.objects.create(call=call, allow_na=False)
    reader = expert(call.fund)
    pair = _pair(call, reader)
    client.force_login(reader)

    response = client.post(_url(pair), _data(action="submit"))

    assert response.status_code == 200
    assert not Review.objects.filter(assignment=pair, status="submitted").exists()


def test_autosave_saves_and_moves_the_version_on(client, call):
    reader = expert(call.fund)
    pair = _pair(call, reader)
    client.force_login(reader)

    response = client.post(_url(pair, "review:review_autosave"), _data(), HTTP_HX_REQUEST="true")

    assert response.status_code == 200
    assert 'name="version" value="1"' in response.content.decode()
    assert Review.objects.get(assignment=pair).opinion == "A strong, clear project."


def test_a_stale_autosave_overwrites_nothing(client, call):
    reader = expert(call.fund)
    pair = _pair(call, reader)
    client.force_login(reader)
    client.post(_url(pair), _data(opinion="Saved in another tab"))

    response = client.post(
        _url(pair, "review:review_autosave"), _data(version=0, opinion="Typed here")
    )

    assert "your changes were not saved" in response.content.decode()
    assert Review.objects.get(assignment=pair).opinion == "Saved in another tab"


def test_a_stale_save_answers_409_with_both_versions_and_the_typed_values(client, call):
    reader = expert(call.fund)
    pair = _pair(call, reader)
    client.force_login(reader)
    client.post(_url(pair), _data(opinion="Saved in another tab"))

    response = client.post(_url(pair), _data(version=0, opinion="Typed here"))

    assert response.status_code == 409
    page = response.content.decode()
    assert "Saved in another tab" in page and "Typed here" in page
    assert "Typed here</textarea>" in page
    assert Review.objects.get(assignment=pair).opinion == "Saved in another tab"


def test_save_and_next_goes_to_the_next_review_to_write(client, call):
    reader = expert(call.fund)
    first = _pair(call, reader)
    second = _pair(call, reader)
    client.force_login(reader)

    response = client.post(_url(first), _data(action="next"))

    assert response["Location"] == _url(second)
    response = client.post(_url(second), _data(action="next"))
    assert response["Location"] == _url(first)  # the first is still a draft


def test_a_submitted_review_cannot_be_saved_again(client, call):
    reader = expert(call.fund)
    pair = _pair(call, reader)
    client.force_login(reader)
    client.post(_url(pair), _data(action="submit"))

    response = client.post(
        _url(pair, "review:review_autosave"), _data(version=2, opinion="Changed")
    )

    assert "ask the staff to reopen it" in response.content.decode()
    assert Review.objects.get(assignment=pair).opinion == "A strong, clear project."


def test_the_inbox_shows_progress_and_the_deadline(client, call):
    ReviewSettings.objects.create(call=call, deadline=timezone.now() - timedelta(days=1))
    reader = expert(call.fund)
    done = _pair(call, reader)
    _pair(call, reader)
    _pair(call, reader, response=PairResponse.PENDING)
    client.force_login(reader)
    client.post(_url(done), _data(action="submit"))

    page = client.get(reverse("review:my_assignments")).content.decode()

    assert "Submitted" in page and "To write" in page
    assert page.count(">late</strong>") == 1  # the accepted one not submitted


# --- Other reviews --------------------------------------------------------------------------------


def _two_reviewers(call, visibility):
    ReviewSettings.objects.create(call=call, visibility=visibility)
    app = application(call)
    first = expert(call.fund, first_name="Canary", last_name="Firstreader")
    second = expert(call.fund)
    first_pair = _pair(call, first, app)
    second_pair = _pair(call, second, app)
    return first, first_pair, second, second_pair


def _submit(client, user, pair, **values):
    client.force_login(user)
    assert client.post(_url(pair), _data(action="submit", **values)).status_code == 302


@pytest.mark.parametrize(
    ("visibility", "before", "after"),
    [
        (ReviewVisibility.NEVER, False, False),
        (ReviewVisibility.AFTER_OWN, False, True),
        (ReviewVisibility.ALWAYS, True, True),
    ],
)
def test_other_reviews_follow_the_visibility_without_names(client, call, visibility, before, after):
    first, first_pair, second, second_pair = _two_reviewers(call, visibility)
    _submit(client, first, first_pair, opinion="Opinion-of-first")

    client.force_login(second)
    page = client.get(_url(second_pair)).content.decode()
    assert ("Opinion-of-first" in page) is before
    _submit(client, second, second_pair)
    page = client.get(_url(second_pair)).content.decode()
    assert ("Opinion-of-first" in page) is after
    if after:
        assert "Reviewer A" in page
    assert "Canary" not in page and "Firstreader" not in page
    # The first reviewer's note stays with the committee: the page shows only the expert's own.
    assert page.count("Secret-canary note") == 1


# --- Attackers ------------------------------------------------------------------------------------


def test_another_expert_gets_404(client, call):
    pair = _pair(call, expert(call.fund))
    client.force_login(expert(call.fund))

    assert client.get(_url(pair)).status_code == 404
    assert client.post(_url(pair, "review:review_autosave"), _data()).status_code == 404
    assert not Review.objects.exists()


def test_an_expert_who_did_not_accept_gets_404(client, call):
    reader = expert(call.fund)
    pending = _pair(call, reader, response=PairResponse.PENDING)
    declined = _pair(call, reader, response=PairResponse.DECLINED)
    client.force_login(reader)

    assert client.get(_url(pending)).status_code == 404
    assert client.post(_url(declined), _data()).status_code == 404


def test_an_expert_of_another_fund_gets_404(client, call):
    pair = _pair(call, expert(call.fund))
    client.force_login(expert(other_fund()))

    assert client.get(_url(pair)).status_code == 404


def test_a_conflicted_expert_gets_404(client, call):
    studio = OrganisationFactory()
    reader = expert(call.fund)
    pair = _pair(call, reader, application(call, organisation=studio))
    works_for(reader, studio)
    client.force_login(reader)

    assert client.get(_url(pair)).status_code == 404
    assert client.post(_url(pair), _data()).status_code == 404


def test_anonymous_and_experts_without_second_factor_are_turned_away(client, call):
    reader = expert(call.fund, with_totp=False)
    pair = _pair(call, reader)

    assert client.get(_url(pair))["Location"].startswith(reverse("account_login"))
    client.force_login(reader)
    response = client.post(_url(pair), _data())
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")
    assert not Review.objects.exists()


def test_the_applicant_cannot_reach_the_review_pages(client, call):
    app = application(call)
    pair = _pair(call, expert(call.fund), app)
    client.force_login(app.lead)

    assert client.get(_url(pair)).status_code == 403
    assert client.get(reverse("review:review_dashboard", args=[call.slug])).status_code == 403


# --- Staff ----------------------------------------------------------------------------------------


def test_the_dashboard_counts_per_application_and_expert_late_first(client, call):
    ReviewSettings.objects.create(call=call, deadline=timezone.now() - timedelta(hours=1))
    slow = expert(call.fund, first_name="Slow", last_name="Reader")
    quick = expert(call.fund, first_name="Quick", last_name="Reader")
    late_app = application(call, title="Late file")
    done_app = application(call, title="Done file")
    _pair(call, slow, late_app)
    _pair(call, quick, late_app, response=PairResponse.PENDING)
    done = _pair(call, quick, done_app)
    _submit(client, quick, done)
    client.force_login(call_staff(call))

    response = client.get(reverse("review:review_dashboard", args=[call.slug]))

    assert response.status_code == 200
    progress = response.context["progress"]
    assert progress.applications[0].application == late_app
    assert (progress.applications[0].invited, progress.applications[0].accepted) == (2, 1)
    assert progress.applications[0].submitted == 0 and progress.applications[1].submitted == 1
    assert progress.experts[0].label == "Slow Reader"
    page = response.content.decode()
    assert "Quick Reader" in page  # the staff see names
    assert "1 late" in page


def test_staff_reopen_a_review_with_a_reason(client, call):
    reader = expert(call.fund)
    pair = _pair(call, reader)
    _submit(client, reader, pair)
    review = Review.objects.get(assignment=pair)
    client.force_login(call_staff(call))
    url = reverse("review:review_reopen", args=[call.slug, review.pk])

    client.post(url, {"reason": ""})
    review.refresh_from_db()
    assert review.submitted
    client.post(url, {"reason": "Scores contradict the opinion"})
    review.refresh_from_db()
    assert review.status == "draft" and review.submitted_at is None
    entry = AuditEntry.objects.get(action="review.review.reopened")
    assert entry.reason == "Scores contradict the opinion"
    client.force_login(reader)
    assert "Submit my review" in client.get(_url(pair)).content.decode()


def test_staff_of_another_call_are_refused(client, call):
    reader = expert(call.fund)
    pair = _pair(call, reader)
    _submit(client, reader, pair)
    review = Review.objects.get(assignment=pair)
    client.force_login(call_staff(open_call(fund=call.fund)))

    assert client.get(reverse("review:review_dashboard", args=[call.slug])).status_code == 403
    url = reverse("review:review_reopen", args=[call.slug, review.pk])
    assert client.post(url, {"reason": "x"}).status_code == 403
    review.refresh_from_db()
    assert review.submitted


def test_a_review_of_another_call_is_404_to_this_calls_staff(client, call):
    other = open_call(fund=call.fund)
    reader = expert(call.fund)
    pair = _pair(other, reader)
    _submit(client, reader, pair)
    client.force_login(call_staff(call))

    review = Review.objects.get(assignment=pair)
    url = reverse("review:review_reopen", args=[call.slug, review.pk])
    assert client.post(url, {"reason": "x"}).status_code == 404


def test_staff_set_the_settings_audited(client, call):
    client.force_login(call_staff(call))

    response = client.post(
        reverse("review:review_settings", args=[call.slug]),
        {"scale_max": "10", "visibility": "always", "allow_na": "on", "guidance": "0: none"},
    )

    assert response.status_code == 302
    settings = ReviewSettings.objects.get(call=call)
    assert (settings.scale_max, settings.visibility) == (10, "always")
    assert AuditEntry.objects.filter(action="review.review.settings").exists()


def _dashboard(call):
    return reverse("review:review_dashboard", args=[call.slug])


def test_the_dashboard_is_paged_late_first_with_the_whole_calls_figures(client, call, monkeypatch):
    monkeypatch.setattr(selectors_review, "PAGE_SIZE", 1)
    ReviewSettings.objects.create(call=call, deadline=timezone.now() - timedelta(hours=1))
    slow = expert(call.fund, first_name="Slow", last_name="Reader")
    quick = expert(call.fund, first_name="Quick", last_name="Reader")
    late_app = application(call, title="Late file")
    done_app = application(call, title="Done file")
    _pair(call, slow, late_app)
    done = _pair(call, quick, done_app)
    _submit(client, quick, done)
    client.force_login(call_staff(call))

    first = client.get(_dashboard(call)).content.decode()
    second = client.get(_dashboard(call), {"page": "2", "experts_page": "2"}).content.decode()

    assert "Late file" in first and "Done file" not in first
    assert "Done file" in second and "Late file" not in second
    assert "Slow Reader" in first.split('id="per-expert"')[1]
    assert "Quick Reader" in second.split('id="per-expert"')[1]
    assert 'aria-label="Pages of the applications"' in first
    assert 'href="?page=2#per-application"' in first
    assert 'href="?experts_page=2#per-expert"' in first
    assert 'href="?page=2&amp;experts_page=1#per-expert"' in second  # the other table's page kept
    for page in (first, second):
        assert "2 invited, 2 accepted; reviews submitted: 1." in page
        assert "1 accepted review still missing." in page


def test_the_dashboard_searches_an_expert_and_keeps_the_missing_ones(client, call):
    ada = expert(call.fund, first_name="Ada", last_name="Lovelace")
    grace = expert(call.fund, first_name="Grace", last_name="Hopper")
    ada_app = application(call, title="Ada's file")
    grace_app = application(call, title="Grace's file")
    _pair(call, ada, ada_app)
    done = _pair(call, grace, grace_app)
    _submit(client, grace, done)
    client.force_login(call_staff(call))

    found = client.get(_dashboard(call), {"q": "lovelace"}).content.decode()
    missing = client.get(_dashboard(call), {"missing": "on"}).content.decode()

    assert ada_app.reference in found and grace_app.reference not in found
    assert "Ada Lovelace" in found and "Grace Hopper" not in found
    assert ada_app.reference in missing and grace_app.reference not in missing
    assert "Grace Hopper" not in missing


def test_a_review_reopened_from_a_later_page_comes_back_to_it(client, call):
    reader = expert(call.fund)
    pair = _pair(call, reader)
    _submit(client, reader, pair)
    review = Review.objects.get(assignment=pair)
    client.force_login(call_staff(call))

    response = client.post(
        reverse("review:review_reopen", args=[call.slug, review.pk]),
        {"reason": "Too short", "back": "q=x&page=3&evil=//elsewhere"},
    )

    assert response["Location"] == _dashboard(call) + "?q=x&page=3#per-application"
    review.refresh_from_db()
    assert review.status == "draft"


# --- Canaries: nothing of a review reaches the applicant ------------------------------------------


def test_no_reviewer_name_nor_note_reaches_the_applicant(client, call):
    app = application(call)
    reader = expert(call.fund, first_name="Canary", last_name="Reviewer")
    pair = _pair(call, reader, app)
    _submit(client, reader, pair, opinion="Opinion-canary")
    client.force_login(app.lead)

    for url in (
        reverse("calls:my_applications"),
        reverse("calls:application_detail", args=[app.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 200
        page = response.content.decode()
        for canary in ("Canary", "Secret-canary note", "Opinion-canary"):
            assert canary not in page
    key = create_api_token(user=app.lead, name="t")[1]
    response = client.get(f"/api/v1/applications/{app.pk}", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.status_code == 200
    body = response.content.decode()
    for canary in ("Canary", "Secret-canary note", "Opinion-canary"):
        assert canary not in body


# --- Query counts ---------------------------------------------------------------------------------


def test_the_dashboard_costs_the_same_queries_for_more_reviews(client, call):
    client.force_login(call_staff(call))

    def grow():
        reader = expert(call.fund)
        pair = _pair(call, reader)
        Review.objects.create(assignment=pair, status="submitted", opinion="x")
        _pair(call, reader)

    grow()
    same_queries(client, reverse("review:review_dashboard", args=[call.slug]), grow)


def test_a_later_searched_page_of_the_dashboard_costs_the_same_queries(client, call, monkeypatch):
    monkeypatch.setattr(selectors_review, "PAGE_SIZE", 1)
    ReviewSettings.objects.create(call=call, deadline=timezone.now() - timedelta(hours=1))
    client.force_login(call_staff(call))

    def grow():
        reader = expert(call.fund, last_name="Searched")
        pair = _pair(call, reader)
        Review.objects.create(assignment=pair, status="submitted", opinion="x")
        _pair(call, reader)

    grow()
    url = reverse("review:review_dashboard", args=[call.slug]) + "?q=searched&page=2"
    same_queries(client, url, grow)


def test_the_inbox_costs_the_same_queries_for_more_reviews(client, call):
    reader = expert(call.fund)
    client.force_login(reader)

    def grow():
        pair = _pair(call, reader)
        Review.objects.create(assignment=pair, opinion="draft")
        _pair(call, reader, response=PairResponse.PENDING)

    grow()
    same_queries(client, reverse("review:my_assignments"), grow)
