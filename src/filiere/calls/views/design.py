"""Staff pages to design calls: funds, the call's steps, publication and cloning.

Every view: staff only (``calls.permissions.staff_required``); anonymous visitors are sent to
sign in, other people get 403. Forms validate fields; services validate the rest and write.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from .. import phrases, selectors
from ..forms.design import (
    CallForm,
    CloneForm,
    CoFunderForm,
    CriterionForm,
    DocumentRequirementForm,
    FundForm,
    QuestionForm,
    RowForm,
    RuleForm,
    RuleFormSet,
    RulesJsonForm,
    rules_from_formset,
)
from ..permissions import staff_required
from ..services import design as services
from ..services.design import DesignError

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from filiere.accounts.types import AuthenticatedHttpRequest

    from ..models import Call

STEPS = (
    ("design_call_edit", gettext_lazy("General")),
    ("design_call_cofunders", gettext_lazy("Co-funders")),
    ("design_call_criteria", gettext_lazy("Criteria")),
    ("design_call_documents", gettext_lazy("Documents")),
    ("design_call_questions", gettext_lazy("Questions")),
    ("design_call_rules", gettext_lazy("Eligibility rules")),
)


def _steps(call: Call, current: str) -> list[dict[str, object]]:
    return [
        {
            "url": reverse(f"calls:{name}", args=[call.pk]),
            "label": label,
            "current": name == current,
        }
        for name, label in STEPS
    ]


def _render_step(
    request: HttpRequest, call: Call, step: str, template: str, context: dict[str, Any]
) -> HttpResponse:
    return render(
        request,
        f"calls/design/{template}",
        {"call": call, "steps": _steps(call, step), **context},
    )


# --- Funds --------------------------------------------------------------------------------------


@staff_required
def funds(request: AuthenticatedHttpRequest) -> HttpResponse:
    # permission: staff
    form = FundForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            fund = services.create_fund(by=request.user, data=form.cleaned_data)
        except DesignError as error:
            form.add_error(error.field or None, error.message)
        else:
            messages.success(request, _("Fund “%(name)s” created.") % {"name": fund.name})
            return redirect("calls:design_funds")
    return render(
        request, "calls/design/funds.html", {"funds": selectors.funds_for_staff(), "form": form}
    )


@staff_required
def fund_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    # permission: staff
    fund = selectors.get_fund(pk)
    form = FundForm(request.POST or None, instance=fund)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_fund(fund=fund, by=request.user, data=form.cleaned_data)
        except DesignError as error:
            form.add_error(error.field or None, error.message)
        else:
            messages.success(request, _("Fund saved."))
            return redirect("calls:design_funds")
    return render(request, "calls/design/fund_edit.html", {"fund": fund, "form": form})


# --- Calls --------------------------------------------------------------------------------------


@staff_required
def calls(request: AuthenticatedHttpRequest) -> HttpResponse:
    # permission: staff
    return render(request, "calls/design/calls.html", {"calls": selectors.calls_for_staff()})


@staff_required
def call_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    # permission: staff
    form = CallForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            call = services.create_call(
                by=request.user,
                data=form.call_data(),
                genres=form.cleaned_data["genres"],
                stages=form.cleaned_data["stages"],
                rules_pdf=form.cleaned_data.get("rules_pdf"),
            )
        except DesignError as error:
            form.add_error(error.field or None, error.message)
        else:
            messages.success(
                request,
                _("Call created with the default criteria and eligibility rules: review them."),
            )
            return redirect("calls:design_call", pk=call.pk)
    return render(request, "calls/design/call_create.html", {"form": form})


@staff_required
def call_overview(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    # permission: staff
    call = selectors.get_call_for_design(pk)
    labels = selectors.rule_labels()
    rules = [
        phrases.describe_rule(rule, labels, closes_at=call.closes_at)
        for rule in selectors.call_rules(call)
    ]
    return _render_step(
        request,
        call,
        "",
        "call_overview.html",
        {"rules": rules, "phase": call.phase()},
    )


@staff_required
def call_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    # permission: staff
    call = selectors.get_call_for_design(pk)
    form = CallForm(request.POST or None, request.FILES or None, initial=CallForm.initial_for(call))
    if request.method == "POST" and form.is_valid():
        try:
            services.update_call(
                call=call,
                by=request.user,
                data=form.call_data(),
                genres=form.cleaned_data["genres"],
                stages=form.cleaned_data["stages"],
                rules_pdf=form.cleaned_data.get("rules_pdf"),
                remove_rules_pdf=form.cleaned_data.get("remove_rules_pdf", False),
            )
        except DesignError as error:
            form.add_error(error.field or None, error.message)
        else:
            messages.success(request, _("Saved."))
            return redirect("calls:design_call_edit", pk=call.pk)
    return _render_step(request, call, "design_call_edit", "call_edit.html", {"form": form})


def _row_formset(form_class: type[forms.Form], extra: int) -> type[forms.BaseFormSet[Any]]:
    return forms.formset_factory(form_class, extra=extra, can_delete=True)


def _save_rows(
    request: AuthenticatedHttpRequest,
    formset: forms.BaseFormSet[Any],
    save: Callable[..., object],
    call: Call,
) -> bool:
    """Validate a formset, hand its rows to ``save``; a service error goes to its row."""
    if not formset.is_valid():
        return False
    pairs = [(form, form.row()) for form in formset.forms]
    pairs = [(form, row) for form, row in pairs if row is not None]
    try:
        save(call=call, by=request.user, rows=[row for _form, row in pairs])
    except DesignError as error:
        message = error.message
        if error.row is not None and error.row < len(pairs):
            form = pairs[error.row][0]
            field = error.field if error.field in form.fields else None
            form.add_error(field, message)
        else:
            # Django's slot for formset-wide errors (full_clean() fills it; no public setter).
            formset._non_form_errors = formset.error_class([message])  # type: ignore[attr-defined]
        return False
    return True


@dataclass(frozen=True)
class _RowsStep:
    """A step that edits one list of the call's rows with a formset."""

    form_class: type[RowForm] | type[QuestionForm]
    extra: int  # blank rows offered for new entries
    rows: Callable[[Call], Iterable[Any]]
    save: Callable[..., object]  # the service that replaces the list
    title: StrOrPromise
    template: str = "call_rows.html"


