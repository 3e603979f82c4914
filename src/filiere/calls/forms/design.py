"""Forms of the call design pages (staff): funds, calls, lists of rows, the form builder,
eligibility rules and cloning. They validate one field or one row; cross-row rules (duplicate
codes, conditions) are the service's (``filiere.calls.services.design``)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.db.models import Model
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from filiere.community.models import OrganisationKind, Territory
from filiere.engine.eligibility import RULE_KINDS, RuleConfigError, rules_from_json, rules_to_json
from filiere.engine.money import MoneyError, parse_amount

from .. import phrases
from ..models import Call, DocumentType, Fund, Genre, Question, Stage
from ..services.design import CALL_FIELDS, FUND_FIELDS, QuestionRow, Row
from ..services.documents import UploadError, check_rules_pdf, rules_pdf_max_bytes

NOON = dt.time(12, 0, 0)
MAX_MONEY = Decimal("9999999999.99")  # DecimalField(max_digits=12, decimal_places=2)
_NOT_A_PDF = {
    "upload.kind_not_accepted",
    "upload.content_not_accepted",
    "upload.extension_mismatch",
}


class MoneyField(forms.CharField):
    """An amount in euros as people type it (``1 400 000``, ``150.000,50 €``), read by the
    engine's parser; its error codes are translated by ``phrases``."""

    # An amount, where CharField gives text: the one way this field differs from its base.
    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]
        text = super().to_python(value)
        if text is None or text in self.empty_values:
            return None
        try:
            amount = parse_amount(text).to_decimal()
        except MoneyError as error:
            raise forms.ValidationError(phrases.message(error.code, error.params)) from None
        if amount > MAX_MONEY:
            raise forms.ValidationError(
                phrases.message("money.too_large", {"value": text, "maximum": MAX_MONEY})
            )
        return amount

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, Decimal):
            return f"{value.normalize():f}" if value == value.to_integral_value() else f"{value}"
        return value


class LabelledSplitDateTimeWidget(forms.SplitDateTimeWidget):
    """The field's label names the date input (Django's multi-widgets give their label no
    target); the time input gets its own name from the field's label (see below)."""

    def id_for_label(self, id_: str) -> str:
        return f"{id_}_0" if id_ else id_


