"""The envelope simulator's pages: the staff set the rules, follow the run and read the result
side by side with the ranked list, then ask "what if"; the session's members read the latest
result; attackers get nothing."""

import pytest
from django.urls import reverse

from filiere.committee.models import Scenario
from filiere.committee.selectors_scores import scores_of_call
from tests.calls.instruction_factories import ApplicationFactory
from tests.committee.factories import expert, member, on_agenda, reviewed, session
from tests.committee.test_simulator_setup import run, scored_session
from tests.factories import UserFactory
from tests.review.factories import same_queries

pytestmark = pytest.mark.django_db

QUOTA_MESSAGE = "Not funded: the rule “at most 1 project in genre"


def _state(s) -> str:
    """What decides whether an application is offered on the simulator's pages: said when an
    assertion about one of them fails."""
    from filiere.committee.access import readable_items
    from filiere.committee.selectors_simulator import agenda

    rows = agenda(s.session).rows
    readable = sorted(readable_items(s.staff, s.session).values_list("application_id", flat=True))
    return (
        f"scores={sorted(scores_of_call(s.session.call))} "
        f"candidates={[r.application_id for r in rows if r.candidate]} readable={readable} "
        f"scenarios={list(Scenario.objects.values_list('pk', 'status', 'error', 'forced_out'))}"
    )


def _page(s):
    return reverse("committee:simulator", args=[s.session.pk])


def _form(**fields):
    data = {
        "envelope": "100000",
        "objective": "merit",
        "partial_floor": "50",
        "quota-TOTAL_FORMS": "3",
        "quota-INITIAL_FORMS": "0",
        "cofunder-TOTAL_FORMS": "2",
        "cofunder-INITIAL_FORMS": "0",
    }
    data.update(fields)
    return data


# --- Staff ----------------------------------------------------------------------------------------


def test_staff_run_a_quota_and_read_the_result_side_by_side(
    client, django_capture_on_commit_callbacks
):
    s = scored_session()
    client.force_login(s.staff)
    page = client.get(_page(s)).content.decode()
    assert 'name="envelope"' in page and 'name="quota-0-group"' in page
    assert 'value="genre=serious-game"' in page and 'value="territory=wallonia"' in page

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("committee:simulator_run", args=[s.session.pk]),
            _form(**{"quota-0-group": "genre=serious-game", "quota-0-max_count": "1"}),
        )

    scenario = Scenario.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "committee:simulator_scenario", args=[s.session.pk, scenario.pk]
    )
    result = client.get(response["Location"]).content.decode()
    assert "hx-trigger" not in result  # finished: no more polling
    assert "Ranked list funds it?" in result and "Optimum funds it?" in result
    assert QUOTA_MESSAGE in result
    assert "Dropped: the ranked list breaks the rule" in result
    assert s.c.reference in result
    assert scenario.rules["quotas"] == [{"field": "genre", "value": "serious-game", "max_count": 1}]
    # The simulator's page lists it and leads to the latest result.
    again = client.get(_page(s)).content.decode()
    assert "See the latest result" in again
    assert response["Location"] in again


def test_the_form_gives_the_engine_every_rule(client):
    s = scored_session()
    client.force_login(s.staff)
    response = client.post(
        reverse("committee:simulator_run", args=[s.session.pk]),
        _form(
            objective="ranked",
            max_per_organisation="1",
            min_score="20",
            partial_awards="on",
            partial_floor="40",
            forced_out=[str(s.d.pk)],
            **{
                "quota-0-group": "territory=wallonia",
                "quota-0-min_amount": "50000",
                "cofunder-0-name": "Wallimage",
                "cofunder-0-envelope": "30000",
                "cofunder-0-eligible": ["territory=wallonia"],
            },
        ),
    )
    assert response.status_code == 302
    scenario = Scenario.objects.get()
    assert scenario.rules == {
        "objective": "ranked",
        "quotas": [{"field": "territory", "value": "wallonia", "min_amount": 50000.0}],
        "max_per_organisation": 1,
        "min_score": 20.0,
        "partial_awards": True,
        "partial_floor": 0.4,
        "cofunders": [
            {"name": "Wallimage", "envelope": 30000.0, "field": "territory", "values": ["wallonia"]}
        ],
    }
    assert scenario.forced_out == [s.d.pk] and scenario.forced_in == []
    # Prefilled from it: the quota and the co-funder are back in the form.
    form = client.get(_page(s) + f"?from={scenario.pk}").content.decode()
    assert 'value="Wallimage"' in form
    assert f'id="forced-out-{s.d.pk}" checked' in form, _state(s)
    assert f'id="forced-in-{s.d.pk}" checked' not in form
    assert '<option value="territory=wallonia" selected>' in form


