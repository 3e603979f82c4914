"""The observatory's words: measures, tables, steps of a refresh and refusals (English msgids,
translated by the catalogues). Figures are stored with their labels in the three languages
(``trilingual``), so the page, the CSV and the API read them without a query."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

LANGUAGE_CODES = ("fr", "en", "nl")

#: What each column of the calls' tables measures.
MEASURES: dict[str, Promise] = {
    "applications": _("Applications"),
    "awarded": _("Awarded"),
    "success_rate": _("Success rate (%)"),
    "requested": _("Amount requested (EUR)"),
    "awarded_amount": _("Amount awarded (EUR)"),
    "people": _("People in the directory"),
    "employees": _("Employees (jobs)"),
    "students": _("Students"),
    "researchers": _("Researchers"),
    "total": _("Total"),
    "agreements": _("Agreements signed"),
    "closed": _("Closed"),
    "met": _("Closed, spend rule met"),
    "amount": _("Amount under agreement (EUR)"),
    "required": _("Regional spend required (EUR)"),
    "eligible": _("Eligible regional spend declared (EUR)"),
    "spend_ratio": _("Spend achieved (% of the award)"),
}

TABLES: dict[str, Promise] = {
    "organisations_by_territory": _("Organisations by territory and kind"),
    "organisations_by_sector": _("Organisations by sector and kind"),
    "people_by_territory": _("People, jobs, students and researchers by territory"),
    "years": _("Applications and awards by year"),
    "calls": _("Applications and awards by call"),
    "genre": _("By genre"),
    "territory": _("By the applicant's territory"),
    "kind": _("By kind of applicant organisation"),
    "first_time": _("First-time and returning applicants"),
    "spend": _("Regional spend achieved by year"),
}

ROW_HEADINGS: dict[str, Promise] = {
    "territory": _("Territory"),
    "sector": _("Sector"),
    "year": _("Year"),
    "call": _("Call"),
    "genre": _("Genre"),
    "kind": _("Kind of organisation"),
    "first_time": _("Applicant"),
}

CATEGORIES: dict[str, Promise] = {
    "not_given": _("Not given"),
    "first": _("First application"),
    "returning": _("Applied before"),
    "all_years": _("All years"),
}

STEPS: dict[str, Promise] = {
    "": _("Waiting for the worker"),
    "community": _("Counting members and organisations"),
    "calls": _("Counting applications and awards by call"),
    "genre": _("By genre"),
    "territory": _("By territory"),
    "kind": _("By kind of organisation"),
    "first_time": _("First-time applicants"),
    "spend": _("Regional spend of the agreements"),
    "publishing": _("Suppressing small counts and storing"),
    "done": _("Done"),
}

REFUSALS: dict[str, Promise] = {
    "observatory.not_staff": _("Only the platform's staff refresh the observatory."),
    "observatory.already_running": _(
        "A refresh is already waiting or under way; follow its progress below."
    ),
    "observatory.failed": _("The refresh failed; the figures published before are kept."),
}


def refusal(code: str, params: Mapping[str, Any]) -> str:
    """The sentence for an ``observatory.`` code (``errors.register`` calls this)."""
    text = REFUSALS.get(code)
    if text is None:
        return _("This action was refused (%(code)s).") % {"code": code}
    return str(text) % dict(params) if params else str(text)


def step_label(code: str) -> str:
    return str(STEPS.get(code, code))


def trilingual(label: Promise | str) -> dict[str, str]:
    """A translatable label in each platform language, as the snapshot stores it."""
    labels = {}
    for code in LANGUAGE_CODES:
        with translation.override(code):
            labels[code] = str(label)
    return labels


def pick(labels: Mapping[str, str], language: str | None = None) -> str:
    """The label in ``language`` (the active one by default), falling back to French."""
    language = (language or translation.get_language() or "fr")[:2]
    for code in (language, *LANGUAGE_CODES):
        if labels.get(code):
            return labels[code]
    return ""
