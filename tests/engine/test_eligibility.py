"""Eligibility rules: what an applicant is told before submitting, and what staff configure."""

import json
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from filiere.engine.budget import BudgetLine, FinancingKind, FinancingSource
from filiere.engine.eligibility import (
    RULE_KINDS,
    AmountCeilingRule,
    ApplicationSnapshot,
    DeadlineRule,
    FinancingPlanRule,
    GenreRule,
    IdentifierRule,
    NafCodeRule,
    OrganisationKindRule,
    Partner,
    RequiredDocumentsRule,
    RequiredPartnerRule,
    Rule,
    RuleConfigError,
    SeatTerritoryRule,
    StageRule,
    Status,
    When,
    evaluate,
    experiences_interactives_2009_rules,
    rules_from_json,
    rules_to_json,
)
from filiere.engine.money import Money

E = Money.euros
CLOSES_AT = datetime(2009, 10, 15, 10, 0, tzinfo=UTC)  # noon in Paris
DOCUMENTS_2009 = frozenset(
    {
        "synopsis",
        "note-of-intent",
        "budget",
        "financing-plan",
        "cv",
        "company-extract",
        "financing-proof",
        "schedule",
        "game-design-document",
    }
)


def _snapshot(**changes: Any) -> ApplicationSnapshot:
    """A production-stage serious game from a Tourcoing studio that meets the 2009 rules."""
    base = ApplicationSnapshot(
        organisation_kind="company",
        seat_territory="mel",
        seat_country="FR",
        naf_code="59.11C",
        identifier_kind="siret",
        identifier="73282932000074",
        partners=(Partner("Studio Liège", territory="wallonia", country="BE"),),
        genre="serious-game",
        stage="production",
        requested_amount=E(150_000),
        budget_lines=(
            BudgetLine("crew", "Team", E(270_000)),
            BudgetLine("overheads", "Overheads", E(27_000)),
            BudgetLine("contingency", "Contingency", E(3_000)),
        ),
        financing_sources=(
            FinancingSource("Own funds", FinancingKind.OWN_FUNDS, E(150_000), secured=True),
            FinancingSource("Pôle Images", FinancingKind.THIS_CALL, E(150_000)),
        ),
        documents=DOCUMENTS_2009,
        submitted_at=CLOSES_AT,
        closes_at=CLOSES_AT,
    )
    values = {**base.__dict__, **changes}
    return ApplicationSnapshot(**values)


def _one(rule: Rule, snapshot: ApplicationSnapshot) -> tuple[Status, str, dict[str, Any]]:
    (result,) = evaluate([rule], snapshot).results
    return result.status, result.code, dict(result.params)


def test_the_reference_application_is_eligible_for_the_2009_call() -> None:
    report = evaluate(experiences_interactives_2009_rules(), _snapshot())
    assert report.failures == ()
    assert report.is_eligible
    assert [r.index for r in report.results] == list(range(13))


# --- Ceiling ------------------------------------------------------------------------------------


def test_request_of_150_001_with_a_150_000_ceiling_fails() -> None:
    rule = AmountCeilingRule(absolute=E(150_000))
    status, code, params = _one(rule, _snapshot(requested_amount=E(150_001)))
    assert (status, code) == (Status.FAILED, "amount.above_ceiling")
    assert params["ceiling"] == Decimal("150000.00")
    assert params["requested"] == Decimal("150001.00")
    assert params["binding"] == "absolute"


def test_request_at_the_ceiling_passes() -> None:
    status, code, params = _one(AmountCeilingRule(absolute=E(150_000)), _snapshot())
    assert (status, code) == (Status.PASSED, "amount_ceiling.passed")
    assert params["ceiling"] == Decimal("150000.00")


def test_the_stricter_ceiling_applies_and_both_are_reported() -> None:
    rule = AmountCeilingRule(absolute=E(150_000), percent_of_budget=Decimal(50))
    lines = (BudgetLine("crew", "Team", E(200_000)),)
    status, code, params = _one(rule, _snapshot(requested_amount=E(120_000), budget_lines=lines))
    assert (status, code) == (Status.FAILED, "amount.above_ceiling")
    assert params == {
        "requested": Decimal("120000.00"),
        "ceiling": Decimal("100000.00"),
        "binding": "percent",
        "absolute_ceiling": Decimal("150000.00"),
        "percent_ceiling": Decimal("100000.00"),
        "percent": Decimal("50.00"),
        "budget_total": Decimal("200000.00"),
    }


