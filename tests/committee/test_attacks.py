"""The committee stage read as an attacker: ids swapped between sessions, calls and
applications; removed, on-the-team and conflicted members; reviewers' names reaching the
applicant; amount and page tricks; crafted simulator rules; CSRF and markup. Each attack
answers a 404 (or a refusal), never a 500 and never another session's data."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from filiere.accounts.models import Role
from filiere.accounts.services import create_api_token, grant_role
from filiere.committee.letters import letter_pdf
from filiere.committee.models import Decision, Letter, Scenario, SessionMember, Vote
from filiere.committee.services_decisions import confirm_decision, propose_decision
from filiere.review.models import CONFLICT_KINDS, Declaration, DeclarationSource
from tests.calls.instruction_factories import add_member
from tests.committee.factories import (
    call_staff,
    expert,
    member,
    on_agenda,
    open_call,
    reviewed,
    session,
    staff,
)
from tests.committee.test_simulator_pages import _form
from tests.committee.test_simulator_setup import run, scored_session

pytestmark = pytest.mark.django_db


def _bearer(user):
    return {"HTTP_AUTHORIZATION": f"Bearer {create_api_token(user=user, name='t')[1]}"}


def _api_agenda(meeting):
    return f"/api/v1/committee/sessions/{meeting.pk}/agenda"


def _api_vote(meeting, item):
    return f"/api/v1/committee/sessions/{meeting.pk}/items/{item.pk}/vote"


def _vote(client, meeting, item, **headers):
    return client.post(
        _api_vote(meeting, item),
        data=json.dumps({"choice": "fund"}),
        content_type="application/json",
        **headers,
    )


def _member_pages(meeting, item):
    return [
        reverse("committee:agenda", args=[meeting.pk]),
        reverse("committee:item", args=[meeting.pk, item.pk]),
        reverse("committee:simulator", args=[meeting.pk]),
    ]


def _member_posts(meeting, item):
    return {
        reverse("committee:item_vote", args=[meeting.pk, item.pk]): {"choice": "fund"},
        reverse("committee:item_notes", args=[meeting.pk, item.pk]): {
            "notes": "pwned",
            "version": "0",
        },
    }


@pytest.fixture
def two_sessions():
    """Session A (the attacker's) and session B (another call's), one item each."""
    call_a, call_b = open_call(), open_call()
    meeting_a, meeting_b = session(call_a), session(call_b)
    (item_a,) = on_agenda(meeting_a, reviewed(call_a, [70]))
    (item_b,) = on_agenda(meeting_b, reviewed(call_b, [60]))
    return meeting_a, item_a, meeting_b, item_b


# --- IDOR between sessions ----------------------------------------------------------------------


def test_a_member_of_one_session_reads_and_votes_nothing_of_another(client, two_sessions):
    meeting_a, item_a, meeting_b, item_b = two_sessions
    attacker = member(meeting_a)
    client.force_login(attacker)
    assert client.get(reverse("committee:item", args=[meeting_a.pk, item_a.pk])).status_code == 200
    for url in _member_pages(meeting_b, item_b):
        assert client.get(url).status_code == 404, url
    # Session B's item under session A's id, where the attacker is a member.
    for url in _member_pages(meeting_a, item_b)[1:2]:
        assert client.get(url).status_code == 404, url
    for meeting in (meeting_a, meeting_b):
        for url, data in _member_posts(meeting, item_b).items():
            assert client.post(url, data).status_code == 404, url
    assert client.get(_api_agenda(meeting_b), **_bearer(attacker)).status_code == 404
    assert _vote(client, meeting_b, item_b, **_bearer(attacker)).status_code == 404
    assert _vote(client, meeting_a, item_b, **_bearer(attacker)).status_code == 404
    item_b.refresh_from_db()
    assert not Vote.objects.filter(item=item_b).exists()
    assert item_b.notes == ""


def test_a_removed_member_reads_nothing_more(client, two_sessions):
    meeting_a, item_a, _b, _item_b = two_sessions
    attacker = member(meeting_a)
    token = _bearer(attacker)
    SessionMember.objects.filter(user=attacker).update(removed_at=timezone.now())
    client.force_login(attacker)
    for url in _member_pages(meeting_a, item_a):
        assert client.get(url).status_code in (403, 404), url
    for url, data in _member_posts(meeting_a, item_a).items():
        assert client.post(url, data).status_code in (403, 404), url
    assert client.get(_api_agenda(meeting_a), **token).status_code in (403, 404)
    assert _vote(client, meeting_a, item_a, **token).status_code in (403, 404)
    assert not Vote.objects.exists()


def test_a_member_whose_grant_is_revoked_reads_nothing_more(client, two_sessions):
    meeting_a, item_a, _b, _item_b = two_sessions
    attacker = member(meeting_a)
    grant = SessionMember.objects.get(user=attacker).grant
    grant.revoked_at = timezone.now()
    grant.save()
    client.force_login(attacker)
    for url in _member_pages(meeting_a, item_a):
        assert client.get(url).status_code in (403, 404), url
    assert client.get(_api_agenda(meeting_a), **_bearer(attacker)).status_code in (403, 404)


# --- a member on the team or in conflict ----------------------------------------------------------


def _hidden_from(client, user, meeting, item, capture):
    """``item`` reaches ``user`` by no page or API of the session."""
    reference = item.application.reference
    client.force_login(user)
    assert client.get(reverse("committee:item", args=[meeting.pk, item.pk])).status_code == 404
    for url, data in _member_posts(meeting, item).items():
        assert client.post(url, data).status_code == 404, url
    assert (
        reference not in client.get(reverse("committee:agenda", args=[meeting.pk])).content.decode()
    )
    assert (
        reference
        not in client.get(reverse("committee:simulator", args=[meeting.pk])).content.decode()
    )
    agenda = client.get(_api_agenda(meeting), **_bearer(user)).json()
    assert reference not in json.dumps(agenda)
    simulation = client.get(f"/api/v1/committee/sessions/{meeting.pk}/simulation", **_bearer(user))
    assert simulation.status_code == 200
    assert reference not in simulation.content.decode()
    assert str(item.application.pk) not in [
        str(row.get("application")) for row in simulation.json().get("applications", [])
    ]
    assert _vote(client, meeting, item, **_bearer(user)).status_code == 404


def test_a_member_on_the_team_never_reaches_their_application(
    client, django_capture_on_commit_callbacks
):
    s = scored_session()
    item = s.session.items.get(application=s.a)
    insider = member(s.session)
    add_member(s.a, insider, accepted=True)
    run(django_capture_on_commit_callbacks, s)
    _hidden_from(client, insider, s.session, item, django_capture_on_commit_callbacks)


def test_a_conflicted_member_never_reaches_the_application(
    client, django_capture_on_commit_callbacks
):
    s = scored_session()
    item = s.session.items.get(application=s.b)
    conflicted = expert(s.session.call.fund)
    member(s.session, user=conflicted)
    Declaration.objects.create(
        source=DeclarationSource.STAFF,
        kind=CONFLICT_KINDS[0][0],
        reason="Their former employer",
        expert_user=conflicted,
        application=s.b,
        declared_by=s.staff,
    )
    run(django_capture_on_commit_callbacks, s)
    _hidden_from(client, conflicted, s.session, item, django_capture_on_commit_callbacks)


# --- the staff's ids: decisions, scenarios, letters ---------------------------------------------


def test_staff_of_another_call_neither_confirm_nor_cancel_nor_decide(client, two_sessions):
    meeting_a, _item_a, meeting_b, item_b = two_sessions
    decision = Decision.objects.create(
        application=item_b.application, outcome="award", amount=10, proposed_by=staff()
    )
    client.force_login(call_staff(meeting_a.call))
    confirm = reverse("committee:decision_confirm", args=[decision.pk])
    cancel = reverse("committee:decision_cancel", args=[decision.pk])
    assert client.post(confirm).status_code == 404
    assert client.post(cancel, {"reason": "because"}).status_code == 404
    # Session B's application under the attacker's own session A.
    decide = reverse("committee:decide", args=[meeting_a.pk, item_b.application.pk])
    assert client.get(decide).status_code == 404
    assert client.post(decide, {"outcome": "award", "amount": "5"}).status_code == 404
    for name in ("session", "agenda_order", "session_open", "session_close"):
        url = reverse(f"committee:{name}", args=[meeting_b.pk])
        assert client.post(url).status_code == 404, name
    decision.refresh_from_db()
    assert decision.status == "proposed"


def test_a_scenario_of_another_session_is_a_404(client, django_capture_on_commit_callbacks):
    s = scored_session()
    scenario = run(django_capture_on_commit_callbacks, s)
    other = session(s.session.call)
    client.force_login(s.staff)
    url = reverse("committee:simulator_scenario", args=[other.pk, scenario.pk])
    assert client.get(url).status_code == 404
    what_if = reverse("committee:simulator_what_if", args=[other.pk, scenario.pk])
    assert client.post(what_if, {"envelope": "1"}).status_code == 404
    prefilled = client.get(reverse("committee:simulator", args=[other.pk]), {"from": scenario.pk})
    assert prefilled.status_code == 404


@pytest.mark.parametrize("given", ["²", "9" * 5000, "-1", "abc", "1.5", "99999999999999999999"])
def test_a_crafted_scenario_to_start_from_is_never_a_500(client, given):
    s = scored_session()
    client.force_login(s.staff)
    response = client.get(reverse("committee:simulator", args=[s.session.pk]), {"from": given})
    assert response.status_code in (200, 404)


def test_a_lead_reads_no_letter_of_another_application(client, django_capture_on_commit_callbacks):
    call = open_call()
    first, second = reviewed(call, [70]), reviewed(call, [60])
    letters = []
    for application in (first, second):
        decision = propose_decision(
            application=application, outcome="award", amount=Decimal(1000), reason="", by=staff()
        )
        confirm_decision(decision=decision, by=call_staff(call))
        letters.append(Letter.objects.get(decision=decision))
    client.force_login(call_staff(call))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("committee:outbox_send", args=[call.slug]))
    client.force_login(first.lead)
    assert client.get(reverse("committee:letter_pdf", args=[letters[0].pk])).status_code == 200
    assert client.get(reverse("committee:letter_pdf", args=[letters[1].pk])).status_code == 404


def test_send_all_sends_only_the_calls_letters(client, django_capture_on_commit_callbacks):
    mine, theirs = open_call(), open_call()
    letters = []
    for call in (mine, theirs):
        decision = propose_decision(
            application=reviewed(call, [70]),
            outcome="award",
            amount=Decimal(1000),
            reason="",
            by=staff(),
        )
        confirm_decision(decision=decision, by=call_staff(call))
        letters.append(Letter.objects.get(decision=decision))
    client.force_login(call_staff(mine))
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(reverse("committee:outbox_send", args=[mine.slug])).status_code == 302
        assert client.post(reverse("committee:outbox_send", args=[theirs.slug])).status_code == 403
    assert [letter.status for letter in Letter.objects.order_by("pk")] == ["sent", "draft"]
    assert letters[1].pk in Letter.objects.filter(status="draft").values_list("pk", flat=True)


# --- the proposer and the application's state ---------------------------------------------------


def test_the_proposer_cannot_confirm_with_the_api_token_either(client):
    call = open_call()
    application = reviewed(call, [70])
    proposer = call_staff(call)
    decision = propose_decision(
        application=application, outcome="award", amount=Decimal(1000), reason="", by=proposer
    )
    # The API offers no confirmation: the page is the only door, and it refuses the proposer.
    url = f"/api/v1/committee/decisions/{decision.pk}/confirm"
    assert client.post(url, **_bearer(proposer)).status_code in (404, 405)
    client.force_login(proposer)
    client.post(reverse("committee:decision_confirm", args=[decision.pk]))
    decision.refresh_from_db()
    assert decision.status == "proposed"


def test_confirming_after_the_application_was_withdrawn_is_refused(client):
    call = open_call()
    application = reviewed(call, [70])
    decision = propose_decision(
        application=application, outcome="award", amount=Decimal(1000), reason="", by=staff()
    )
    application.state = "withdrawn"
    application.save(update_fields=["state"])
    client.force_login(call_staff(call))
    response = client.post(reverse("committee:decision_confirm", args=[decision.pk]))
    assert response.status_code == 302
    decision.refresh_from_db()
    application.refresh_from_db()
    assert (decision.status, application.state) == ("proposed", "withdrawn")
    assert not Letter.objects.exists()


# --- amounts ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "amount",
    ["-5", "1e20", "1.001", "abc", "NaN", "nan", "Infinity", "-Infinity", "sNaN", "1e-5", "0x10"],
)
def test_a_crafted_amount_is_refused_by_the_form(client, amount):
    call = open_call()
    application = reviewed(call, [70])
    meeting = session(call)
    on_agenda(meeting, application)
    client.force_login(call_staff(call))
    url = reverse("committee:decide", args=[meeting.pk, application.pk])
    response = client.post(url, {"outcome": "award", "amount": amount})
    assert response.status_code == 200
    assert not Decision.objects.exists()


# --- reviewers' names never reach the applicant -------------------------------------------------


def _named_session():
    call = open_call()
    reviewer = expert(call.fund, first_name="Élodie", last_name="Vanderstraeten")
    application = reviewed(call, [70], experts=[reviewer])
    meeting = session(call)
    on_agenda(meeting, application)
    return call, reviewer, application, meeting


def _applicant_sees(client, application, letter, capture):
    client.force_login(call_staff(application.call))
    with capture(execute=True):
        client.post(reverse("committee:outbox_send", args=[application.call.slug]))
    client.force_login(application.lead)
    page = client.get(reverse("calls:application_detail", args=[application.pk])).content.decode()
    pdf = client.get(reverse("committee:letter_pdf", args=[letter.pk])).content.decode("latin-1")
    api = client.get(f"/api/v1/applications/{application.pk}/decision", **_bearer(application.lead))
    return page + pdf + api.content.decode()


def test_an_expert_named_in_the_reasons_never_reaches_the_applicant(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    call, reviewer, application, meeting = _named_session()
    client.force_login(call_staff(call))
    reason = f"Élodie Vanderstraeten ({reviewer.email.upper()}) doubts the budget."
    client.post(
        reverse("committee:decide", args=[meeting.pk, application.pk]),
        {"outcome": "reject", "amount": "0", "reason": reason},
    )
    decision = Decision.objects.get()
    client.force_login(staff())
    client.post(reverse("committee:decision_confirm", args=[decision.pk]))
    seen = _applicant_sees(client, application, decision.letter, django_capture_on_commit_callbacks)
    seen += "".join(m.body + m.subject for m in mailoutbox)
    assert "doubts the budget" in seen
    for canary in ("Vanderstraeten", reviewer.email):
        assert canary.lower() not in seen.lower(), canary


@pytest.mark.parametrize(
    "typed",
    [
        "ELODIE VANDERSTRAETEN",
        "elodie vanderstraeten",
        "Elodie",
        "E\u0301lodie Vanderstraeten",  # the accent as a combining mark
        "{email}",
        "{email_upper}",
    ],
)
def test_an_expert_typed_back_into_the_feedback_is_taken_out(
    client, typed, django_capture_on_commit_callbacks
):
    call, reviewer, application, _meeting = _named_session()
    decision = propose_decision(
        application=application, outcome="award", amount=Decimal(1000), reason="", by=staff()
    )
    confirm_decision(decision=decision, by=call_staff(call))
    letter = Letter.objects.get(decision=decision)
    text = typed.format(email=reviewer.email, email_upper=reviewer.email.upper())
    client.force_login(call_staff(call))
    client.post(
        reverse("committee:letter_edit", args=[letter.pk]),
        {"feedback": f"Reviewer A: as {text} said, fine.", "version": str(letter.version)},
    )
    letter.refresh_from_db()
    assert letter.feedback == ["Reviewer A: as […] said, fine."]


# --- markup, CSRF, pages ------------------------------------------------------------------------


def test_markup_in_titles_notes_and_reasons_is_escaped(client):
    call = open_call()
    application = reviewed(call, [70])
    meeting = session(call, title="<script>alert('t')</script>")
    (item,) = on_agenda(meeting, application)
    chair = member(meeting, chairs=True)
    client.force_login(chair)
    client.post(
        reverse("committee:item_notes", args=[meeting.pk, item.pk]),
        {"notes": "<img src=x onerror=alert(1)>", "version": "0"},
    )
    pages = [
        reverse("committee:agenda", args=[meeting.pk]),
        reverse("committee:item", args=[meeting.pk, item.pk]),
        reverse("committee:my_sessions"),
    ]
    for url in pages:
        html = client.get(url).content.decode()
        assert "<script>alert" not in html and "<img src=x" not in html, url
    client.force_login(call_staff(call))
    client.post(
        reverse("committee:decide", args=[meeting.pk, application.pk]),
        {"outcome": "reject", "amount": "0", "reason": "<b onclick=x>no</b>"},
    )
    html = client.get(reverse("committee:decisions", args=[meeting.pk])).content.decode()
    assert "<b onclick" not in html and "<script>alert" not in html


def test_every_post_needs_the_csrf_token(two_sessions):
    meeting_a, item_a, _b, _item_b = two_sessions
    client = Client(enforce_csrf_checks=True)
    client.force_login(member(meeting_a, chairs=True))
    for url, data in _member_posts(meeting_a, item_a).items():
        assert client.post(url, data).status_code == 403, url
    client.force_login(call_staff(meeting_a.call))
    posts = [
        reverse("committee:decide", args=[meeting_a.pk, item_a.application.pk]),
        reverse("committee:outbox_send", args=[meeting_a.call.slug]),
        reverse("committee:simulator_run", args=[meeting_a.pk]),
        reverse("committee:session_open", args=[meeting_a.pk]),
    ]
    for url in posts:
        assert client.post(url, {"outcome": "award", "amount": "1"}).status_code == 403, url
    assert not Vote.objects.exists() and not Decision.objects.exists()


@pytest.mark.parametrize("page", ["0", "-1", "999999", "abc", "9" * 5000, "²", "1e3", ""])
def test_a_crafted_agenda_page_is_never_a_500(client, page):
    call = open_call()
    meeting = session(call)
    on_agenda(meeting, reviewed(call, [70]))
    client.force_login(member(meeting))
    assert (
        client.get(reverse("committee:agenda", args=[meeting.pk]), {"page": page}).status_code
        == 200
    )
    client.force_login(call_staff(call))
    api = client.get("/api/v1/committee/sessions", {"page": page}, **_bearer(call_staff(call)))
    assert api.status_code in (200, 422)


# --- crafted simulator rules --------------------------------------------------------------------


@pytest.mark.parametrize(
    "fields",
    [
        {"envelope": "9" * 30},
        {"envelope": "1e400"},
        {"envelope": "NaN"},
        {"envelope": "-1"},
        {"envelope": "0"},
        {"quota-0-group": "genre=serious-game", "quota-0-min_count": "3", "quota-0-max_count": "1"},
        {"quota-0-group": "genre=unknown", "quota-0-max_count": "1"},
        {"quota-0-group": "nonsense", "quota-0-max_count": "1"},
        {"quota-0-group": "genre=serious-game", "quota-0-max_count": "-4"},
        {"quota-0-group": "genre=serious-game", "quota-0-min_amount": "1e30"},
        {
            "cofunder-0-name": "X",
            "cofunder-0-envelope": "1000",
            "cofunder-0-eligible": "genre=nope",
        },
        {"cofunder-0-name": "X", "cofunder-0-envelope": "Infinity", "cofunder-0-eligible": ""},
        {"quota-TOTAL_FORMS": "100000"},
        {"quota-TOTAL_FORMS": "abc"},
        {"max_per_organisation": "-1"},
        {"min_score": "1e9"},
        {"partial_floor": "-50"},
        {"forced_in": "999999999"},
        {"objective": "eval"},
    ],
)
def test_crafted_simulator_rules_are_refused_or_run_never_a_500(
    client, fields, django_capture_on_commit_callbacks
):
    s = scored_session()
    client.force_login(s.staff)
    url = reverse("committee:simulator_run", args=[s.session.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, _form(**fields))
    assert response.status_code in (302, 400)
    for scenario in Scenario.objects.all():
        # A run that failed says why in the user's words, on a page that answers.
        page = client.get(reverse("committee:simulator_scenario", args=[s.session.pk, scenario.pk]))
        assert page.status_code == 200


@pytest.mark.parametrize("given", ["²", "9" * 5000, "٣"])
def test_a_crafted_forced_application_is_refused_never_a_500(
    client, given, django_capture_on_commit_callbacks
):
    s = scored_session()
    scenario = run(django_capture_on_commit_callbacks, s)
    client.force_login(s.staff)
    pages = [
        reverse("committee:simulator_run", args=[s.session.pk]),
        reverse("committee:simulator_what_if", args=[s.session.pk, scenario.pk]),
    ]
    for url in pages:
        for field in ("forced_in", "forced_out"):
            response = client.post(url, _form(**{field: given}))
            assert response.status_code == 400, (url, field)
    assert Scenario.objects.count() == 1


def test_staff_in_conflict_as_an_expert_neither_sign_nor_edit_nor_preview(client):
    call = open_call()
    application = reviewed(call, [70])
    meeting = session(call)
    on_agenda(meeting, application)
    conflicted = expert(call.fund)
    grant_role(user=conflicted, role=Role.STAFF, scope=call, by=None)
    conflicted.refresh_from_db()
    Declaration.objects.create(
        source=DeclarationSource.STAFF,
        kind=CONFLICT_KINDS[0][0],
        reason="Their former employer",
        expert_user=conflicted,
        application=application,
        declared_by=staff(),
    )
    proposed = propose_decision(
        application=application, outcome="reject", amount=Decimal(0), reason="No", by=staff()
    )
    client.force_login(conflicted)
    decide = reverse("committee:decide", args=[meeting.pk, application.pk])
    assert client.get(decide).status_code == 404
    assert client.post(reverse("committee:decision_confirm", args=[proposed.pk])).status_code == 404
    cancel = reverse("committee:decision_cancel", args=[proposed.pk])
    assert client.post(cancel, {"reason": "x"}).status_code == 404
    proposed.refresh_from_db()
    assert proposed.status == "proposed"
    confirm_decision(decision=proposed, by=call_staff(call))
    letter = Letter.objects.get(decision=proposed)
    assert client.get(reverse("committee:letter_edit", args=[letter.pk])).status_code == 404
    assert client.get(reverse("committee:letter_pdf", args=[letter.pk])).status_code == 404


def test_staff_on_the_team_never_read_their_application_in_the_simulator(
    client, django_capture_on_commit_callbacks
):
    s = scored_session()
    insider = call_staff(s.session.call)
    add_member(s.a, insider, accepted=True)
    scenario = run(django_capture_on_commit_callbacks, s)
    pending = Decision.objects.create(
        application=s.a, session=s.session, outcome="award", amount=10, proposed_by=staff()
    )
    client.force_login(insider)
    pages = [
        reverse("committee:simulator", args=[s.session.pk]),
        reverse("committee:simulator_scenario", args=[s.session.pk, scenario.pk]),
        reverse("committee:decisions", args=[s.session.pk]),
    ]
    for url in pages:
        html = client.get(url).content.decode()
        assert s.a.reference not in html and s.a.title not in html, url
        assert s.b.reference in html, url
    confirm_decision(decision=pending, by=call_staff(s.session.call))
    outbox = client.get(reverse("committee:outbox", args=[s.session.call.slug]))
    assert outbox.status_code == 200
    assert s.a.reference not in outbox.content.decode()


def test_send_all_leaves_out_the_letters_of_files_the_sender_is_in_conflict_with(
    client, django_capture_on_commit_callbacks
):
    call = open_call()
    mine, theirs = reviewed(call, [70]), reviewed(call, [60])
    for application in (mine, theirs):
        decision = propose_decision(
            application=application, outcome="award", amount=Decimal(1000), reason="", by=staff()
        )
        confirm_decision(decision=decision, by=call_staff(call))
    sender = expert(call.fund)
    grant_role(user=sender, role=Role.STAFF, scope=call, by=None)
    Declaration.objects.create(
        source=DeclarationSource.STAFF,
        kind=CONFLICT_KINDS[0][0],
        reason="Their former employer",
        expert_user=sender,
        application=theirs,
        declared_by=staff(),
    )
    client.force_login(sender)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("committee:outbox_send", args=[call.slug]))
    sent = dict(Letter.objects.values_list("decision__application_id", "status"))
    assert sent == {mine.pk: "sent", theirs.pk: "draft"}


def test_a_member_who_does_not_chair_writes_no_notes_and_staff_cast_no_vote(client, two_sessions):
    meeting_a, item_a, _b, _item_b = two_sessions
    client.force_login(member(meeting_a))
    url = reverse("committee:item_notes", args=[meeting_a.pk, item_a.pk])
    client.post(url, {"notes": "mine now", "version": "0"})
    item_a.refresh_from_db()
    assert item_a.notes == ""
    runner = call_staff(meeting_a.call)
    client.force_login(runner)
    client.post(reverse("committee:item_vote", args=[meeting_a.pk, item_a.pk]), {"choice": "fund"})
    assert _vote(client, meeting_a, item_a, **_bearer(runner)).status_code == 403
    assert not Vote.objects.exists()


def test_pdf_operators_in_the_reasons_stay_text_in_the_letter():
    call = open_call()
    application = reviewed(call, [70])
    injected = "No.) Tj ET BT 1 0 0 1 72 700 Tm (Award of 9 999 999 EUR\\"
    decision = propose_decision(
        application=application, outcome="reject", amount=Decimal(0), reason=injected, by=staff()
    )
    confirm_decision(decision=decision, by=call_staff(call))
    pdf = letter_pdf(Letter.objects.get(decision=decision)).decode("latin-1")
    assert "No.) Tj ET" not in pdf
    assert "No.\\) Tj ET BT 1 0 0 1 72 700 Tm \\(Award" in pdf


def test_markup_in_the_reasons_and_feedback_is_escaped_for_the_applicant(
    client, django_capture_on_commit_callbacks
):
    call = open_call()
    application = reviewed(call, [70])
    decision = propose_decision(
        application=application,
        outcome="reject",
        amount=Decimal(0),
        reason="<script>alert(1)</script>\nline",
        by=staff(),
    )
    confirm_decision(decision=decision, by=call_staff(call))
    letter = Letter.objects.get(decision=decision)
    client.force_login(call_staff(call))
    client.post(
        reverse("committee:letter_edit", args=[letter.pk]),
        {"feedback": "<img src=x onerror=alert(2)>", "version": str(letter.version)},
    )
    _applicant_sees(client, application, letter, django_capture_on_commit_callbacks)
    # The page (the API answers JSON, where the text is data).
    html = client.get(reverse("calls:application_detail", args=[application.pk])).content.decode()
    assert "<script>alert(1)" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;<br>line" in html