def test_the_progress_page_is_polled_until_the_run_ends(client):
    s = scored_session()
    scenario = Scenario.objects.create(session=s.session, envelope=1000, created_by=s.staff)
    client.force_login(s.staff)
    url = reverse("committee:simulator_scenario", args=[s.session.pk, scenario.pk])
    page = client.get(url).content.decode()
    assert 'hx-trigger="every 2s"' in page
    partial = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert partial.lstrip().startswith('<div id="simulation-progress"')


def test_a_failed_run_says_why_in_words(client):
    s = scored_session()
    scenario = Scenario.objects.create(
        session=s.session,
        envelope=1000,
        created_by=s.staff,
        status=Scenario.Status.FAILED,
        error="solver_failed",
    )
    client.force_login(s.staff)
    page = client.get(
        reverse("committee:simulator_scenario", args=[s.session.pk, scenario.pk])
    ).content.decode()
    assert "The solver found no answer in the time allowed" in page
    assert f"?from={scenario.pk}" in page and "hx-trigger" not in page


def test_what_if_another_envelope_and_a_forced_application(
    client, django_capture_on_commit_callbacks
):
    s = scored_session()
    base = run(django_capture_on_commit_callbacks, s)
    client.force_login(s.staff)
    url = reverse("committee:simulator_scenario", args=[s.session.pk, base.pk])
    page = client.get(url).content.decode()
    assert f'id="force-in-{s.d.pk}"' in page, _state(s)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("committee:simulator_what_if", args=[s.session.pk, base.pk]),
            {"envelope": "150000", "forced_in": [str(s.d.pk)]},
        )

    assert response.status_code == 302
    what_if = Scenario.objects.exclude(pk=base.pk).get()
    assert what_if.envelope == 150000 and what_if.forced_in == [s.d.pk]
    funded = {row["application"] for row in what_if.result["rows"] if row["selected"]}
    assert funded == {s.a.pk, s.b.pk, s.d.pk}
    assert (
        "Funded because the staff forced it in."
        in client.get(response["Location"]).content.decode()
    )
    # The form can start from a scenario's rules.
    form = client.get(_page(s) + f"?from={what_if.pk}").content.decode()
    assert 'value="150000' in form


def test_bad_input_gives_messages_on_the_fields_not_an_error_page(client):
    s = scored_session()
    client.force_login(s.staff)
    url = reverse("committee:simulator_run", args=[s.session.pk])
    response = client.post(
        url,
        _form(
            envelope="lots",
            **{
                "quota-0-group": "genre=serious-game",
                "quota-1-min_count": "3",
                "quota-1-max_count": "1",
                "quota-2-group": "genre=opera",
                "quota-2-max_count": "1",
                "cofunder-0-name": "Wallonie",
                "cofunder-0-eligible": ["genre=serious-game", "territory=wallonia"],
                "forced_in": [str(s.a.pk)],
                "forced_out": [str(s.a.pk)],
            },
        ),
    )
    assert response.status_code == 400
    page = response.content.decode()
    for message in (
        "Give at least one minimum or maximum for this quota.",
        "Choose the genre or territory this quota is about.",
        "The maximum must not be below the minimum.",
        "Give the co-funder&#x27;s envelope.",
        "Choose genres or territories, not both.",
        "An application cannot be forced both in and out.",
    ):
        assert message in page, message
    assert not Scenario.objects.exists()
    # Co-funders above the envelope: said on the envelope.
    response = client.post(
        url,
        _form(
            **{
                "cofunder-0-name": "Wallonie",
                "cofunder-0-envelope": "200000",
                "cofunder-0-eligible": ["territory=wallonia"],
            }
        ),
    )
    assert response.status_code == 400
    assert "The co-funders&#x27; envelopes add up to more than the whole envelope." in (
        response.content.decode()
    )
    # What if with a bad envelope.
    base = Scenario.objects.create(session=s.session, envelope=1000, created_by=s.staff)
    response = client.post(
        reverse("committee:simulator_what_if", args=[s.session.pk, base.pk]), {"envelope": "-1"}
    )
    assert response.status_code == 400


def test_the_staff_page_costs_the_same_queries_with_more_applications(
    client, django_capture_on_commit_callbacks
):
    s = scored_session()
    run(django_capture_on_commit_callbacks, s)
    client.force_login(s.staff)
    readers = [expert(s.session.call.fund) for _ in range(2)]

    def grow():
        on_agenda(s.session, reviewed(s.session.call, [55, 56], experts=readers))
        scores_of_call(s.session.call)  # the scores' cache, warm as on the first read

    same_queries(client, _page(s), grow)