_ROWS_STEPS = {
    "design_call_cofunders": _RowsStep(
        CoFunderForm,
        2,
        lambda call: call.cofunders.all(),
        services.set_cofunders,
        gettext_lazy("Co-funders"),
    ),
    "design_call_criteria": _RowsStep(
        CriterionForm,
        2,
        lambda call: call.criteria.all(),
        services.set_criteria,
        gettext_lazy("Evaluation criteria"),
    ),
    "design_call_documents": _RowsStep(
        DocumentRequirementForm,
        3,
        lambda call: call.document_requirements.all(),
        services.set_document_requirements,
        gettext_lazy("Required documents"),
    ),
    "design_call_questions": _RowsStep(
        QuestionForm,
        3,
        lambda call: call.questions.all(),
        services.set_questions,
        gettext_lazy("Extra questions"),
        template="call_questions.html",
    ),
}


def _rows_step(request: AuthenticatedHttpRequest, pk: int, step: str) -> HttpResponse:
    config = _ROWS_STEPS[step]
    call = selectors.get_call_for_design(pk)
    FormSet = _row_formset(config.form_class, config.extra)
    initial = [config.form_class.initial_for(row) for row in config.rows(call)]
    formset = FormSet(request.POST or None, initial=initial, prefix="rows")
    if request.method == "POST" and _save_rows(request, formset, config.save, call):
        messages.success(request, _("Saved."))
        return redirect(f"calls:{step}", pk=call.pk)
    context = {"formset": formset, "title": config.title}
    return _render_step(request, call, step, config.template, context)


@staff_required
def call_cofunders(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    # permission: staff
    return _rows_step(request, pk, "design_call_cofunders")


@staff_required
def call_criteria(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    # permission: staff
    return _rows_step(request, pk, "design_call_criteria")


@staff_required
def call_documents(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    # permission: staff
    return _rows_step(request, pk, "design_call_documents")


@staff_required
def call_questions(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    # permission: staff
    return _rows_step(request, pk, "design_call_questions")


@staff_required
def call_rules(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    # permission: staff
    call = selectors.get_call_for_design(pk)
    initial = [RuleForm.initial_for(rule) for rule in call.eligibility_rules]
    formset = RuleFormSet(initial=initial, prefix="rules")
    json_form = RulesJsonForm(initial={"rules_json": _pretty(call.eligibility_rules)})
    error = ""
    if request.method == "POST":
        rules = None
        if "save_json" in request.POST:
            json_form = RulesJsonForm(request.POST)
            if json_form.is_valid():
                rules = json_form.cleaned_data["rules_json"]
        elif "reset_default" in request.POST:
            rules = services.default_rules_json()
        else:
            formset = RuleFormSet(request.POST, initial=initial, prefix="rules")
            if formset.is_valid():
                rules = rules_from_formset(formset)
        if rules is not None:
            try:
                services.set_eligibility_rules(call=call, by=request.user, rules=rules)
            except DesignError as design_error:
                error = design_error.message
            else:
                messages.success(request, _("Eligibility rules saved."))
                return redirect("calls:design_call_rules", pk=call.pk)
    labels = selectors.rule_labels()
    sentences = [
        phrases.describe_rule(rule, labels, closes_at=call.closes_at)
        for rule in selectors.call_rules(call)
    ]
    return _render_step(
        request,
        call,
        "design_call_rules",
        "call_rules.html",
        {
            "formset": formset,
            "json_form": json_form,
            "error": error,
            "sentences": sentences,
            "labels": labels,
        },
    )


def _pretty(rules: object) -> str:
    return json.dumps(rules, indent=2, ensure_ascii=False)


@require_POST
@staff_required
def call_publish(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    # permission: staff
    call = selectors.get_call_for_design(pk)
    publish = request.POST.get("published") == "1"
    try:
        services.set_published(call=call, by=request.user, published=publish)
    except DesignError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, _("The call is published.") if publish else _("The call is hidden.")
        )
    return redirect("calls:design_call", pk=call.pk)


@staff_required
def call_clone(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    # permission: staff
    call = selectors.get_call_for_design(pk)
    form = CloneForm(request.POST or None, initial={"slug": f"{call.slug}-copy", "years": 1})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            clone = services.clone_call(
                call=call,
                by=request.user,
                slug=data["slug"],
                opens_at=data.get("opens_at"),
                closes_at=data.get("closes_at"),
                years=data.get("years") or 1,
            )
        except DesignError as error:
            form.add_error(error.field or None, error.message)
        else:
            messages.success(request, _("Copy created (not published)."))
            return redirect("calls:design_call", pk=clone.pk)
    return _render_step(request, call, "", "call_clone.html", {"form": form})
