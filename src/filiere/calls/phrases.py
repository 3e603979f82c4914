"""Codes from the engine and the calls services, turned into translated sentences.

The engine (``filiere.engine.eligibility``, ``budget``, ``money``, ``workflow``) returns codes
with parameters; this module is the one place where they become text in the reader's language.
The three pages of the calls app (designing, applying, instructing) import from here:

- :func:`message` — any code with its params → a sentence (eligibility results, budget findings,
  money parsing errors, workflow refusals, rule-configuration errors).
- :func:`rule_result_message` — one :class:`~filiere.engine.eligibility.RuleResult`.
- :func:`missing_items` — the completeness items of :mod:`filiere.engine.completeness` as the
  panel's :class:`Missing` rows (question and document codes shown with their labels).
- :func:`describe_rule` — a configured rule in plain language (the public call page).
- :func:`format_money`, :func:`format_percent`, :func:`format_datetime` — values per locale.
- ``BUDGET_CHAPTERS``, ``TRANSITIONS``, ``IDENTIFIER_KINDS``, ``COUNTRIES`` — labels of codes.

Labels of data rows (genres, stages, document types, territories) come from the database: pass
them as :class:`Labels` (``filiere.calls.selectors.rule_labels()`` builds one).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.template.defaultfilters import filesizeformat
from django.utils import formats, timezone
from django.utils.translation import get_language, gettext_lazy, ngettext
from django.utils.translation import gettext as _

from filiere.community.phrases import identifier_error

# --- Values per locale ------------------------------------------------------------------------


def _language() -> str:
    return (get_language() or "fr")[:2]


def format_number(value: Decimal | int, decimal_pos: int | None = None) -> str:
    return formats.number_format(value, decimal_pos, use_l10n=True, force_grouping=True)


def format_money(value: Decimal | int | None, *, cents: bool | None = None) -> str:
    """``1 400 000 €`` (fr), ``€1,400,000`` (en), ``€ 1.400.000`` (nl); cents only when there
    are some (or when ``cents=True``). No-break spaces keep the amount on one line."""
    if value is None:
        return ""
    amount = Decimal(value)
    show_cents = cents if cents is not None else amount != amount.to_integral_value()
    number = format_number(amount, 2 if show_cents else 0)
    language = _language()
    if language == "en":
        return f"€{number}"
    if language == "nl":
        return f"€\u00a0{number}"
    return f"{number}\u00a0€"


def format_percent(value: Decimal | int | float | None) -> str:
    if value is None:
        return ""
    number = Decimal(str(value)).quantize(Decimal("0.01")).normalize()
    exponent = number.as_tuple().exponent  # a letter only for NaN and infinities
    places = max(0, -exponent) if isinstance(exponent, int) else 0
    text = format_number(number, places)
    return f"{text}\u00a0%" if _language() == "fr" else f"{text}%"


def format_datetime(value: datetime | None, *, seconds: bool = True) -> str:
    """A local date and time with its zone: ``15 octobre 2009 12:00:00 CEST``."""
    if value is None:
        return ""
    local = timezone.localtime(value)
    time_format = "H:i:s" if seconds else "H:i"
    return (
        f"{formats.date_format(local, 'DATE_FORMAT')} "
        f"{formats.date_format(local, time_format)} {local.tzname()}"
    )


def join_labels(items: Iterable[Any]) -> str:
    """ "a, b and c" — in the reader's language."""
    parts = [str(item) for item in items]
    if not parts:
        return ""
    if len(parts) == 1:
        return parts[0]
    return _("%(first)s and %(last)s") % {"first": ", ".join(parts[:-1]), "last": parts[-1]}


def join_alternatives(items: Iterable[Any]) -> str:
    """ "a, b or c" — in the reader's language."""
    parts = [str(item) for item in items]
    if not parts:
        return ""
    if len(parts) == 1:
        return parts[0]
    return _("%(first)s or %(last)s") % {"first": ", ".join(parts[:-1]), "last": parts[-1]}


# --- Labels of codes --------------------------------------------------------------------------

COUNTRIES = {
    "FR": gettext_lazy("France"),
    "BE": gettext_lazy("Belgium"),
    "NL": gettext_lazy("the Netherlands"),
    "LU": gettext_lazy("Luxembourg"),
    "DE": gettext_lazy("Germany"),
}

IDENTIFIER_KINDS = {
    "siret": gettext_lazy("SIRET"),
    "siren": gettext_lazy("SIREN"),
    "bce": gettext_lazy("Belgian enterprise number (BCE/KBO)"),
    "rna": gettext_lazy("RNA (associations)"),
}

