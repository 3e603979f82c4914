"""The envelope simulator in plain words: its refusals, and every code the engine's selection
(``engine.selection``) gives (each application's reason, each change against the ranked list,
each rule of a diagnosis, each rule the ranked list breaks, each input it refuses) turned into a
sentence with its figures.

The engine speaks in ids and labels (``genre=fiction``, an organisation's pk); the caller passes
``names``, a mapping from those keys (``"genre=fiction"``, ``"territory=wallonia"``,
``"organisation=12"``, ``"application=34"``) to what a reader recognises. Amounts are formatted in
the reader's language (``calls.phrases.format_money``).
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from filiere.calls.phrases import format_money

Names = Mapping[str, str]

REFUSALS: dict[str, Promise] = {
    "committee.simulation.envelope_invalid": gettext_lazy(
        "The envelope must be a positive amount."
    ),
    "committee.simulation.rules_invalid": gettext_lazy(
        "These rules cannot be read (%(problem)s): correct the form and run it again."
    ),
    "committee.simulation.forced_unknown": gettext_lazy(
        "Only applications of the agenda with a calibrated score and a requested amount can be "
        "forced in or out."
    ),
    "committee.simulation.forced_twice": gettext_lazy(
        "An application cannot be forced both in and out."
    ),
    "committee.simulation.cofunders_exceed_envelope": gettext_lazy(
        "The co-funders' envelopes add up to more than the whole envelope."
    ),
    "committee.simulation.nothing_to_run": gettext_lazy(
        "No application on the agenda has both a calibrated score and a requested amount."
    ),
}

#: The engine's refusals (``SelectionError`` codes): the simulation fails with one of these.
ENGINE_ERRORS: dict[str, Promise] = {
    "unknown_objective": gettext_lazy("The objective is not one the simulator knows."),
    "envelope_invalid": gettext_lazy("The envelope must be a positive amount."),
    "duplicate_id": gettext_lazy("An application appears twice in the simulation."),
    "proposal_invalid": gettext_lazy(
        "An application has no valid requested amount or score: correct it and run again."
    ),
    "unknown_forced_id": gettext_lazy(
        "An application forced in or out is no longer on the agenda."
    ),
    "cofunders_exceed_envelope": gettext_lazy(
        "The co-funders' envelopes add up to more than the whole envelope."
    ),
    "partial_floor_out_of_range": gettext_lazy(
        "The floor of a partial award must be between 0 and 100 % of the request."
    ),
    "solver_failed": gettext_lazy(
        "The solver found no answer in the time allowed: simplify the rules or try again."
    ),
    "failed": gettext_lazy("The simulation could not be computed. The error was logged."),
}

#: Each application's reason (``Decision.reason``).
REASONS: dict[str, Promise] = {
    "funded": gettext_lazy("Funded: it is part of the best set that respects every rule."),
    "forced_in": gettext_lazy("Funded because the staff forced it in."),
    "forced_out": gettext_lazy("Not funded because the staff forced it out."),
    "below_min_score": gettext_lazy(
        "Not funded: its calibrated score is below the minimum of %(minimum)s."
    ),
    "max_per_organisation": gettext_lazy(
        "Not funded: %(organisation)s already has as many grants as one organisation may get."
    ),
    "quota": gettext_lazy("Not funded: the rule “%(quota)s” is already met."),
    "envelope_exhausted": gettext_lazy(
        "Not funded: the envelope is spent; %(missing)s more would be needed to fund it."
    ),
    "not_chosen": gettext_lazy(
        "Not funded: it fits within the rules but does not improve the objective."
    ),
    "infeasible": gettext_lazy(
        "No decision: the rules cannot all be met together (see the diagnosis)."
    ),
}

#: Why an application is funded or not compared with the plain ranked list (``Change``).
CHANGES: dict[str, Promise] = {
    "forced_in": gettext_lazy("Added: the staff forced it in."),
    "forced_out": gettext_lazy("Dropped: the staff forced it out."),
    "below_min_score": gettext_lazy("Dropped: its score is below the minimum of %(minimum)s."),
    "max_per_organisation": gettext_lazy(
        "Dropped: %(organisation)s would get more grants than one organisation may."
    ),
    "quota_added": gettext_lazy("Added to meet the rule “%(quota)s”."),
    "quota_dropped": gettext_lazy("Dropped: the ranked list breaks the rule “%(quota)s”."),
    "replacement": gettext_lazy("Added with the money freed by: %(rules)s."),
    "displaced": gettext_lazy("Dropped: its money was needed for: %(rules)s."),
    "objective": gettext_lazy("Changed because the objective prefers this set."),
}

#: The rules of an infeasible set, relaxed by the least (``Diagnosis.code``).
DIAGNOSES: dict[str, Promise] = {
    "budget": gettext_lazy(
        "The envelope of %(limit)s is too small: the rules need %(shortfall)s more."
    ),
    "main_share": gettext_lazy(
        "The fund's own share (the envelope less the co-funders') of %(limit)s is too small: "
        "%(shortfall)s more is needed."
    ),
    "cofunder": gettext_lazy(
        "The co-funder %(rule)s's envelope of %(limit)s is too small: %(shortfall)s more is needed."
    ),
    "quota_min_count": gettext_lazy(
        "The rule “%(quota)s” cannot be met: at most %(achievable)s can be funded, "
        "%(shortfall)s short."
    ),
    "quota_max_count": gettext_lazy(
        "The rule “%(quota)s” cannot be met: the other rules need %(achievable)s, "
        "%(shortfall)s too many."
    ),
    "quota_min_amount": gettext_lazy(
        "The rule “%(quota)s” cannot be met: at most %(achievable)s can go there, "
        "%(shortfall)s short."
    ),
    "quota_max_amount": gettext_lazy(
        "The rule “%(quota)s” cannot be met: the other rules need %(achievable)s there, "
        "%(shortfall)s too much."
    ),
    "organisation": gettext_lazy(
        "%(organisation)s would need %(shortfall)s more grants than the cap per organisation "
        "allows."
    ),
    "forced_in": gettext_lazy("%(application)s cannot be forced in together with these rules."),
    "forced_in_and_out": gettext_lazy("%(application)s is forced both in and out."),
    "unknown": gettext_lazy("The rules cannot all be met together; loosen some and try again."),
}

#: The rules the plain ranked list breaks (``Baseline.violations``).
VIOLATIONS: dict[str, Promise] = {
    "below_min_score": gettext_lazy("It funds applications below the minimum score."),
    "quota": gettext_lazy("It breaks the rule “%(quota)s”."),
    "max_per_organisation": gettext_lazy(
        "It gives %(organisation)s more grants than one organisation may get."
    ),
    "cofunder_share": gettext_lazy(
        "It spends more than the fund's own share on applications no co-funder may pay for."
    ),
}

#: The objectives, for the form and the result.
OBJECTIVES: dict[str, Promise] = {
    "merit": gettext_lazy("Fund as much quality as possible (the sum of the scores)"),
    "merit_amount": gettext_lazy("Favour large projects (the sum of score × amount)"),
    "ranked": gettext_lazy("Keep the ranked order unless a rule forces a change"),
}

#: The engine's run statuses.
STATUSES: dict[str, Promise] = {
    "optimal": gettext_lazy("Best set found and proven."),
    "time_limit": gettext_lazy(
        "Time limit reached: the best set found so far, not proven to be the best."
    ),
    "infeasible": gettext_lazy("The rules cannot all be met together."),
}

FIELDS: dict[str, Promise] = {
    "genre": gettext_lazy("genre"),
    "territory": gettext_lazy("territory"),
    "organisation": gettext_lazy("organisation"),
}


def money(value: float | Decimal | None) -> str:
    if value is None:
        return ""
    return format_money(Decimal(str(round(float(value), 2))))


def _count(value: float) -> str:
    return str(round(value)) if abs(value - round(value)) < 1e-6 else f"{value:.2f}"


def _named(names: Names, key: str, fallback: str) -> str:
    return names.get(key) or fallback


def group_words(label: str, names: Names) -> str:
    """``genre=fiction`` → "genre Fiction" (the value's label in the reader's language)."""
    field, _sep, value = label.partition("=")
    return f"{FIELDS.get(field, field)} {_named(names, label, value)}"


def quota_words(label: str, bound: str, limit: float | None, names: Names) -> str:
    """A quota in words: "at most 2 projects in genre Fiction", "at least 100 000 € in …".
    ``bound`` is the engine's ``min_count``, ``max_amount``, ``min`` (a minimum of either kind)…
    ``limit`` is the figure when it is known."""
    group = group_words(label, names)
    kind = "count" if bound.endswith("count") else "amount" if bound.endswith("amount") else ""
    if limit is None or not kind:
        if bound.startswith("min"):
            return _("a minimum for %(group)s") % {"group": group}
        return _("a maximum for %(group)s") % {"group": group}
    if kind == "count":
        n = round(limit)
        if bound.startswith("min"):
            return ngettext(
                "at least %(n)s project in %(group)s",
                "at least %(n)s projects in %(group)s",
                n,
            ) % {"n": n, "group": group}
        return ngettext(
            "at most %(n)s project in %(group)s", "at most %(n)s projects in %(group)s", n
        ) % {"n": n, "group": group}
    if bound.startswith("min"):
        return _("at least %(amount)s in %(group)s") % {"amount": money(limit), "group": group}
    return _("at most %(amount)s in %(group)s") % {"amount": money(limit), "group": group}


def _quota_detail(detail: str, names: Names, limits: Mapping[str, float]) -> str:
    """``genre=fiction:max_count`` → the quota in words (with its figure if ``limits`` has it)."""
    label, _sep, bound = detail.rpartition(":")
    if bound in ("min", "max"):  # a bound of either kind: the count's when the quota has one
        for kind in ("count", "amount"):
            if f"{label}:{bound}_{kind}" in limits:
                bound = f"{bound}_{kind}"
                break
    return quota_words(label, bound, limits.get(f"{label}:{bound}"), names)


def _organisation(names: Names, pk: str) -> str:
    return _named(names, f"organisation={pk}", _("this organisation"))


def _application(names: Names, pk: str) -> str:
    return _named(names, f"application={pk}", _("an application"))


def reason(
    code: str,
    detail: str = "",
    missing: float | None = None,
    *,
    names: Names | None = None,
    limits: Mapping[str, float] | None = None,
) -> str:
    """One application's reason (``Decision.reason`` and its ``detail``) in plain words."""
    names, limits = names or {}, limits or {}
    text = REASONS.get(code)
    if text is None:
        return code
    params: dict[str, Any] = {
        "minimum": detail,
        "organisation": _organisation(names, detail),
        "quota": _quota_detail(detail, names, limits) if code == "quota" else "",
        "missing": money(missing if missing is not None else _float(detail)),
    }
    return str(text) % params


