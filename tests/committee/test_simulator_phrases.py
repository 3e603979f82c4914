"""Every code the engine's selection can give has a sentence in the simulator's phrases.

The codes are read from the engine's source (its syntax tree), so a new reason, change, rule or
refusal in ``engine/selection.py`` fails here until it has its sentence."""

import ast
from pathlib import Path

import pytest
from django.utils import translation

import filiere.engine.selection as selection
from filiere.committee import phrases_simulator as phrases

SOURCE = ast.parse(Path(selection.__file__).read_text())
NAMES = {"genre=fiction": "Fiction", "organisation=7": "Studio Nord", "application=3": "EI-3"}


def _calls(name: str) -> list[ast.Call]:
    return [
        node
        for node in ast.walk(SOURCE)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == name
    ]


def _constants(node: ast.AST | None) -> set[str]:
    """String constants of an expression (a literal, either branch of ``a if c else b``)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return {node.value}
    if isinstance(node, ast.IfExp):
        return _constants(node.body) | _constants(node.orelse)
    return set()


def _argument(call: ast.Call, index: int) -> ast.AST | None:
    return call.args[index] if len(call.args) > index else None


def _function(name: str) -> ast.FunctionDef:
    return next(
        node for node in ast.walk(SOURCE) if isinstance(node, ast.FunctionDef) and node.name == name
    )


def engine_reasons() -> set[str]:
    codes: set[str] = set()
    for call in _calls("Decision"):
        codes |= _constants(_argument(call, 4))
    for node in ast.walk(_function("_explain")):
        if isinstance(node, ast.Assign):
            target, value = node.targets[0], node.value
            if isinstance(target, ast.Name) and target.id == "reason":
                codes |= _constants(value)
            elif isinstance(target, ast.Tuple) and isinstance(value, ast.Tuple):
                for name, item in zip(target.elts, value.elts, strict=False):
                    if isinstance(name, ast.Name) and name.id == "reason":
                        codes |= _constants(item)
    return codes - {""}  # "" is "no reason yet", before the checks


def engine_changes() -> set[str]:
    codes: set[str] = set()
    for call in _calls("Change"):
        codes |= _constants(_argument(call, 3))
    # Dropped applications carry their decision's reason when it is one of these.
    for node in ast.walk(_function("_changes")):
        if isinstance(node, ast.Compare) and isinstance(node.comparators[0], ast.Tuple):
            for item in node.comparators[0].elts:
                codes |= _constants(item)
    return codes


def engine_diagnoses() -> set[str]:
    codes: set[str] = set()
    for call in _calls("Diagnosis"):
        codes |= _constants(_argument(call, 0))
    for call in _calls("_Row"):
        for code in _constants(_argument(call, 0)):
            if code in ("link", "flow"):  # hard rows: never relaxed by the diagnosis
                continue
            if code in ("quota_count", "quota_amount"):
                kind = code.removeprefix("quota_")
                codes |= {f"quota_min_{kind}", f"quota_max_{kind}"}
            else:
                codes.add(code)
    return codes


def engine_violations() -> set[str]:
    codes: set[str] = set()
    for call in ast.walk(_function("_violations")):
        if isinstance(call, ast.Call) and getattr(call.func, "attr", "") == "append":
            text = call.args[0]
            if isinstance(text, ast.JoinedStr):
                text = text.values[0]
            codes |= {code.split(":")[0] for code in _constants(text)}
    return codes


def engine_errors() -> set[str]:
    codes: set[str] = set()
    for call in _calls("SelectionError"):
        codes |= _constants(_argument(call, 0))
    return codes


def test_the_scan_finds_the_engines_codes():
    assert {"funded", "forced_in", "quota", "envelope_exhausted", "infeasible"} <= engine_reasons()
    assert {"replacement", "displaced", "objective", "quota", "forced_out"} <= engine_changes()
    assert {"budget", "quota_min_count", "organisation", "forced_in_and_out"} <= engine_diagnoses()
    assert {"quota", "max_per_organisation", "cofunder_share"} <= engine_violations()
    assert {"unknown_objective", "solver_failed"} <= engine_errors()


@pytest.mark.parametrize(
    ("found", "sentences"),
    [
        (engine_reasons, phrases.REASONS),
        (engine_diagnoses, phrases.DIAGNOSES),
        (engine_violations, phrases.VIOLATIONS),
        (engine_errors, phrases.ENGINE_ERRORS),
    ],
)
def test_every_code_has_a_sentence(found, sentences):
    assert found() - set(sentences) == set()


def test_every_change_has_a_sentence():
    missing = {
        code
        for code in engine_changes()
        if code not in phrases.CHANGES and f"{code}_added" not in phrases.CHANGES
    }
    assert missing == set()


def _plain(sentence: str, code: str) -> None:
    assert sentence and sentence != code and "%(" not in sentence, (code, sentence)


def test_every_sentence_is_filled_in():
    with translation.override("en"):
        for code in engine_reasons():
            detail = {"quota": "genre=fiction:max_count", "max_per_organisation": "7"}.get(code, "")
            _plain(phrases.reason(code, detail, 1500.0, names=NAMES), code)
        for code in engine_changes():
            for added in (True, False):
                detail = "genre=fiction:min" if code == "quota" else "quota:genre=fiction:min"
                _plain(phrases.change(code, detail, names=NAMES, added=added), code)
        for code in engine_diagnoses():
            rule = {"organisation": "7", "forced_in": "3", "forced_in_and_out": "3"}.get(
                code, "genre=fiction"
            )
            _plain(phrases.diagnosis(code, rule, 3, 1, 2, names=NAMES), code)
        for code in engine_violations():
            _plain(phrases.violation(f"{code}:genre=fiction:max_count", names=NAMES), code)
        for code in engine_errors():
            _plain(phrases.engine_error(code), code)


def test_sentences_name_the_rule_and_format_the_figures():
    limits = {"genre=fiction:max_count": 2, "genre=fiction:min_amount": 100000}
    with translation.override("en"):
        assert phrases.reason("quota", "genre=fiction:max_count", names=NAMES, limits=limits) == (
            "Not funded: the rule “at most 2 projects in genre Fiction” is already met."
        )
        assert phrases.reason("envelope_exhausted", "12000.00", 12000.0) == (
            "Not funded: the envelope is spent; €12,000 more would be needed to fund it."
        )
        assert phrases.reason("max_per_organisation", "7", names=NAMES) == (
            "Not funded: Studio Nord already has as many grants as one organisation may get."
        )
        assert phrases.change(
            "displaced", "quota:genre=fiction:min", names=NAMES, limits=limits
        ) == ("Dropped: its money was needed for: at least €100,000 in genre Fiction.")
        assert phrases.diagnosis("budget", "envelope", 100000, 100000, 25000) == (
            "The envelope of €100,000 is too small: the rules need €25,000 more."
        )
    with translation.override("fr"):
        assert "100\u00a0000\u00a0€" in phrases.diagnosis("budget", "envelope", 100000, 0, 1)