BUDGET_CHAPTERS = {
    # Audiovisual (CNC devis, docs/domain.md, Budget)
    "rights": gettext_lazy("1. Artistic rights"),
    "crew": gettext_lazy("2. Crew"),
    "cast": gettext_lazy("3. Cast"),
    "social_charges": gettext_lazy("4. Social charges"),
    "sets_costumes": gettext_lazy("5. Sets and costumes"),
    "transport_expenses": gettext_lazy("6. Transport, expenses, logistics"),
    "technical_means": gettext_lazy("7. Technical means"),
    "media_post_production": gettext_lazy("8. Media, laboratories and post-production"),
    "insurance_misc": gettext_lazy("9. Insurance and miscellaneous"),
    "overheads": gettext_lazy("Overheads"),
    "contingency": gettext_lazy("Contingency"),
    "producer_fee": gettext_lazy("Producer's fee"),
    "financial_costs": gettext_lazy("Financial costs"),
    # Games
    "preproduction_prototype": gettext_lazy("Pre-production / prototype"),
    "staff_design": gettext_lazy("Staff: design"),
    "staff_programming": gettext_lazy("Staff: programming"),
    "staff_art": gettext_lazy("Staff: art"),
    "staff_audio": gettext_lazy("Staff: audio"),
    "staff_qa": gettext_lazy("Staff: quality assurance"),
    "marketing": gettext_lazy("Marketing"),
    "porting_localisation": gettext_lazy("Porting and localisation"),
}

BUDGET_TEMPLATES = {
    "": gettext_lazy("Any chapter"),
    "audiovisual": gettext_lazy("Audiovisual (CNC chapters)"),
    "games": gettext_lazy("Games"),
}

TRANSITIONS = {
    "submit": gettext_lazy("Submit"),
    "request_correction": gettext_lazy("Ask for a correction"),
    "resubmit": gettext_lazy("Submit the corrections"),
    "declare_eligible": gettext_lazy("Declare eligible"),
    "declare_ineligible": gettext_lazy("Declare ineligible"),
    "reconsider_eligibility": gettext_lazy("Reconsider eligibility"),
    "start_review": gettext_lazy("Start the review"),
    "schedule_hearing": gettext_lazy("Schedule a hearing"),
    "send_to_committee": gettext_lazy("Send to the committee"),
    "award": gettext_lazy("Award"),
    "reject": gettext_lazy("Reject"),
    "defer": gettext_lazy("Defer"),
    "reschedule": gettext_lazy("Put back before the committee"),
    "sign_agreement": gettext_lazy("Record the signed agreement"),
    "start_payment": gettext_lazy("Start the payments"),
    "close": gettext_lazy("Close (final payment made)"),
    "withdraw": gettext_lazy("Withdraw"),
    "record_withdrawal": gettext_lazy("Record a withdrawal"),
}


def transition_label(code: str) -> str:
    """The name of transition ``code`` in the active language (the code itself if unknown)."""
    return str(TRANSITIONS.get(code, code))


RULE_KINDS = {
    "deadline": gettext_lazy("Deadline"),
    "organisation_kind": gettext_lazy("Kind of applicant"),
    "seat_territory": gettext_lazy("Registered office"),
    "naf_code": gettext_lazy("Activity code (NAF/APE)"),
    "valid_identifier": gettext_lazy("Company number"),
    "genre": gettext_lazy("Genre"),
    "stage": gettext_lazy("Stage"),
    "required_partner": gettext_lazy("Required partner"),
    "amount_ceiling": gettext_lazy("Amount requested"),
    "financing_plan": gettext_lazy("Budget and financing plan"),
    "required_documents": gettext_lazy("Required documents"),
}

RULE_FIELDS = {
    "kind": gettext_lazy("kind"),
    "allowed": gettext_lazy("allowed values"),
    "territories": gettext_lazy("territories"),
    "countries": gettext_lazy("countries"),
    "prefixes": gettext_lazy("code prefixes"),
    "accepted": gettext_lazy("accepted numbers"),
    "min_count": gettext_lazy("minimum number"),
    "absolute": gettext_lazy("absolute ceiling"),
    "percent_of_budget": gettext_lazy("ceiling as a share of the budget"),
    "min_secured_percent": gettext_lazy("minimum secured share"),
    "overheads_cap_percent": gettext_lazy("overheads cap"),
    "balance_tolerance": gettext_lazy("balance tolerance"),
    "regional_ratio_percent": gettext_lazy("regional spend ratio"),
    "regional_floor": gettext_lazy("regional spend floor"),
    "budget_template": gettext_lazy("budget template"),
    "documents": gettext_lazy("documents"),
    "closes_at": gettext_lazy("deadline"),
    "when": gettext_lazy("scope"),
    "when.stages": gettext_lazy("scope: stages"),
    "when.genres": gettext_lazy("scope: genres"),
    "when.organisation_kinds": gettext_lazy("scope: kinds of applicant"),
}


