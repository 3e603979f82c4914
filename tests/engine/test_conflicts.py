"""Conflicts of interest: each reason, its parameters, the collaboration window."""

from datetime import date
from pathlib import Path

import pytest

from filiere.engine.conflicts import (
    ApplicationParties,
    Conflict,
    ConflictKind,
    ConflictReason,
    Declarant,
    DeclaredConflict,
    ExpertParties,
    FundedProject,
    excluded_pairs,
    find_conflicts,
)

TODAY = date(2025, 6, 15)


ALICE = ExpertParties("x-alice", "alice", frozenset({"studio-a"}))
BRUNO = ExpertParties("x-bruno", "bruno", frozenset({"univ-b", "festival-c"}))
CHLOE = ExpertParties("x-chloe", "chloe")


def application(**kwargs: object) -> ApplicationParties:
    return ApplicationParties("p1", **kwargs)  # type: ignore[arg-type]


def reasons(conflicts: tuple[Conflict, ...]) -> set[tuple[str, str, str]]:
    return {(c.proposal_id, c.expert_id, c.reason.value) for c in conflicts}


def test_find_conflicts_same_organisation_names_the_organisation() -> None:
    found = find_conflicts([application(organisation_id="studio-a")], [ALICE, BRUNO], today=TODAY)
    assert found == (
        Conflict(
            "p1", "x-alice", ConflictReason.SAME_ORGANISATION, (("organisation_id", "studio-a"),)
        ),
    )
    assert found[0].parameters == {"organisation_id": "studio-a"}


def test_find_conflicts_team_member_and_partner_organisation() -> None:
    app = application(
        organisation_id="prod-z",
        team_person_ids=frozenset({"chloe", "zoe"}),
        partner_organisation_ids=frozenset({"festival-c"}),
    )
    found = find_conflicts([app], [ALICE, BRUNO, CHLOE], today=TODAY)
    assert reasons(found) == {
        ("p1", "x-bruno", "partner_organisation"),
        ("p1", "x-chloe", "team_member"),
    }
    team = next(c for c in found if c.reason is ConflictReason.TEAM_MEMBER)
    assert team.parameters == {"person_id": "chloe"}


def test_find_conflicts_declared_keeps_kind_and_declarant() -> None:
    declared = [
        DeclaredConflict("p1", "x-alice", ConflictKind.FAMILY, Declarant.EXPERT),
        DeclaredConflict("p2", "x-bruno", ConflictKind.COMPETITOR, Declarant.APPLICANT),
    ]
    found = find_conflicts([], [], today=TODAY, declarations=declared)
    assert [(c.expert_id, c.parameters) for c in found] == [
        ("x-alice", {"declared_by": "expert", "kind": "family"}),
        ("x-bruno", {"declared_by": "applicant", "kind": "competitor"}),
    ]


def test_find_conflicts_staff_addition_is_a_declared_conflict_of_its_own() -> None:
    """A conflict the staff add for one pair is excluded like the others, and kept beside an
    expert's declaration on the same pair (the page shows each declarant's reasons)."""
    declared = [
        DeclaredConflict("p1", "x-alice", ConflictKind.OTHER, Declarant.STAFF),
        DeclaredConflict("p1", "x-alice", ConflictKind.FAMILY, Declarant.EXPERT),
    ]
    found = find_conflicts([application()], [ALICE, BRUNO], today=TODAY, declarations=declared)
    assert [c.parameters for c in found] == [
        {"declared_by": "expert", "kind": "family"},
        {"declared_by": "staff", "kind": "other"},
    ]
    assert excluded_pairs(found) == frozenset({("p1", "x-alice")})
    assert Declarant("staff") is Declarant.STAFF


def test_find_conflicts_past_collaboration_inside_window() -> None:
    project = FundedProject("f-9", frozenset({"bruno", "zoe"}), ended_on=date(2023, 1, 10))
    app = application(team_person_ids=frozenset({"zoe"}))
    found = find_conflicts([app], [ALICE, BRUNO], today=TODAY, funded_projects=[project])
    assert found == (
        Conflict(
            "p1",
            "x-bruno",
            ConflictReason.PAST_COLLABORATION,
            (
                ("ended_on", "2023-01-10"),
                ("person_id", "zoe"),
                ("project_id", "f-9"),
                ("years", "3"),
            ),
        ),
    )


@pytest.mark.parametrize(
    ("ended_on", "expected"),
    [
        (date(2022, 6, 15), True),  # exactly N years before today: still inside
        (date(2022, 6, 14), False),  # one day older: outside
        (None, True),  # still running
    ],
)
def test_find_conflicts_past_collaboration_window_boundary(
    ended_on: date | None, expected: bool
) -> None:
    project = FundedProject("f-1", frozenset({"alice", "zoe"}), ended_on=ended_on)
    app = application(team_person_ids=frozenset({"zoe"}))
    found = find_conflicts(
        [app], [ALICE], today=TODAY, funded_projects=[project], collaboration_years=3
    )
    assert bool(found) is expected


def test_find_conflicts_window_from_29_february() -> None:
    project = FundedProject("f-1", frozenset({"alice", "zoe"}), ended_on=date(2021, 2, 28))
    app = application(team_person_ids=frozenset({"zoe"}))
    found = find_conflicts(
        [app], [ALICE], today=date(2024, 2, 29), funded_projects=[project], collaboration_years=3
    )
    assert reasons(found) == {("p1", "x-alice", "past_collaboration")}


def test_find_conflicts_collaboration_between_two_experts_only_is_not_a_conflict() -> None:
    project = FundedProject("f-1", frozenset({"alice", "bruno"}), ended_on=date(2025, 1, 1))
    app = application(team_person_ids=frozenset({"zoe"}))
    assert find_conflicts([app], [ALICE, BRUNO], today=TODAY, funded_projects=[project]) == ()


def test_find_conflicts_several_reasons_for_one_pair_are_all_returned() -> None:
    app = application(organisation_id="studio-a", team_person_ids=frozenset({"alice"}))
    declared = [DeclaredConflict("p1", "x-alice", ConflictKind.COLLABORATOR, Declarant.EXPERT)]
    found = find_conflicts([app], [ALICE], today=TODAY, declarations=declared)
    assert [c.reason.value for c in found] == ["declared", "same_organisation", "team_member"]
    assert excluded_pairs(found) == frozenset({("p1", "x-alice")})


def test_find_conflicts_rejects_negative_window() -> None:
    with pytest.raises(ValueError, match="collaboration_years"):
        find_conflicts([], [], today=TODAY, collaboration_years=-1)


def test_engine_conflicts_module_imports_no_django() -> None:
    import filiere.engine.conflicts as module

    source = Path(module.__file__).read_text(encoding="utf-8")
    assert "django" not in source.lower()