def test_ceiling_as_a_share_of_an_empty_budget() -> None:
    rule = AmountCeilingRule(percent_of_budget=Decimal(50))
    status, code, _ = _one(rule, _snapshot(budget_lines=()))
    assert (status, code) == (Status.FAILED, "amount.budget_missing")


@pytest.mark.parametrize(
    ("requested", "code"), [(None, "amount.missing"), (Money(0), "amount.not_positive")]
)
def test_missing_or_zero_request(requested: Money | None, code: str) -> None:
    rule = AmountCeilingRule(absolute=E(150_000))
    assert _one(rule, _snapshot(requested_amount=requested))[:2] == (Status.FAILED, code)


# --- Partners, seat, organisation -------------------------------------------------------------


def test_cross_border_call_with_only_french_partners_fails() -> None:
    rule = RequiredPartnerRule(territories=("wallonia", "flanders"))
    partners = (
        Partner("Studio Roubaix", territory="mel", country="FR"),
        Partner("Lab Valenciennes", territory="valenciennes", country="FR"),
    )
    status, code, params = _one(rule, _snapshot(partners=partners))
    assert (status, code) == (Status.FAILED, "partner.required_missing")
    assert params == {
        "min_count": 1,
        "found": 0,
        "territories": ("wallonia", "flanders"),
        "countries": (),
    }


def test_a_walloon_partner_satisfies_the_cross_border_rule() -> None:
    rule = RequiredPartnerRule(territories=("wallonia", "flanders"))
    assert _one(rule, _snapshot())[:2] == (Status.PASSED, "required_partner.passed")


def test_partner_by_country_and_minimum_count() -> None:
    rule = RequiredPartnerRule(min_count=2, countries=("BE",))
    status, code, params = _one(rule, _snapshot())
    assert (status, code, params["found"]) == (Status.FAILED, "partner.required_missing", 1)


def test_seat_outside_the_territories() -> None:
    rule = SeatTerritoryRule(territories=("mel", "wallonia"))
    status, code, params = _one(rule, _snapshot(seat_territory="france"))
    assert (status, code) == (Status.FAILED, "seat.territory_not_allowed")
    assert params["territory"] == "france"


def test_seat_by_country() -> None:
    rule = SeatTerritoryRule(countries=("BE",))
    snapshot = _snapshot(seat_territory="brussels", seat_country="BE")
    assert _one(rule, snapshot)[0] is Status.PASSED


def test_organisation_kind_not_allowed() -> None:
    rule = OrganisationKindRule(allowed=("company",))
    status, code, params = _one(rule, _snapshot(organisation_kind="school"))
    assert (status, code) == (Status.FAILED, "organisation.kind_not_allowed")
    assert params == {"kind": "school", "allowed": ("company",)}


# --- NAF and identifiers ----------------------------------------------------------------------


@pytest.mark.parametrize("naf", ["59.11C", "5911A", "59.12z", "58.21Z", "62.01Z"])
def test_naf_prefixes_of_the_2009_call(naf: str) -> None:
    rule = NafCodeRule(prefixes=("59", "58.21Z", "62.01Z"))
    assert _one(rule, _snapshot(naf_code=naf))[0] is Status.PASSED


@pytest.mark.parametrize("naf", ["47.11F", "58.11Z", "62.02A"])
def test_naf_outside_the_list(naf: str) -> None:
    rule = NafCodeRule(prefixes=("59", "58.21Z", "62.01Z"))
    status, code, params = _one(rule, _snapshot(naf_code=naf))
    assert (status, code, params["naf"]) == (Status.FAILED, "naf.not_allowed", naf)


def test_naf_prefix_with_a_dot() -> None:
    rule = NafCodeRule(prefixes=("59.11",))
    assert _one(rule, _snapshot(naf_code="5911B"))[0] is Status.PASSED
    assert _one(rule, _snapshot(naf_code="59.12Z"))[0] is Status.FAILED