@dataclass(frozen=True)
class Labels:
    """Labels of the codes found in rules and results; unknown codes are shown as they are."""

    genres: Mapping[str, str] = field(default_factory=dict)
    stages: Mapping[str, str] = field(default_factory=dict)
    documents: Mapping[str, str] = field(default_factory=dict)
    territories: Mapping[str, str] = field(default_factory=dict)
    organisation_kinds: Mapping[str, str] = field(default_factory=dict)
    #: Questions of the call's form, by code (the completeness panel's items).
    questions: Mapping[str, str] = field(default_factory=dict)

    def of(self, mapping_name: str, codes: Iterable[str]) -> list[str]:
        mapping = getattr(self, mapping_name)
        return [str(mapping.get(code, code)) for code in codes]


NO_LABELS = Labels()

# --- Messages of codes ------------------------------------------------------------------------

AMOUNT_PARAMS = frozenset(
    {
        "requested",
        "ceiling",
        "absolute_ceiling",
        "percent_ceiling",
        "budget_total",
        "financing_total",
        "difference",
        "in_plan",
        "secured_total",
        "overheads",
        "base",
        "allowed",
        "required",
        "expected",
        "floor",
        "aid",
        "amount",
        "regional_amount",
        "maximum",
    }
)
PERCENT_PARAMS = frozenset(
    {"percent", "required_percent", "actual_percent", "cap_percent", "ratio_percent"}
)
DATETIME_PARAMS = frozenset({"submitted_at", "closes_at"})