class DateTimeSecondsField(forms.SplitDateTimeField):
    """A date and a time to the second, in Europe/Paris (the site's time zone)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("input_date_formats", ["%Y-%m-%d", "%d/%m/%Y"])
        kwargs.setdefault("input_time_formats", ["%H:%M:%S", "%H:%M"])
        super().__init__(require_all_fields=False, **kwargs)
        self.fields[0].required = self.required
        self.fields[1].required = False  # noon when empty
        time_name = format_lazy(_("{label}, time"), label=self.label) if self.label else None
        # A lazy label: the widget renders it in the language of each request.
        time_attrs: dict[str, Any] = {"type": "time", "step": "1"}
        self.widget = LabelledSplitDateTimeWidget(
            date_attrs={"type": "date"},
            time_attrs=time_attrs | ({"aria-label": time_name} if time_name else {}),
            date_format="%Y-%m-%d",
            time_format="%H:%M:%S",
        )

    def compress(self, data_list: tuple[dt.date, dt.time] | None) -> dt.datetime | None:
        if data_list and data_list[0] and not data_list[1]:
            data_list = (data_list[0], NOON)  # the default time is noon
        return super().compress(data_list)


def _codes(text: str) -> list[str]:
    """Codes typed as a comma- or line-separated list."""
    return [part.strip() for part in text.replace("\n", ",").split(",") if part.strip()]


def _lines(values: Iterable[str] | None) -> str:
    return ", ".join(values or [])


# --- Funds and calls ------------------------------------------------------------------------------


class FundForm(forms.ModelForm):
    class Meta:
        model = Fund
        fields = FUND_FIELDS
        widgets = {
            "description_fr": forms.Textarea(attrs={"rows": 3}),
            "description_en": forms.Textarea(attrs={"rows": 3}),
            "description_nl": forms.Textarea(attrs={"rows": 3}),
        }

    def validate_unique(self) -> None:
        """Uniqueness is checked by the service, with its own message."""


class CallForm(forms.Form):
    """The general step of a call: texts, scope, money and calendar."""

    fund = forms.ModelChoiceField(Fund.objects.order_by("slug"), label=_("Fund"))
    slug = forms.SlugField(
        label=_("Short name (in the address)"), max_length=80, help_text=_("e.g. ei-2009")
    )
    reference_prefix = forms.CharField(
        label=_("Reference prefix"),
        max_length=12,
        help_text=_("Starts every application reference, e.g. EI2009."),
    )
    title_fr = forms.CharField(label=_("Title (French)"), max_length=200)
    title_en = forms.CharField(label=_("Title (English)"), max_length=200, required=False)
    title_nl = forms.CharField(label=_("Title (Dutch)"), max_length=200, required=False)
    summary_fr = forms.CharField(
        label=_("Summary (French)"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )
    summary_en = forms.CharField(
        label=_("Summary (English)"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    summary_nl = forms.CharField(
        label=_("Summary (Dutch)"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    rules_fr = forms.CharField(
        label=_("Rules (French)"), required=False, widget=forms.Textarea(attrs={"rows": 6})
    )
    rules_en = forms.CharField(
        label=_("Rules (English)"), required=False, widget=forms.Textarea(attrs={"rows": 6})
    )
    rules_nl = forms.CharField(
        label=_("Rules (Dutch)"), required=False, widget=forms.Textarea(attrs={"rows": 6})
    )
    rules_pdf = forms.FileField(
        label=_("Rules (PDF)"),
        required=False,
        help_text=_("Offered for download on the call's page. At most 10 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"}),
    )
    remove_rules_pdf = forms.BooleanField(label=_("Remove the current PDF"), required=False)
    genres = forms.ModelMultipleChoiceField(
        Genre.objects.all(), label=_("Genres"), widget=forms.CheckboxSelectMultiple
    )
    stages = forms.ModelMultipleChoiceField(
        Stage.objects.all(), label=_("Stages"), widget=forms.CheckboxSelectMultiple
    )
    envelope = MoneyField(label=_("Envelope (EUR)"), help_text=_("e.g. 1 400 000"))
    ceiling_amount = MoneyField(label=_("Ceiling per project (EUR)"), required=False)
    ceiling_percent = forms.DecimalField(
        label=_("Ceiling per project (% of the project's budget)"),
        required=False,
        max_digits=5,
        decimal_places=2,
    )
    opens_at = DateTimeSecondsField(
        label=_("Opens at"), help_text=_("Date and time in Paris; noon when no time is given.")
    )
    closes_at = DateTimeSecondsField(
        label=_("Closes at"),
        help_text=_("Date and time in Paris, to the second; noon when no time is given."),
    )

    def clean_rules_pdf(self) -> UploadedFile | None:
        upload = self.cleaned_data.get("rules_pdf")
        if not upload:
            return None
        # The checks of a document, PDF only; the antivirus runs once stored (services).
        try:
            check_rules_pdf(upload)
        except UploadError as error:
            if error.code == "upload.too_large":
                maximum = rules_pdf_max_bytes() // (1024 * 1024)
                message = phrases.message("call.pdf_too_large", {"maximum": maximum})
            elif error.code in _NOT_A_PDF:
                message = phrases.message("call.pdf_not_pdf")
            else:
                message = error.message
            raise forms.ValidationError(message) from None
        upload.seek(0)
        return upload

    def clean_ceiling_percent(self) -> Decimal | None:
        value = self.cleaned_data.get("ceiling_percent")
        if value is not None and not (Decimal(0) < value <= Decimal(100)):
            raise forms.ValidationError(phrases.message("call.ceiling_percent_range"))
        return value

    def clean_envelope(self) -> Decimal | None:
        value = self.cleaned_data.get("envelope")
        if value is not None and value <= 0:
            raise forms.ValidationError(phrases.message("call.envelope_not_positive"))
        return value

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        opens_at, closes_at = data.get("opens_at"), data.get("closes_at")
        if opens_at and closes_at and closes_at <= opens_at:
            self.add_error("closes_at", phrases.message("call.closes_before_opening"))
        return data

    @staticmethod
    def initial_for(call: Call) -> dict[str, Any]:
        initial = {name: getattr(call, name) for name in CALL_FIELDS}
        initial["fund"] = call.fund_id
        initial["genres"] = list(call.genres.all())
        initial["stages"] = list(call.stages.all())
        return initial

    def call_data(self) -> dict[str, Any]:
        skip = {"rules_pdf", "remove_rules_pdf", "genres", "stages"}
        return {k: v for k, v in self.cleaned_data.items() if k not in skip}


class CloneForm(forms.Form):
    slug = forms.SlugField(label=_("Short name of the copy"), max_length=80)
    years = forms.IntegerField(
        label=_("Shift the dates by (years)"),
        min_value=0,
        max_value=10,
        initial=1,
        required=False,
        help_text=_("Used when no dates are given below."),
    )
    opens_at = DateTimeSecondsField(label=_("Opens at"), required=False)
    closes_at = DateTimeSecondsField(label=_("Closes at"), required=False)

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        opens_at, closes_at = data.get("opens_at"), data.get("closes_at")
        if bool(opens_at) != bool(closes_at):
            self.add_error("closes_at", _("Give both dates, or neither."))
        elif opens_at and closes_at and closes_at <= opens_at:
            self.add_error("closes_at", phrases.message("call.closes_before_opening"))
        if not opens_at and not data.get("years"):
            data["years"] = 1
        return data


# --- Lists of rows (formsets) -------------------------------------------------------------------


class RowForm(forms.Form):
    """A row of an edited list: its id when it exists; blank new rows are ignored."""

    id = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def row(self) -> Row | None:
        data = self.cleaned_data
        if not data or (not data.get("id") and not self.has_changed()):
            return None
        values = {k: v for k, v in data.items() if k not in ("id", "DELETE", "ORDER")}
        return Row(
            values=self.to_values(values), pk=data.get("id"), delete=data.get("DELETE", False)
        )

    def to_values(self, values: dict[str, Any]) -> dict[str, Any]:
        return values

    @classmethod
    def initial_for(cls, obj: Model) -> dict[str, Any]:
        """The row's values from its saved object, one per field: an object chosen by its id, a
        list of choices copied."""
        initial: dict[str, Any] = {"id": obj.pk}
        for name, field in cls.base_fields.items():
            if name == "id":
                continue
            if isinstance(field, forms.ModelChoiceField):
                initial[name] = getattr(obj, f"{name}_id")
            elif isinstance(field, forms.MultipleChoiceField):
                initial[name] = list(getattr(obj, name))
            else:
                initial[name] = getattr(obj, name)
        return initial


def territory_choices() -> list[tuple[str, str]]:
    return [(t.code, t.label) for t in Territory.objects.all()]


class CoFunderForm(RowForm):
    name = forms.CharField(label=_("Co-funder"), max_length=200)
    amount = MoneyField(label=_("Share (EUR)"))
    eligible_partner_territories = forms.MultipleChoiceField(
        label=_("Only for projects with a partner in"),
        required=False,
        choices=territory_choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Leave empty when the share is open to every project."),
    )


class CriterionForm(RowForm):
    code = forms.SlugField(label=_("Code"), max_length=50)
    label_fr = forms.CharField(label=_("Criterion (French)"), max_length=200)
    label_en = forms.CharField(label=_("Criterion (English)"), max_length=200, required=False)
    label_nl = forms.CharField(label=_("Criterion (Dutch)"), max_length=200, required=False)
    weight = forms.IntegerField(
        label=_("Weight"),
        min_value=1,
        max_value=1000,
        error_messages={"min_value": phrases.MESSAGES["criterion.weight_not_positive"]},
    )


class DocumentRequirementForm(RowForm):
    document_type = forms.ModelChoiceField(DocumentType.objects.all(), label=_("Document"))
    stage = forms.ModelChoiceField(
        Stage.objects.all(), label=_("Only for the stage"), required=False, empty_label=_("Any")
    )
    genre = forms.ModelChoiceField(
        Genre.objects.all(), label=_("Only for the genre"), required=False, empty_label=_("Any")
    )
    required = forms.BooleanField(label=_("Required"), required=False, initial=True)


class QuestionForm(forms.Form):
    """One question of the form builder. Its group and its condition name other questions by
    code, so a new group and its children can be added at once."""

    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    section = forms.CharField(label=_("Section / step"), max_length=120, required=False)
    code = forms.SlugField(label=_("Code"), max_length=50)
    kind = forms.ChoiceField(label=_("Kind"), choices=[("", "—"), *Question.Kind.choices])
    label_fr = forms.CharField(label=_("Question (French)"), max_length=300)
    label_en = forms.CharField(label=_("Question (English)"), max_length=300, required=False)
    label_nl = forms.CharField(label=_("Question (Dutch)"), max_length=300, required=False)
    help_fr = forms.CharField(label=_("Help (French)"), max_length=500, required=False)
    help_en = forms.CharField(label=_("Help (English)"), max_length=500, required=False)
    help_nl = forms.CharField(label=_("Help (Dutch)"), max_length=500, required=False)
    required = forms.BooleanField(label=_("Required"), required=False)
    min_length = forms.IntegerField(
        label=_("Minimum length (text)"), min_value=0, max_value=100000, required=False
    )
    max_length = forms.IntegerField(
        label=_("Maximum length (text)"), min_value=1, max_value=100000, required=False
    )
    choices = forms.CharField(
        label=_("Choices"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "One per line: code | label in French | in English | in Dutch "
            "(for one choice and several choices)."
        ),
    )
    group = forms.SlugField(
        label=_("Inside the repeatable group"),
        required=False,
        help_text=_("Code of a question of kind “Repeatable group”."),
    )
    condition_question = forms.SlugField(
        label=_("Show only when the question"), required=False, help_text=_("Its code.")
    )
    condition_equals = forms.CharField(label=_("answers"), max_length=200, required=False)

    def clean_choices(self) -> list[dict[str, str]]:
        choices = []
        seen = set()
        for number, line in enumerate(self.cleaned_data.get("choices", "").splitlines(), 1):
            if not line.strip():
                continue
            parts = [p.strip() for p in line.split("|")]
            value = parts[0]
            if not value or value in seen:
                raise forms.ValidationError(
                    _("Line %(number)s: each choice needs its own code.") % {"number": number}
                )
            seen.add(value)
            labels = [*parts[1:4], "", "", ""][:3]
            choices.append(
                {
                    "value": value,
                    "label_fr": labels[0] or value,
                    "label_en": labels[1],
                    "label_nl": labels[2],
                }
            )
        return choices

    @staticmethod
    def choices_text(choices: Iterable[Mapping[str, str]] | None) -> str:
        lines = []
        for choice in choices or []:
            labels = [
                choice.get("label_fr", ""),
                choice.get("label_en", ""),
                choice.get("label_nl", ""),
            ]
            while labels and not labels[-1]:
                labels.pop()
            lines.append(" | ".join([choice.get("value", ""), *labels]))
        return "\n".join(lines)

    @classmethod
    def initial_for(cls, question: Question) -> dict[str, Any]:
        condition = question.condition or {}
        return {
            "id": question.pk,
            "section": question.section,
            "code": question.code,
            "kind": question.kind,
            "label_fr": question.label_fr,
            "label_en": question.label_en,
            "label_nl": question.label_nl,
            "help_fr": question.help_fr,
            "help_en": question.help_en,
            "help_nl": question.help_nl,
            "required": question.required,
            "min_length": question.min_length,
            "max_length": question.max_length,
            "choices": cls.choices_text(question.choices),
            "group": question.group.code if question.group else "",
            "condition_question": condition.get("question", ""),
            "condition_equals": condition.get("equals", ""),
        }

    def row(self) -> QuestionRow | None:
        data = self.cleaned_data
        if not data or (not data.get("id") and not self.has_changed()):
            return None
        values = {k: v for k, v in data.items() if k not in ("id", "DELETE")}
        return QuestionRow(pk=data.get("id"), delete=data.get("DELETE", False), **values)


# --- Eligibility rules --------------------------------------------------------------------------

RULE_KIND_CHOICES = [("", "—")] + [
    (kind, phrases.RULE_KINDS.get(kind, kind)) for kind in RULE_KINDS
]

#: Which form field holds which JSON field of each kind (lists are typed as "a, b, c").
KIND_FIELDS: dict[str, dict[str, str]] = {
    "deadline": {"closes_at": "closes_at"},
    "organisation_kind": {"allowed": "codes"},
    "seat_territory": {"territories": "territories", "countries": "countries"},
    "naf_code": {"prefixes": "codes"},
    "valid_identifier": {"accepted": "codes"},
    "genre": {"allowed": "codes"},
    "stage": {"allowed": "codes"},
    "required_partner": {
        "min_count": "min_count",
        "territories": "territories",
        "countries": "countries",
    },
    "amount_ceiling": {"absolute": "absolute", "percent_of_budget": "percent_of_budget"},
    "financing_plan": {
        "min_secured_percent": "min_secured_percent",
        "overheads_cap_percent": "overheads_cap_percent",
        "balance_tolerance": "balance_tolerance",
        "regional_ratio_percent": "regional_ratio_percent",
        "regional_floor": "regional_floor",
        "budget_template": "budget_template",
    },
    "required_documents": {"documents": "codes"},
}
LIST_FIELDS = {"codes", "territories", "countries"}
TEXT_FIELDS = {
    "closes_at",
    "absolute",
    "percent_of_budget",
    "min_secured_percent",
    "overheads_cap_percent",
    "balance_tolerance",
    "regional_ratio_percent",
    "regional_floor",
}


class RuleForm(forms.Form):
    """One eligibility rule. Fields that do not belong to the chosen kind are ignored; the
    list is validated as a whole by the engine (``rules_from_json``)."""

    kind = forms.ChoiceField(label=_("Rule"), choices=RULE_KIND_CHOICES, required=False)
    codes = forms.CharField(
        label=_("Codes"),
        required=False,
        help_text=_(
            "Comma-separated: kinds of applicant, NAF prefixes, accepted numbers (siret, bce), "
            "genres, stages or documents, depending on the rule."
        ),
    )
    territories = forms.CharField(label=_("Territories (codes)"), required=False)
    countries = forms.CharField(label=_("Countries (ISO codes, e.g. BE)"), required=False)
    min_count = forms.IntegerField(label=_("Minimum number of partners"), required=False)
    absolute = forms.CharField(label=_("Absolute ceiling (EUR)"), required=False)
    percent_of_budget = forms.CharField(label=_("Ceiling (% of the budget)"), required=False)
    min_secured_percent = forms.CharField(label=_("Secured at filing (% min.)"), required=False)
    overheads_cap_percent = forms.CharField(label=_("Overheads cap (%)"), required=False)
    balance_tolerance = forms.CharField(label=_("Balance tolerance (EUR)"), required=False)
    regional_ratio_percent = forms.CharField(
        label=_("Regional spend (% of the aid)"), required=False
    )
    regional_floor = forms.CharField(label=_("Regional spend floor (EUR)"), required=False)
    budget_template = forms.ChoiceField(
        label=_("Budget template"),
        required=False,
        choices=[(k, v) for k, v in phrases.BUDGET_TEMPLATES.items()],
    )
    closes_at = forms.CharField(
        label=_("Own deadline (ISO 8601 with offset)"),
        required=False,
        help_text=_("Empty: the call's closing time."),
    )
    when_stages = forms.CharField(label=_("Only for stages"), required=False)
    when_genres = forms.CharField(label=_("Only for genres"), required=False)
    when_organisation_kinds = forms.CharField(
        label=_("Only for kinds of applicant"), required=False
    )

    def to_json(self) -> dict[str, Any] | None:
        data = self.cleaned_data
        if not data or not data.get("kind") or data.get("DELETE"):
            return None
        kind = data["kind"]
        rule: dict[str, Any] = {"kind": kind}
        for json_name, form_name in KIND_FIELDS.get(kind, {}).items():
            value = data.get(form_name)
            if form_name in LIST_FIELDS:
                rule[json_name] = _codes(value or "")
            elif form_name == "min_count":
                if value is not None:
                    rule[json_name] = value
            elif form_name == "budget_template":
                rule[json_name] = value or ""
            else:
                rule[json_name] = (value or "").strip() or None
        when = {
            name: _codes(data.get(f"when_{name}") or "")
            for name in ("stages", "genres", "organisation_kinds")
        }
        when = {k: v for k, v in when.items() if v}
        if when:
            rule["when"] = when
        return rule

    @staticmethod
    def initial_for(rule: dict[str, Any]) -> dict[str, Any]:
        kind = rule.get("kind", "")
        initial: dict[str, Any] = {"kind": kind}
        for json_name, form_name in KIND_FIELDS.get(kind, {}).items():
            value = rule.get(json_name)
            if form_name in LIST_FIELDS:
                initial[form_name] = _lines(value)
            elif value is None:
                initial[form_name] = ""
            else:
                initial[form_name] = value
        for name, values in (rule.get("when") or {}).items():
            initial[f"when_{name}"] = _lines(values)
        return initial


RuleFormSet = forms.formset_factory(RuleForm, extra=1, can_delete=True, can_order=True)


def rules_from_formset(formset: forms.BaseFormSet[RuleForm]) -> list[dict[str, Any]]:
    forms_in_order = formset.ordered_forms if formset.can_order else formset.forms
    ordered = list(forms_in_order) + [
        f for f in formset.forms if f not in forms_in_order and f.cleaned_data
    ]
    rules = []
    for form in ordered:
        if form in formset.deleted_forms:
            continue
        rule = form.to_json()
        if rule is not None:
            rules.append(rule)
    return rules


class RulesJsonForm(forms.Form):
    """The same rules as JSON, for those who prefer to paste them (validated by the engine)."""

    rules_json = forms.CharField(
        label=_("Rules as JSON"),
        widget=forms.Textarea(attrs={"rows": 16, "spellcheck": "false"}),
        help_text=_("The format is described in the guide to configuring a call."),
    )

    def clean_rules_json(self) -> list[dict[str, Any]]:
        text = self.cleaned_data["rules_json"]
        try:
            data = json.loads(text)
        except json.JSONDecodeError as error:
            raise forms.ValidationError(
                phrases.message(
                    "rules.invalid_json", {"detail": f"{error.msg} ({error.lineno}:{error.colno})"}
                )
            ) from None
        try:
            return rules_to_json(rules_from_json(data))
        except RuleConfigError as error:
            raise forms.ValidationError(phrases.rule_config_error(error)) from None


def organisation_kind_codes() -> str:
    return ", ".join(kind.value for kind in OrganisationKind)