def _float(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None


def rule_words(rule: str, names: Names, limits: Mapping[str, float]) -> str:
    """One rule as ``_changes`` joins them (``quota:genre=x:min``, ``max_per_organisation:12``,
    ``forced_in``, ``below_min_score:50``…) in words."""
    code, _sep, detail = rule.partition(":")
    if code == "quota":
        return _quota_detail(detail, names, limits)
    if code == "max_per_organisation":
        return _("the cap on %(organisation)s") % {"organisation": _organisation(names, detail)}
    if code == "below_min_score":
        return _("the minimum score of %(minimum)s") % {"minimum": detail}
    if code == "forced_in":
        return _("an application forced in")
    if code == "forced_out":
        return _("an application forced out")
    return rule


def change(
    forced_by: str,
    detail: str = "",
    *,
    names: Names | None = None,
    limits: Mapping[str, float] | None = None,
    added: bool = True,
) -> str:
    """Why an application was added to or dropped from the ranked list (``Change``)."""
    names, limits = names or {}, limits or {}
    key = forced_by
    if forced_by == "quota":
        key = "quota_added" if added else "quota_dropped"
    text = CHANGES.get(key)
    if text is None:
        return forced_by
    rules = [r for r in detail.split(";") if r]
    params: dict[str, Any] = {
        "minimum": detail,
        "organisation": _organisation(names, detail),
        "quota": _quota_detail(detail, names, limits) if forced_by == "quota" else "",
        "rules": "; ".join(rule_words(r, names, limits) for r in rules),
    }
    return str(text) % params


def diagnosis(
    code: str,
    rule: str,
    limit: float,
    achievable: float,
    shortfall: float,
    *,
    names: Names | None = None,
) -> str:
    """One rule of an infeasible set and how much it must give (``Diagnosis``)."""
    names = names or {}
    text = DIAGNOSES.get(code)
    if text is None:
        return DIAGNOSES["unknown"] % {}
    counts = code.endswith("_count") or code == "organisation"
    figure = _count if counts else money
    quota = ""
    if code.startswith("quota_"):
        quota = quota_words(rule, code.removeprefix("quota_"), limit, names)
    params: dict[str, Any] = {
        "rule": rule,
        "limit": figure(limit),
        "achievable": figure(achievable),
        "shortfall": figure(shortfall),
        "quota": quota,
        "organisation": _organisation(names, rule),
        "application": _application(names, rule),
    }
    return str(text) % params


def violation(
    code: str, *, names: Names | None = None, limits: Mapping[str, float] | None = None
) -> str:
    """A rule the plain ranked list breaks (``Baseline.violations``: ``quota:genre=x:max_count``,
    ``max_per_organisation:12``, ``below_min_score:3``, ``cofunder_share``)."""
    names, limits = names or {}, limits or {}
    kind, _sep, detail = code.partition(":")
    text = VIOLATIONS.get(kind)
    if text is None:
        return code
    params: dict[str, Any] = {
        "quota": _quota_detail(detail, names, limits) if kind == "quota" else "",
        "organisation": _organisation(names, detail),
    }
    return str(text) % params


def engine_error(code: str) -> str:
    """The sentence for an engine refusal (``SelectionError.code``) or ``failed``."""
    return str(ENGINE_ERRORS.get(code, ENGINE_ERRORS["failed"]))