#: Sentences of the codes; ``%(name)s`` placeholders take the formatted params.
MESSAGES: dict[str, Any] = {
    # Rule configuration (filiere.engine.eligibility.rules_from_json)
    "rules.invalid_json": gettext_lazy("This is not valid JSON: %(detail)s"),
    "rules.not_a_list": gettext_lazy("The rules must be a list of objects."),
    "rules.not_an_object": gettext_lazy("Rule %(number)s is not an object."),
    "rules.unknown_kind": gettext_lazy("Rule %(number)s: “%(kind)s” is not a known kind of rule."),
    "rules.missing_field": gettext_lazy("Rule %(number)s: the field “%(field)s” is missing."),
    "rules.unknown_field": gettext_lazy(
        "Rule %(number)s: “%(field)s” is not a field of this rule."
    ),
    "rules.wrong_type": gettext_lazy(
        "Rule %(number)s: the field “%(field)s” must be a %(expected)s."
    ),
    "rules.invalid_value": gettext_lazy("Rule %(number)s: the value of “%(field)s” is not valid."),
    # Eligibility results
    "deadline.missed": gettext_lazy(
        "Submitted at %(submitted_at)s, after the deadline of %(closes_at)s."
    ),
    "deadline.passed": gettext_lazy("Within the deadline."),
    "deadline.not_applicable": gettext_lazy("The deadline is checked at submission."),
    "organisation.kind_missing": gettext_lazy(
        "The kind of the applicant organisation is not known."
    ),
    "organisation.kind_not_allowed": gettext_lazy(
        "A %(kind)s may not apply to this call (accepted: %(allowed)s)."
    ),
    "organisation_kind.passed": gettext_lazy("The applicant is a %(kind)s: accepted."),
    "seat.missing": gettext_lazy("The applicant's registered office is not known."),
    "seat.territory_not_allowed": gettext_lazy(
        "The applicant's registered office must be in %(allowed_places)s."
    ),
    "seat_territory.passed": gettext_lazy("The registered office is in an accepted territory."),
    "naf.missing": gettext_lazy("The applicant's NAF/APE code is missing (accepted: %(allowed)s)."),
    "naf.not_allowed": gettext_lazy(
        "The NAF/APE code %(naf)s is not accepted (it must start with %(allowed)s)."
    ),
    "naf_code.passed": gettext_lazy("The NAF/APE code %(naf)s is accepted."),
    # The same rule judged on a Belgian organisation's NACE-BEL code (params["system"]).
    "naf.missing/nace-bel": gettext_lazy(
        "The applicant's NACE-BEL activity code is missing (accepted: %(allowed)s)."
    ),
    "naf.not_allowed/nace-bel": gettext_lazy(
        "The NACE-BEL code %(naf)s is not accepted (its NACE class must match %(allowed)s)."
    ),
    "naf_code.passed/nace-bel": gettext_lazy("The NACE-BEL code %(naf)s is accepted."),
    "identifier.missing": gettext_lazy("A company number is needed: %(accepted)s."),
    "identifier.kind_not_accepted": gettext_lazy(
        "A %(kind)s is not accepted here (accepted: %(accepted)s)."
    ),
    "identifier.invalid": gettext_lazy("%(reason)s"),
    "valid_identifier.passed": gettext_lazy("The %(kind)s is valid."),
    "genre.missing": gettext_lazy("Choose the genre of the project."),
    "genre.not_allowed": gettext_lazy(
        "The genre %(genre)s is not open in this call (open: %(allowed)s)."
    ),
    "genre.passed": gettext_lazy("The genre %(genre)s is open in this call."),
    "stage.missing": gettext_lazy("Choose the stage of the project."),
    "stage.not_allowed": gettext_lazy(
        "The stage %(stage)s is not supported by this call (supported: %(allowed)s)."
    ),
    "stage.passed": gettext_lazy("The stage %(stage)s is supported by this call."),
    "partner.required_missing": gettext_lazy(
        "At least %(min_count)s partner(s) from %(places)s must join the project "
        "(found: %(found)s)."
    ),
    "required_partner.passed": gettext_lazy("The project has the required partners."),
    "amount.missing": gettext_lazy("Give the amount requested."),
    "amount.not_positive": gettext_lazy("The amount requested must be more than zero."),
    "amount.budget_missing": gettext_lazy(
        "The budget is needed to check the ceiling of %(percent)s of the budget."
    ),
    "amount.above_ceiling": gettext_lazy(
        "The amount requested (%(requested)s) is above the ceiling of %(ceiling)s."
    ),
    "amount_ceiling.passed": gettext_lazy(
        "The amount requested (%(requested)s) is within the ceiling of %(ceiling)s."
    ),
    "amount_ceiling.not_applicable": gettext_lazy("This call sets no ceiling per project."),
    "documents.missing": gettext_lazy("Missing documents: %(missing)s."),
    "required_documents.passed": gettext_lazy("The required documents are there."),
    "financing_plan.passed": gettext_lazy(
        "The financing plan (%(financing_total)s) balances the budget (%(budget_total)s)."
    ),
    # Budget and financing plan (filiere.engine.budget)
    "budget.empty": gettext_lazy("The budget is empty."),
    "budget.negative_line": gettext_lazy(
        "The budget line “%(label)s” has a negative amount (%(amount)s)."
    ),
    "budget.unknown_chapter": gettext_lazy(
        "“%(chapter)s” is not a chapter of this call's budget template."
    ),
    "budget.regional_above_line": gettext_lazy(
        "The regional part of “%(label)s” (%(regional_amount)s) is larger than the line "
        "(%(amount)s)."
    ),
    "financing.unbalanced": gettext_lazy(
        "The financing plan (%(financing_total)s) does not balance the budget "
        "(%(budget_total)s): the difference is %(difference)s."
    ),
    "financing.request_not_in_plan": gettext_lazy(
        "The amount requested (%(requested)s) must appear in the financing plan as “this call” "
        "(found: %(in_plan)s)."
    ),
    "financing.secured_share_below": gettext_lazy(
        "At least %(required_percent)s of the budget must be secured at filing "
        "(now %(actual_percent)s: %(secured_total)s of %(budget_total)s)."
    ),
    "overheads.above_cap": gettext_lazy(
        "Overheads (%(overheads)s) are above %(cap_percent)s of the direct costs: at most "
        "%(allowed)s (now %(actual_percent)s)."
    ),
    "regional_spend.below_required": gettext_lazy(
        "The expected spend in the region (%(expected)s) is below the %(required)s required."
    ),
    # Amounts typed by people (filiere.engine.money)
    "money.empty": gettext_lazy("Enter an amount."),
    "money.invalid": gettext_lazy("“%(value)s” is not an amount, e.g. 150 000 or 35 000,50."),
    "money.too_many_decimals": gettext_lazy("“%(value)s” has more than two decimals."),
    "money.negative": gettext_lazy("The amount cannot be negative."),
    "money.too_large": gettext_lazy("“%(value)s” is too large (at most %(maximum)s)."),
    # The application lifecycle (filiere.engine.workflow)
    "workflow.unknown_transition": gettext_lazy("This action does not exist."),
    "workflow.not_allowed": gettext_lazy("This action is not possible now."),
    "workflow.reason_required": gettext_lazy("Give a reason for this decision."),
    # Designing a call (filiere.calls.services.design)
    "design.staff_only": gettext_lazy("You are not allowed to do this."),
    # Instruction: the pages check first, so these reach people only through a race.
    "instruction.not_instructor": gettext_lazy("You are not allowed to do this."),
    "instruction.not_call_staff": gettext_lazy("You are not allowed to do this."),
    "instruction.label_of_another_call": gettext_lazy("You are not allowed to do this."),
    "instruction.not_instructor_of_all": gettext_lazy("You are not allowed to do this."),
    "instruction.not_your_filter": gettext_lazy("You are not allowed to do this."),
    "call.closes_before_opening": gettext_lazy("The call must close after it opens."),
    "call.ceiling_percent_range": gettext_lazy(
        "The ceiling as a share of the budget must be more than 0 % and at most 100 %."
    ),
    "call.envelope_not_positive": gettext_lazy("The envelope must be more than zero."),
    "call.slug_taken": gettext_lazy("This short name is already used by another call."),
    "fund.slug_taken": gettext_lazy("This short name is already used by another fund."),
    "call.pdf_not_pdf": gettext_lazy("The rules must be a PDF file."),
    "call.pdf_too_large": gettext_lazy("The PDF is too large (at most %(maximum)s MB)."),
    "call.cofunders_above_envelope": gettext_lazy(
        "The co-funders' shares (%(total)s) are more than the envelope (%(envelope)s)."
    ),
    "criterion.weight_not_positive": gettext_lazy("A weight must be a whole number above zero."),
    "criterion.duplicate_code": gettext_lazy("The code “%(code)s” is used twice."),
    "question.duplicate_code": gettext_lazy("The code “%(code)s” is used twice."),
    "question.unknown_condition": gettext_lazy(
        "The condition refers to “%(code)s”, which is not a question of this call."
    ),
    "question.condition_on_itself": gettext_lazy("A question cannot depend on itself."),
    "question.group_not_group": gettext_lazy("“%(code)s” is not a repeatable group."),
    "question.length_range": gettext_lazy(
        "The minimum length must not be more than the maximum length."
    ),
    "question.choices_missing": gettext_lazy("A choice question needs at least two choices."),
}


