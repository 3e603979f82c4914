"""The envelope simulator's service: a scenario is queued, run by its task on the agenda's
candidates, and its result says, for every application, what the engine decided and why."""

from decimal import Decimal

import pytest
from django.utils import translation

from filiere.audit.models import AuditEntry
from filiere.committee import phrases_simulator as phrases
from filiere.committee.models import Scenario
from filiere.committee.selectors_simulator import agenda, result_of
from filiere.committee.services_simulator import execute_scenario, request_simulation
from filiere.errors import Invalid, NotAllowed
from tests.committee.factories import member, on_agenda
from tests.committee.test_simulator_setup import by_application, run, scored_session
from tests.factories import UserFactory
from tests.review.factories import application

pytestmark = pytest.mark.django_db


def test_without_rules_the_optimum_is_the_ranked_list(django_capture_on_commit_callbacks):
    s = scored_session()
    scenario = run(django_capture_on_commit_callbacks, s)
    assert scenario.status == Scenario.Status.DONE
    rows = by_application(scenario)
    assert [rows[x.pk]["rank"] for x in (s.a, s.b, s.c, s.d)] == [1, 2, 3, 4]
    assert {pk for pk, row in rows.items() if row["selected"]} == {s.a.pk, s.b.pk}
    assert all(row["selected"] == row["baseline_selected"] for row in rows.values())
    assert rows[s.c.pk]["reason"] == "envelope_exhausted"
    assert scenario.result["total"] == 100000
    assert scenario.result["baseline"]["cutoff_rank"] == 3
    assert scenario.result["changes"] == []
    entry = AuditEntry.objects.get(action="committee.simulation.requested")
    assert entry.data["scenario"] == scenario.pk


def test_a_maximum_quota_changes_the_funded_set_and_the_reason_says_so(
    django_capture_on_commit_callbacks,
):
    s = scored_session()
    quota = {"field": "genre", "value": "serious-game", "max_count": 1}
    scenario = run(django_capture_on_commit_callbacks, s, rules={"quotas": [quota]})
    rows = by_application(scenario)
    assert {pk for pk, row in rows.items() if row["selected"]} == {s.a.pk, s.c.pk}
    assert rows[s.b.pk]["reason"] == "quota"
    result = result_of(scenario, agenda(s.session))
    with translation.override("en"):
        result = result_of(scenario, agenda(s.session))
        sentence = next(r.reason for r in result.rows if r.application_id == s.b.pk)
        changes = [c.sentence for c in result.changes]
    assert sentence == (
        "Not funded: the rule “at most 1 project in genre Serious game” is already met."
    )
    assert (
        "Dropped: the ranked list breaks the rule “at most 1 project in genre Serious game”."
        in (changes)
    )
    assert result.violations  # the ranked list breaks the quota


def test_a_minimum_quota_brings_in_a_lower_ranked_application(
    django_capture_on_commit_callbacks,
):
    s = scored_session()
    quota = {"field": "territory", "value": "wallonia", "min_count": 1}
    scenario = run(django_capture_on_commit_callbacks, s, rules={"quotas": [quota]})
    with translation.override("en"):
        result = result_of(scenario, agenda(s.session))
    funded = {r.reference for r in result.rows if r.selected}
    assert funded == {s.a.reference, s.c.reference}
    added = next(c for c in result.changes if c.reference == s.c.reference)
    assert added.added
    assert added.sentence == "Added to meet the rule “at least 1 project in territory Wallonia”."
    dropped = next(c for c in result.changes if c.reference == s.b.reference)
    assert not dropped.added
    assert "at least 1 project in territory Wallonia" in dropped.sentence


def test_forced_in_and_forced_out(django_capture_on_commit_callbacks):
    s = scored_session()
    scenario = run(django_capture_on_commit_callbacks, s, forced_in=(s.d.pk,), forced_out=(s.a.pk,))
    rows = by_application(scenario)
    assert rows[s.d.pk]["selected"] and rows[s.d.pk]["reason"] == "forced_in"
    assert not rows[s.a.pk]["selected"] and rows[s.a.pk]["reason"] == "forced_out"
    with translation.override("en"):
        result = result_of(scenario, agenda(s.session))
    reasons = {r.reference: r.reason for r in result.rows}
    assert reasons[s.d.reference] == "Funded because the staff forced it in."
    assert reasons[s.a.reference] == "Not funded because the staff forced it out."
    assert result.forced_in == [s.d.pk] and result.forced_out == [s.a.pk]


def test_infeasible_rules_give_a_diagnosis_in_words(django_capture_on_commit_callbacks):
    s = scored_session()
    quota = {"field": "genre", "value": "web-documentary", "min_count": 3}
    scenario = run(django_capture_on_commit_callbacks, s, rules={"quotas": [quota]})
    assert scenario.status == Scenario.Status.DONE
    assert scenario.result["status"] == "infeasible"
    with translation.override("en"):
        result = result_of(scenario, agenda(s.session))
    assert result.diagnosis == [
        "The rule “at least 3 projects in genre Web documentary” cannot be met: at most 2 can "
        "be funded, 1 short."
    ]
    assert all(r.reason_code == "infeasible" for r in result.rows)