def _belgian(**changes: Any) -> ApplicationSnapshot:
    """A Liège company: seat in Wallonia, a BCE number and a NACE-BEL code, no NAF code."""
    base = {
        "seat_territory": "wallonia",
        "seat_country": "BE",
        "naf_code": None,
        "nace_code": "59.111",
        "identifier_kind": "bce",
        "identifier": "0403019261",
    }
    return _snapshot(**{**base, **changes})


@pytest.mark.parametrize("nace", ["59.111", "59.120", "58.210", "62.010"])
def test_nace_bel_code_of_a_belgian_company_is_accepted(nace: str) -> None:
    rule = NafCodeRule(prefixes=("59", "58.21Z", "62.01Z"))
    status, code, params = _one(rule, _belgian(nace_code=nace))
    assert (status, code, params["naf"]) == (Status.PASSED, "naf_code.passed", nace)


@pytest.mark.parametrize("nace", ["47.110", "58.110", "62.020"])
def test_nace_bel_code_outside_the_list(nace: str) -> None:
    rule = NafCodeRule(prefixes=("59", "58.21Z", "62.01Z"))
    status, code, _ = _one(rule, _belgian(nace_code=nace))
    assert (status, code) == (Status.FAILED, "naf.not_allowed")


def test_belgian_company_without_an_activity_code_is_missing_one() -> None:
    rule = NafCodeRule(prefixes=("59",))
    status, code, params = _one(rule, _belgian(nace_code=None))
    assert (status, code, params["system"]) == (Status.FAILED, "naf.missing", "nace-bel")


def test_nace_bel_code_does_not_stand_for_a_french_company_naf() -> None:
    rule = NafCodeRule(prefixes=("59",))
    status, code, _ = _one(rule, _snapshot(naf_code=None, nace_code="59.111"))
    assert (status, code) == (Status.FAILED, "naf.missing")


def test_belgian_company_passes_every_2009_rule() -> None:
    report = evaluate(experiences_interactives_2009_rules(CLOSES_AT), _belgian())
    assert [r.code for r in report.results if r.status is Status.FAILED] == []


def test_naf_rule_scoped_to_companies_skips_a_lab() -> None:
    rule = NafCodeRule(prefixes=("59",), when=When(organisation_kinds=("company",)))
    status, code, _ = _one(rule, _snapshot(organisation_kind="research_lab", naf_code=None))
    assert (status, code) == (Status.NOT_APPLICABLE, "naf_code.not_applicable")


def test_valid_siret_and_bce() -> None:
    rule = IdentifierRule()
    assert _one(rule, _snapshot())[0] is Status.PASSED
    belgian = _snapshot(identifier_kind="bce", identifier="0403.019.261")
    assert _one(rule, belgian)[0] is Status.PASSED


def test_siret_with_a_wrong_check_digit() -> None:
    status, code, params = _one(IdentifierRule(), _snapshot(identifier="73282932000079"))
    assert (status, code) == (Status.FAILED, "identifier.invalid")
    assert params == {"kind": "siret", "reason": "siret.invalid_checksum"}


def test_identifier_error_computed_by_the_caller_is_trusted() -> None:
    snapshot = _snapshot(identifier_error="siret.closed_establishment")
    assert _one(IdentifierRule(), snapshot)[2]["reason"] == "siret.closed_establishment"


def test_identifier_missing_or_of_another_kind() -> None:
    assert _one(IdentifierRule(), _snapshot(identifier=""))[1] == "identifier.missing"
    rna = _snapshot(identifier_kind="rna", identifier="W123456789")
    assert _one(IdentifierRule(), rna)[1] == "identifier.kind_not_accepted"


# --- Genre, stage, documents, deadline, financing -----------------------------------------


def test_genre_and_stage_lists() -> None:
    assert _one(GenreRule(allowed=("web-documentary",)), _snapshot())[1] == "genre.not_allowed"
    assert _one(StageRule(allowed=("writing",)), _snapshot())[1] == "stage.not_allowed"
    assert _one(StageRule(allowed=("writing",)), _snapshot(stage=None))[1] == "stage.missing"


def test_missing_documents_are_listed_in_the_configured_order() -> None:
    rule = RequiredDocumentsRule(documents=("synopsis", "budget", "cv"))
    status, code, params = _one(rule, _snapshot(documents=frozenset({"budget"})))
    assert (status, code) == (Status.FAILED, "documents.missing")
    assert params["missing"] == ("synopsis", "cv")