def _format_param(name: str, value: Any, labels: Labels) -> str:
    if value is None:
        return "—"
    if isinstance(value, datetime):
        return format_datetime(value)
    if name in AMOUNT_PARAMS and isinstance(value, Decimal | int) and not isinstance(value, bool):
        return format_money(value)
    if name in PERCENT_PARAMS and isinstance(value, Decimal | int | float):
        return format_percent(value)
    if isinstance(value, tuple | list):
        return join_labels(str(v) for v in value)
    return str(value)


def _places(territories: Iterable[str], countries: Iterable[str], labels: Labels) -> list[str]:
    return labels.of("territories", territories) + [
        str(COUNTRIES.get(code, code)) for code in countries
    ]


def message(code: str, params: Mapping[str, Any] | None = None, labels: Labels = NO_LABELS) -> str:
    """The sentence of a code, its params formatted per locale and codes replaced by labels."""
    params = dict(params or {})
    shown = {name: _format_param(name, value, labels) for name, value in params.items()}
    # Codes shown with their labels.
    for name, mapping in (
        ("genre", "genres"),
        ("stage", "stages"),
        ("kind", "organisation_kinds"),
        ("question", "questions"),
        ("document", "documents"),
    ):
        if isinstance(params.get(name), str):
            shown[name] = labels.of(mapping, [params[name]])[0]
    allowed = params.get("allowed")
    if isinstance(allowed, tuple | list):
        allowed_labels = {
            "genre": "genres",
            "stage": "stages",
            "organisation": "organisation_kinds",
        }.get(code.split(".")[0])
        shown["allowed"] = join_alternatives(
            labels.of(allowed_labels, allowed) if allowed_labels else [str(a) for a in allowed]
        )
    for name in ("missing", "required") if code.startswith("documents.") else ():
        if isinstance(params.get(name), tuple | list):
            shown[name] = join_labels(labels.of("documents", params[name]))
    if code.startswith("identifier."):
        if isinstance(params.get("accepted"), tuple | list):
            shown["accepted"] = join_alternatives(
                str(IDENTIFIER_KINDS.get(k, k)) for k in params["accepted"]
            )
        if isinstance(params.get("kind"), str):
            shown["kind"] = str(IDENTIFIER_KINDS.get(params["kind"], params["kind"]))
        if isinstance(params.get("reason"), str):
            shown["reason"] = str(identifier_error(params["reason"]))
    if code == "seat.territory_not_allowed":
        shown["allowed_places"] = join_alternatives(
            _places(
                params.get("allowed_territories", ()), params.get("allowed_countries", ()), labels
            )
        )
    if code == "partner.required_missing":
        shown["places"] = join_alternatives(
            _places(params.get("territories", ()), params.get("countries", ()), labels)
        )
    if code.startswith("rules.") and "index" in params:
        shown["number"] = str(int(params["index"]) + 1)
        if isinstance(params.get("field"), str):
            shown["field"] = str(RULE_FIELDS.get(params["field"], params["field"]))
    template = MESSAGES.get(f"{code}/{params['system']}") if "system" in params else None
    template = template or MESSAGES.get(code)
    if template is None:
        return _("Check failed: %(code)s") % {"code": code} if "." in code else code
    try:
        return str(template) % _Defaulting(shown)
    except (TypeError, ValueError):
        return str(template)