# --- Members --------------------------------------------------------------------------------------


def test_members_read_the_latest_result_without_the_form(
    client, django_capture_on_commit_callbacks
):
    s = scored_session()
    reader = member(s.session)
    client.force_login(reader)
    assert "No simulation has been run" in client.get(_page(s)).content.decode()
    quota = {"field": "genre", "value": "serious-game", "max_count": 1}
    run(django_capture_on_commit_callbacks, s, rules={"quotas": [quota]})
    page = client.get(_page(s)).content.decode()
    assert QUOTA_MESSAGE in page
    assert 'name="envelope"' not in page and "force-in" not in page
    for name in ("simulator_run", "simulator_scenario", "simulator_what_if"):
        args = [s.session.pk] if name == "simulator_run" else [s.session.pk, 1]
        method = client.get if name == "simulator_scenario" else client.post
        assert method(reverse(f"committee:{name}", args=args)).status_code == 403


def test_the_members_page_costs_the_same_queries_with_more_applications(
    client, django_capture_on_commit_callbacks
):
    s = scored_session()
    readers = [expert(s.session.call.fund) for _ in range(2)]
    client.force_login(member(s.session))

    def grow():
        on_agenda(s.session, reviewed(s.session.call, [55, 56], experts=readers))
        scores_of_call(s.session.call)
        run(django_capture_on_commit_callbacks, s)  # the latest result lists it

    grow()
    response = same_queries(client, _page(s), grow)
    assert response.content.decode().count("<tr>") == 1 + 4 + 4  # header, A-D, four grown


def test_a_member_on_an_applications_team_does_not_see_it(
    client, django_capture_on_commit_callbacks
):
    s = scored_session()
    run(django_capture_on_commit_callbacks, s)
    reader = member(s.session)
    s.a.lead = reader
    s.a.save()
    client.force_login(reader)
    page = client.get(_page(s)).content.decode()
    assert s.a.reference not in page and s.b.reference in page
    assert "1 application of the simulation is not listed" in page


# --- Attackers ------------------------------------------------------------------------------------


def test_attackers_get_nothing(client, django_capture_on_commit_callbacks):
    s = scored_session()
    scenario = run(django_capture_on_commit_callbacks, s)
    other_session = session(s.session.call)
    outsider = member(other_session)
    applicant = ApplicationFactory(call=s.session.call).lead
    for user, status in (
        (outsider, 404),
        (applicant, 403),
        (expert(s.session.call.fund), 403),
        (UserFactory(), 403),
    ):
        client.force_login(user)
        assert client.get(_page(s)).status_code == status, user
    # Staff of another session's scenario: 404.
    client.force_login(s.staff)
    foreign = reverse("committee:simulator_scenario", args=[other_session.pk, scenario.pk])
    assert client.get(foreign).status_code == 404
    assert client.get(_page(s) + "?from=999999").status_code == 404


def _ids_from(table: str, start: int) -> None:
    """The next rows of ``table`` get ids above ``start`` (a platform after some years)."""
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT setval(pg_get_serial_sequence(%s, 'id'), %s)", [table, start])
        else:
            cursor.execute("DELETE FROM sqlite_sequence WHERE name = %s", [table])
            cursor.execute(
                "INSERT INTO sqlite_sequence (name, seq) VALUES (%s, %s)", [table, start]
            )


def test_applications_numbered_in_thousands_can_be_forced_in_and_out(client):
    # French pages write 12345 as "12 345": a box's value must stay the bare id, or the
    # forced application is dropped when the form comes back (seen in CI once ids passed 999).
    _ids_from("calls_application", 12000)
    s = scored_session()
    assert s.d.pk > 12000
    client.force_login(s.staff)
    form = client.get(_page(s)).content.decode()
    assert f'name="forced_out" value="{s.d.pk}" id="forced-out-{s.d.pk}"' in form
    client.post(
        reverse("committee:simulator_run", args=[s.session.pk]),
        _form(forced_out=[str(s.d.pk)], forced_in=[str(s.a.pk)]),
    )
    scenario = Scenario.objects.get()
    assert (scenario.forced_out, scenario.forced_in) == ([s.d.pk], [s.a.pk])
    again = client.get(_page(s) + f"?from={scenario.pk}").content.decode()
    assert f'id="forced-out-{s.d.pk}" checked' in again