def test_a_larger_envelope_funds_more(django_capture_on_commit_callbacks):
    s = scored_session()
    small = run(django_capture_on_commit_callbacks, s)
    large = run(django_capture_on_commit_callbacks, s, envelope="150000")
    assert sum(r["selected"] for r in small.result["rows"]) == 2
    assert sum(r["selected"] for r in large.result["rows"]) == 3
    assert large.result["envelope"] == 150000


def test_applications_without_a_score_are_not_candidates(django_capture_on_commit_callbacks):
    s = scored_session()
    unread = application(s.session.call, state="committee")
    on_agenda(s.session, unread)
    scenario = run(django_capture_on_commit_callbacks, s)
    assert scenario.result["unscored"] == [unread.pk]
    assert unread.pk not in by_application(scenario)
    with pytest.raises(Invalid) as refused:
        request_simulation(
            session=s.session,
            by=s.staff,
            envelope=Decimal("1"),
            rules={},
            forced_in=[unread.pk],
        )
    assert refused.value.code == "committee.simulation.forced_unknown"


def test_an_engine_refusal_fails_the_scenario_with_a_sentence(django_capture_on_commit_callbacks):
    s = scored_session()
    scenario = Scenario.objects.create(
        session=s.session,
        envelope=Decimal("100000"),
        rules={"objective": "lottery"},
        created_by=s.staff,
    )
    assert execute_scenario(scenario_id=scenario.pk) == Scenario.Status.FAILED
    scenario.refresh_from_db()
    assert scenario.error == "unknown_objective"
    with translation.override("en"):
        assert phrases.engine_error(scenario.error) == (
            "The objective is not one the simulator knows."
        )
    # A second run of the same scenario does nothing.
    assert execute_scenario(scenario_id=scenario.pk) == Scenario.Status.FAILED


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"envelope": Decimal("0")}, "committee.simulation.envelope_invalid"),
        ({"rules": {"quotas": [{"field": "colour", "value": "x"}]}}, "rules_invalid"),
        (
            {
                "rules": {
                    "cofunders": [
                        {
                            "name": "W",
                            "envelope": 10**6,
                            "field": "territory",
                            "values": ["wallonia"],
                        }
                    ]
                }
            },
            "cofunders_exceed_envelope",
        ),
    ],
)
def test_bad_input_is_refused_with_a_code(change, code):
    s = scored_session()
    fields = {"envelope": Decimal("100000"), "rules": {}}
    fields.update(change)
    with pytest.raises(Invalid) as refused:
        request_simulation(session=s.session, by=s.staff, **fields)
    assert refused.value.code.endswith(code)
    assert not Scenario.objects.exists()


def test_forcing_one_application_in_and_out_is_refused():
    s = scored_session()
    with pytest.raises(Invalid) as refused:
        request_simulation(
            session=s.session,
            by=s.staff,
            envelope=Decimal("100000"),
            rules={},
            forced_in=[s.a.pk],
            forced_out=[s.a.pk],
        )
    assert refused.value.code == "committee.simulation.forced_twice"


def test_only_the_staff_of_the_call_run_the_simulator():
    s = scored_session()
    for user in (member(s.session), UserFactory()):
        with pytest.raises(NotAllowed):
            request_simulation(session=s.session, by=user, envelope=Decimal("1"), rules={})


def test_the_cap_per_organisation_names_the_organisation(django_capture_on_commit_callbacks):
    s = scored_session()
    scenario = run(django_capture_on_commit_callbacks, s, rules={"max_per_organisation": 1})
    rows = by_application(scenario)
    assert rows[s.b.pk]["reason"] == "max_per_organisation"
    assert {pk for pk, row in rows.items() if row["selected"]} == {s.a.pk, s.c.pk}
    with translation.override("en"):
        result = result_of(scenario, agenda(s.session))
    reason = next(r.reason for r in result.rows if r.application_id == s.b.pk)
    assert reason == (
        "Not funded: Studio Nord already has as many grants as one organisation may get."
    )


def test_a_cofunder_pays_only_its_projects(django_capture_on_commit_callbacks):
    s = scored_session()
    # Half of the envelope may only go to Walloon projects: A and C, not A and B.
    cofunder = {
        "name": "Wallimage",
        "envelope": 50000,
        "field": "territory",
        "values": ["wallonia"],
    }
    scenario = run(django_capture_on_commit_callbacks, s, rules={"cofunders": [cofunder]})
    rows = by_application(scenario)
    assert {pk for pk, row in rows.items() if row["selected"]} == {s.a.pk, s.c.pk}
    assert rows[s.b.pk]["reason"] == "envelope_exhausted"
    assert "cofunder_share" in scenario.result["baseline"]["violations"]
    with translation.override("en"):
        result = result_of(scenario, agenda(s.session))
    assert result.violations == [
        "It spends more than the fund's own share on applications no co-funder may pay for."
    ]


def test_partial_awards_spend_the_rest_of_the_envelope(django_capture_on_commit_callbacks):
    s = scored_session()
    scenario = run(
        django_capture_on_commit_callbacks,
        s,
        envelope="125000",
        rules={"partial_awards": True, "partial_floor": 0.5},
    )
    rows = by_application(scenario)
    assert rows[s.a.pk]["amount"] == rows[s.b.pk]["amount"] == 50000
    assert rows[s.c.pk]["selected"] and rows[s.c.pk]["amount"] == 25000
    assert scenario.result["total"] == 125000