class _Defaulting(dict):
    """A mapping for ``%`` formatting that shows a dash for a missing parameter."""

    def __missing__(self, key: str) -> str:
        return "—"


def rule_result_message(result: Any, labels: Labels = NO_LABELS) -> str:
    """The sentence of an engine ``RuleResult``: its code, or for a failed financing plan every
    finding of ``details`` joined."""
    if getattr(result, "details", ()):
        return " ".join(message(d.code, d.params, labels) for d in result.details)
    code = result.code
    if code.endswith(".not_applicable") and code not in MESSAGES:
        return _("Does not apply to this application.")
    if code.endswith(".passed") and code not in MESSAGES:
        return _("Passed.")
    return message(code, result.params, labels)


@dataclass(frozen=True)
class Missing:
    """One item of the completeness panel, in the reader's language: fixed on ``step``."""

    step: str
    message: str
    code: str = ""


def missing_item_message(item: Any, labels: Labels = NO_LABELS) -> str:
    """The sentence of a :class:`~filiere.engine.completeness.Item`: its code, or for a failed
    financing plan every finding of ``details`` joined (as :func:`rule_result_message`)."""
    if item.details:
        return " ".join(message(d.code, d.params, labels) for d in item.details)
    return message(item.code, item.params, labels)


def missing_items(items: Iterable[Any], labels: Labels = NO_LABELS) -> list[Missing]:
    """The engine's completeness items as the panel shows them."""
    return [Missing(item.step, missing_item_message(item, labels), item.code) for item in items]


def rule_config_error(error: Any) -> str:
    """The sentence of a ``RuleConfigError`` (or anything with ``code`` and ``params``)."""
    return message(error.code, getattr(error, "params", {}))


# --- Rules in plain language (public call page, rule editor) ----------------------------------


def _scope(rule: Any, labels: Labels) -> str:
    when = rule.when
    parts = []
    if when.stages:
        parts.append(
            _("stages %(list)s") % {"list": join_alternatives(labels.of("stages", when.stages))}
        )
    if when.genres:
        parts.append(
            _("genres %(list)s") % {"list": join_alternatives(labels.of("genres", when.genres))}
        )
    if when.organisation_kinds:
        parts.append(
            _("applicants of kind %(list)s")
            % {"list": join_alternatives(labels.of("organisation_kinds", when.organisation_kinds))}
        )
    return join_labels(parts)