def test_documents_per_stage() -> None:
    rule = RequiredDocumentsRule(documents=("rights-contract",), when=When(stages=("writing",)))
    assert _one(rule, _snapshot())[0] is Status.NOT_APPLICABLE
    assert _one(rule, _snapshot(stage="writing"))[1] == "documents.missing"


def test_submission_one_second_after_the_deadline() -> None:
    late = CLOSES_AT + timedelta(seconds=1)
    status, code, params = _one(DeadlineRule(), _snapshot(submitted_at=late))
    assert (status, code) == (Status.FAILED, "deadline.missed")
    assert params == {"submitted_at": late, "closes_at": CLOSES_AT, "late_by_seconds": 1}


def test_submission_at_the_deadline_second_is_on_time() -> None:
    assert _one(DeadlineRule(), _snapshot(submitted_at=CLOSES_AT))[0] is Status.PASSED


def test_deadline_not_applicable_before_submission() -> None:
    assert _one(DeadlineRule(), _snapshot(submitted_at=None))[0] is Status.NOT_APPLICABLE


def test_rule_deadline_overrides_the_call() -> None:
    rule = DeadlineRule(closes_at=CLOSES_AT - timedelta(hours=1))
    assert _one(rule, _snapshot())[1] == "deadline.missed"


def test_unbalanced_financing_plan_fails_with_every_finding() -> None:
    sources = (FinancingSource("Pôle Images", FinancingKind.THIS_CALL, E(150_000)),)
    (result,) = evaluate([FinancingPlanRule()], _snapshot(financing_sources=sources)).results
    assert (result.status, result.code) == (Status.FAILED, "financing.unbalanced")
    assert result.params["difference"] == Decimal("-150000.00")
    assert [d.code for d in result.details] == ["financing.unbalanced"]


def test_financing_plan_policy_from_the_rule() -> None:
    rule = FinancingPlanRule(
        min_secured_percent=Decimal(60), overheads_cap_percent=Decimal(5), budget_template="games"
    )
    (result,) = evaluate([rule], _snapshot()).results
    assert [d.code for d in result.details] == [
        "budget.unknown_chapter",
        "financing.secured_share_below",
        "overheads.above_cap",
    ]


def test_report_json_is_plain_data() -> None:
    report = evaluate([AmountCeilingRule(absolute=E(100_000))], _snapshot())
    data = report.to_json()
    assert json.loads(json.dumps(data)) == data
    assert data["is_eligible"] is False
    assert data["results"] == [
        {
            "index": 0,
            "kind": "amount_ceiling",
            "status": "failed",
            "code": "amount.above_ceiling",
            "params": {
                "requested": "150000.00",
                "ceiling": "100000.00",
                "binding": "absolute",
                "absolute_ceiling": "100000.00",
                "percent_ceiling": None,
                "percent": None,
                "budget_total": "300000.00",
            },
            "details": [],
        }
    ]


# --- JSON configuration -------------------------------------------------------------------------


def test_the_2009_rule_set_round_trips_through_json_text() -> None:
    rules = experiences_interactives_2009_rules(closes_at=CLOSES_AT)
    stored = json.dumps(rules_to_json(rules))
    assert rules_from_json(json.loads(stored)) == rules


def test_every_kind_is_in_the_2009_set_or_tested_here() -> None:
    kinds = {rule.kind for rule in experiences_interactives_2009_rules()}
    assert set(RULE_KINDS) - kinds == {"required_partner"}