def describe_rule(
    rule: Any, labels: Labels = NO_LABELS, *, closes_at: datetime | None = None
) -> str:
    """A configured eligibility rule (an engine ``Rule``) as one plain sentence."""
    kind = rule.kind
    text: str
    if kind == "deadline":
        moment = rule.closes_at or closes_at
        text = (
            _("Applications must be submitted by %(moment)s.") % {"moment": format_datetime(moment)}
            if moment
            else _("Applications must be submitted before the call closes.")
        )
    elif kind == "organisation_kind":
        text = _("The applicant must be %(list)s.") % {
            "list": join_alternatives(labels.of("organisation_kinds", rule.allowed))
        }
    elif kind == "seat_territory":
        text = _("The applicant's registered office must be in %(places)s.") % {
            "places": join_alternatives(_places(rule.territories, rule.countries, labels))
        }
    elif kind == "naf_code":
        text = _("The applicant's activity code (NAF/APE) must start with %(list)s.") % {
            "list": join_alternatives(rule.prefixes)
        }
    elif kind == "valid_identifier":
        text = _("The applicant must give a valid %(list)s.") % {
            "list": join_alternatives(str(IDENTIFIER_KINDS.get(k, k)) for k in rule.accepted)
        }
    elif kind == "genre":
        text = _("The project must be %(list)s.") % {
            "list": join_alternatives(labels.of("genres", rule.allowed))
        }
    elif kind == "stage":
        text = _("The aid is for %(list)s.") % {
            "list": join_alternatives(labels.of("stages", rule.allowed))
        }
    elif kind == "required_partner":
        text = ngettext(
            "At least %(count)s partner from %(places)s must take part in the project.",
            "At least %(count)s partners from %(places)s must take part in the project.",
            rule.min_count,
        ) % {
            "count": rule.min_count,
            "places": join_alternatives(_places(rule.territories, rule.countries, labels)),
        }
    elif kind == "amount_ceiling":
        absolute = rule.absolute.to_decimal() if rule.absolute is not None else None
        percent = rule.percent_of_budget
        if absolute is not None and percent is not None:
            text = _(
                "The amount requested may not exceed %(amount)s nor %(percent)s of the project's "
                "budget (the lower limit applies)."
            ) % {"amount": format_money(absolute), "percent": format_percent(percent)}
        elif absolute is not None:
            text = _("The amount requested may not exceed %(amount)s.") % {
                "amount": format_money(absolute)
            }
        elif percent is not None:
            text = _("The amount requested may not exceed %(percent)s of the project's budget.") % {
                "percent": format_percent(percent)
            }
        else:
            text = _("The amount requested has no ceiling.")
    elif kind == "financing_plan":
        parts = [_("The financing plan must balance the budget.")]
        if rule.min_secured_percent is not None:
            parts.append(
                _("At least %(percent)s of the budget must be secured when applying.")
                % {"percent": format_percent(rule.min_secured_percent)}
            )
        if rule.overheads_cap_percent is not None:
            parts.append(
                _("Overheads may not exceed %(percent)s of the direct costs.")
                % {"percent": format_percent(rule.overheads_cap_percent)}
            )
        if rule.regional_ratio_percent is not None or rule.regional_floor is not None:
            parts.append(
                _(
                    "At least %(percent)s of the aid (and at least %(floor)s) must be spent in "
                    "the region."
                )
                % {
                    "percent": format_percent(rule.regional_ratio_percent or 0),
                    "floor": format_money(
                        rule.regional_floor.to_decimal() if rule.regional_floor else 0
                    ),
                }
            )
        text = " ".join(str(p) for p in parts)
    elif kind == "required_documents":
        text = _("Required documents: %(list)s.") % {
            "list": join_labels(labels.of("documents", rule.documents))
        }
    else:
        text = str(RULE_KINDS.get(kind, kind))
    scope = _scope(rule, labels)
    if scope:
        text = _("For %(scope)s: %(rule)s") % {"scope": scope, "rule": text[:1].lower() + text[1:]}
    return text


# --- Applying and submission (calls/services/applications, documents, submission) -------------
# Codes of the applicant side; sizes are formatted here (``size``, ``limit`` in bytes).