_codes = st.lists(st.text("abcdefghij-_.", min_size=1, max_size=8), max_size=4).map(tuple)
_money = st.one_of(st.none(), st.integers(0, 10**12).map(Money))
_percent = st.one_of(st.none(), st.decimals(0, 1000, places=2))
_when = st.builds(When, stages=_codes, genres=_codes, organisation_kinds=_codes)
_rules = st.one_of(
    st.builds(OrganisationKindRule, allowed=_codes, when=_when),
    st.builds(SeatTerritoryRule, territories=_codes, countries=_codes, when=_when),
    st.builds(NafCodeRule, prefixes=_codes),
    st.builds(IdentifierRule, accepted=_codes),
    st.builds(RequiredPartnerRule, min_count=st.integers(1, 5), territories=_codes),
    st.builds(AmountCeilingRule, absolute=_money, percent_of_budget=_percent),
    st.builds(
        FinancingPlanRule,
        min_secured_percent=_percent,
        balance_tolerance=_money,
        regional_floor=_money,
        budget_template=st.sampled_from(["", "audiovisual", "games"]),
    ),
    st.builds(RequiredDocumentsRule, documents=_codes, when=_when),
    st.builds(GenreRule, allowed=_codes),
    st.builds(StageRule, allowed=_codes),
    st.builds(
        DeadlineRule,
        closes_at=st.one_of(st.none(), st.datetimes(timezones=st.just(UTC))),
    ),
)


@given(st.lists(_rules, max_size=8))
def test_any_rule_set_round_trips_through_json(rules: list[Rule]) -> None:
    stored = json.loads(json.dumps(rules_to_json(rules)))
    assert rules_from_json(stored) == rules


@pytest.mark.parametrize(
    ("data", "code", "params"),
    [
        ({"kind": "genre"}, "rules.not_a_list", {}),
        (["genre"], "rules.not_an_object", {"index": 0}),
        ([{"allowed": []}], "rules.missing_field", {"index": 0, "field": "kind"}),
        ([{"kind": "horoscope"}], "rules.unknown_kind", {"index": 0, "kind": "horoscope"}),
        ([{"kind": "genre"}], "rules.missing_field", {"index": 0, "field": "allowed"}),
        (
            [{"kind": "genre", "allowed": ["x"], "colour": "red"}],
            "rules.unknown_field",
            {"index": 0, "field": "colour"},
        ),
        (
            [{"kind": "genre", "allowed": "serious-game"}],
            "rules.wrong_type",
            {"index": 0, "field": "allowed", "expected": "list of strings"},
        ),
        (
            [{"kind": "stage", "allowed": ["writing"]}, {"kind": "amount_ceiling", "absolute": 5}],
            "rules.wrong_type",
            {"index": 1, "field": "absolute", "expected": "amount as a string"},
        ),
        (
            [{"kind": "amount_ceiling", "absolute": "lots"}],
            "rules.invalid_value",
            {"index": 0, "field": "absolute", "reason": "money.invalid"},
        ),
        (
            [{"kind": "amount_ceiling", "percent_of_budget": -5}],
            "rules.invalid_value",
            {"index": 0, "field": "percent_of_budget"},
        ),
        (
            [{"kind": "amount_ceiling", "percent_of_budget": True}],
            "rules.wrong_type",
            {"index": 0, "field": "percent_of_budget", "expected": "number"},
        ),
        (
            [{"kind": "required_partner", "min_count": 0}],
            "rules.invalid_value",
            {"index": 0, "field": "min_count"},
        ),
        (
            [{"kind": "deadline", "closes_at": "2009-10-15T12:00:00"}],
            "rules.invalid_value",
            {"index": 0, "field": "closes_at", "reason": "naive"},
        ),
        (
            [{"kind": "financing_plan", "budget_template": "opera"}],
            "rules.invalid_value",
            {"index": 0, "field": "budget_template"},
        ),
        (
            [{"kind": "genre", "allowed": ["x"], "when": {"moon": ["full"]}}],
            "rules.unknown_field",
            {"index": 0, "field": "when.moon"},
        ),
        (
            [{"kind": "genre", "allowed": [""]}],
            "rules.invalid_value",
            {"index": 0, "field": "allowed"},
        ),
    ],
)
def test_bad_rule_json_fails_with_a_code(data: Any, code: str, params: dict[str, Any]) -> None:
    with pytest.raises(RuleConfigError) as caught:
        rules_from_json(data)
    assert caught.value.code == code
    assert caught.value.params == params


def test_staff_can_write_amounts_and_percentages_as_they_type_them() -> None:
    (rule,) = rules_from_json(
        [{"kind": "amount_ceiling", "absolute": "150 000 €", "percent_of_budget": "50"}]
    )
    assert rule == AmountCeilingRule(absolute=E(150_000), percent_of_budget=Decimal(50))