APPLYING_MESSAGES: dict[str, Any] = {
    "apply.call_not_open": gettext_lazy("This call is not open for applications."),
    "apply.not_your_organisation": gettext_lazy(
        "You can apply only for an organisation you belong to or hold the applicant role for."
    ),
    "apply.title_missing": gettext_lazy("Give the project a title."),
    # The completeness panel (filiere.engine.completeness; question and document codes shown
    # with their labels)
    "apply.summary_missing": gettext_lazy("Write a summary of the project."),
    "apply.answer_missing": gettext_lazy("Answer the question “%(question)s”."),
    "apply.answer_too_short": gettext_lazy(
        "The answer to “%(question)s” needs at least %(minimum)s characters."
    ),
    "apply.document_missing": gettext_lazy("Add the document “%(document)s”."),
    "apply.document_infected": gettext_lazy(
        "The file “%(name)s” contains a virus: delete it and upload a clean copy."
    ),
    "apply.reference_busy": gettext_lazy(
        "Many applications are being created right now: please try again in a moment."
    ),
    "apply.read_only": gettext_lazy(
        "This application can no longer be changed: the call is closed or the file was submitted."
    ),
    "apply.not_an_editor": gettext_lazy("You may read this application but not change it."),
    "apply.stale_version": gettext_lazy(
        "Someone else saved this part of the application meanwhile (now version "
        "%(current_version)s). Your text was not saved: it is shown below so that you can copy "
        "it, next to the saved version."
    ),
    "apply.regional_above_line": gettext_lazy(
        "The regional part of “%(label)s” is larger than the line itself."
    ),
    "apply.unknown_role": gettext_lazy("Choose a role from the list."),
    "apply.only_lead_invites": gettext_lazy("Only the lead applicant can change the team."),
    "apply.lead_already_in_team": gettext_lazy("The lead applicant is already in the team."),
    "apply.already_invited": gettext_lazy("%(email)s has already been invited."),
    "apply.invitation_unknown": gettext_lazy("This invitation link is not valid."),
    "apply.invitation_used": gettext_lazy("This invitation has already been accepted."),
    "apply.invitation_other_address": gettext_lazy(
        "This invitation was sent to %(email)s: sign in with an account that uses this address "
        "(or add and verify it on your account page)."
    ),
    "apply.deadline_passed": gettext_lazy(
        "The call closed at %(closes_at)s: the application can no longer be submitted."
    ),
    "apply.already_submitted": gettext_lazy("This application has already been submitted."),
    "apply.only_lead_submits": gettext_lazy("Only the lead applicant can submit the application."),
    "apply.not_submittable": gettext_lazy("This application cannot be submitted in its state."),
    "apply.incomplete": gettext_lazy(
        "The application is not complete: %(count)s item(s) are missing (listed below)."
    ),
    "apply.only_lead_withdraws": gettext_lazy(
        "Only the lead applicant can withdraw the application."
    ),
    "apply.not_withdrawable": gettext_lazy(
        "This application can no longer be withdrawn: a decision has been taken."
    ),
    "apply.only_lead_resubmits": gettext_lazy(
        "Only the lead applicant can send the corrected application."
    ),
    "apply.not_resubmittable": gettext_lazy(
        "This application cannot be sent again: no correction is asked for."
    ),
    "apply.correction_closed": gettext_lazy(
        "Corrections were allowed until %(until)s: the application can no longer be sent again."
    ),
    "upload.missing_file": gettext_lazy("Choose a file to upload."),
    "upload.name_control_characters": gettext_lazy(
        "The file name contains invisible control characters: rename the file."
    ),
    "upload.name_traversal": gettext_lazy("The file name may not contain “..”: rename the file."),
    "upload.name_empty": gettext_lazy("The file has no name: rename the file."),
    "upload.name_too_long": gettext_lazy(
        "The file name is too long (at most %(max_chars)s characters): rename the file."
    ),
    "upload.too_large": gettext_lazy("The file is too large (%(size)s; at most %(limit)s)."),
    "upload.empty": gettext_lazy("The file is empty."),
    "upload.extension_not_accepted": gettext_lazy(
        "Files ending in %(extension)s are not accepted. Accepted: PDF, PNG, JPEG, Word (.docx), "
        "Excel (.xlsx), OpenDocument (.odt, .ods) and plain text."
    ),
    "upload.kind_not_accepted": gettext_lazy(
        "Files ending in %(extension)s are not accepted here. Accepted: %(accepted)s."
    ),
    "throttle.upload": gettext_lazy(
        "You sent many files in a short time (at most %(count)s in %(window)s minutes): please "
        "try again in %(minutes)s minutes. What you typed is kept; choose the file again then."
    ),
    "throttle.message": gettext_lazy(
        "You sent many messages in a short time (at most %(count)s in %(window)s minutes): please "
        "try again in %(minutes)s minutes. Your message is kept below."
    ),
    "upload.content_not_accepted": gettext_lazy(
        "The file's content is not what its name says (%(extension)s): it was refused. Save it "
        "again from the application that made it."
    ),
    "upload.extension_mismatch": gettext_lazy(
        "The file's content is %(detected)s, but its name ends in %(extension)s: rename it or "
        "export it in the right format."
    ),
    "upload.corrupt_archive": gettext_lazy("The file is damaged and cannot be opened."),
    "upload.archive_too_many_entries": gettext_lazy(
        "The file contains too many parts (more than %(max_entries)s)."
    ),
    "upload.archive_too_large_unpacked": gettext_lazy(
        "Once unpacked, the file would be larger than %(limit)s: it was refused."
    ),
    "upload.archive_ratio": gettext_lazy(
        "The file is compressed more than %(ratio)s to 1, as harmful archives are: it was refused."
    ),
    "upload.archive_encrypted": gettext_lazy(
        "The file is protected by a password: upload it without protection."
    ),
    "upload.archive_not_office": gettext_lazy(
        "This archive is not a Word, Excel or OpenDocument file: ZIP archives are not accepted."
    ),
    # The page (document_blocked.html) says why from the scan status; this is the short form.
    "upload.not_servable": gettext_lazy("This file cannot be downloaded"),
}
MESSAGES.update(APPLYING_MESSAGES)

_SIZE_PARAMS = frozenset({"size", "limit"})


def applying_message(code: str, params: Mapping[str, Any] | None = None) -> str:
    """The sentence of an ``apply.*`` / ``upload.*`` code (sizes in bytes shown for people)."""
    shown = {
        name: filesizeformat(value) if name in _SIZE_PARAMS and isinstance(value, int) else value
        for name, value in (params or {}).items()
    }
    return message(code, shown)
