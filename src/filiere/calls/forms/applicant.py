"""Forms of the applying pages. They validate and convert what people type; services decide.

Amounts accept what people type ("1 400 000", "35 000,50", "€35,000") through the engine's
``parse_amount``, whose error codes are translated by ``calls.phrases``. The extra questions'
form is built from the call's ``Question`` rows (:class:`QuestionsForm`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from types import SimpleNamespace
from typing import Any, ClassVar, cast

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from filiere.community.models import Organisation, Person
from filiere.engine.budget import TEMPLATES
from filiere.engine.money import MoneyError, parse_amount
from filiere.ui.translated import localized

from .. import phrases
from ..models import (
    Application,
    BudgetLine,
    Call,
    Document,
    DocumentType,
    FinancingSource,
    Genre,
    Question,
    Stage,
    TeamMember,
)
from ..selectors_applicant import condition_holds
from .fields import text_area

MONEY_MAX = Decimal("9999999999.99")  # DecimalField(max_digits=12, decimal_places=2)


class AmountField(forms.CharField):
    """An amount in euros typed as people do; cleans to a ``Decimal`` with two places."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 40)
        super().__init__(*args, **kwargs)
        self.widget.attrs.setdefault("inputmode", "decimal")
        self.widget.attrs.setdefault("autocomplete", "off")

    def clean(self, value: Any) -> Decimal | None:
        text = super().clean(value)  # required and length checks on the text as typed
        if text in self.empty_values:
            return None
        try:
            amount = parse_amount(text).to_decimal()
        except MoneyError as error:
            raise forms.ValidationError(
                phrases.message(error.code, error.params), code=error.code
            ) from None
        if amount > MONEY_MAX:
            raise forms.ValidationError(
                phrases.message("money.too_large", {"value": text, "maximum": MONEY_MAX}),
                code="money.too_large",
            )
        return amount


def amount_initial(value: Decimal | int | str | None) -> str:
    """An amount put back in a field: ``150000`` or ``35000,50`` (parse_amount reads both)."""
    if value is None:
        return ""
    value = Decimal(value)
    if value == value.to_integral_value():
        return str(int(value))
    return f"{value:.2f}".replace(".", ",")


def _model_choices(form: forms.Form, name: str, queryset: QuerySet[Any]) -> None:
    """Offer ``queryset`` in the form's model choice field ``name``."""
    cast(forms.ModelChoiceField, form.fields[name]).queryset = queryset


class VersionedForm(forms.Form):
    """Carries the version and section fingerprint the form was rendered from."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    base = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)

    def versions(self) -> dict[str, Any]:
        """What the services compare to refuse a stale edit: the version the page was rendered
        from (None: whatever the version) and the fingerprint of the section as it showed it."""
        return {
            "expected_version": self.cleaned_data.get("version"),
            "base_fingerprint": self.cleaned_data.get("base") or "",
        }


class CreateApplicationForm(forms.Form):
    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.none(),  # the user's, set by the view
        label=_("On behalf of"),
        empty_label=None,
        help_text=_("The organisation that applies (you belong to it or hold its applicant role)."),
    )
    title = forms.CharField(label=_("Project title"), max_length=200)

    def __init__(self, *args: Any, organisations: QuerySet[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _model_choices(self, "organisation", organisations)


class ProjectForm(VersionedForm):
    title = forms.CharField(label=_("Project title"), max_length=200)
    genre = forms.ModelChoiceField(queryset=Genre.objects.none(), label=_("Genre"), required=False)
    stage = forms.ModelChoiceField(queryset=Stage.objects.none(), label=_("Stage"), required=False)
    summary = text_area(
        _("Summary"),
        rows=8,
        max_length=Application._meta.get_field("summary").max_length,
        required=False,
        help_text=_(
            "What the project is, for whom, and what is new about it (at most 4,000 characters)."
        ),
    )

    def __init__(self, *args: Any, call: Call, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _model_choices(self, "genre", call.genres.all())
        _model_choices(self, "stage", call.stages.all())

    @staticmethod
    def initial_for(application: Application, fingerprint: str) -> dict[str, Any]:
        return {
            "title": application.title,
            "genre": application.genre_id,
            "stage": application.stage_id,
            "summary": application.summary,
            "version": application.version,
            "base": fingerprint,
        }

    def changes(self) -> dict[str, Any]:
        """The cleaned values as ``save_project`` takes them."""
        data = self.cleaned_data
        return {
            "title": data["title"],
            "summary": data["summary"],
            "genre_id": data["genre"].pk if data["genre"] else None,
            "stage_id": data["stage"].pk if data["stage"] else None,
            **self.versions(),
        }


class InviteForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail address"),
        required=False,
        help_text=_("Or choose someone from the directory below."),
    )
    person = forms.ModelChoiceField(
        queryset=Person.objects.none(),  # the people the lead may see, set by the view
        label=_("From the directory"),
        required=False,
        empty_label=_("Nobody (use the e-mail address)"),
    )
    role = forms.ChoiceField(label=_("Role"), choices=TeamMember.Role.choices)
    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.none(),
        label=_("Their organisation"),
        required=False,
        help_text=_("Needed for partners that a call's rules count (e.g. a Belgian co-producer)."),
        to_field_name="slug",
    )
    can_edit = forms.BooleanField(label=_("May edit the draft"), required=False, initial=True)

    def __init__(
        self,
        *args: Any,
        people: QuerySet[Person],
        organisations: QuerySet[Organisation],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        _model_choices(self, "person", people)
        _model_choices(self, "organisation", organisations)

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        person = data.get("person")
        if person is not None and person.user is not None:
            # The service takes the account itself; its address is never echoed to the lead.
            data["email"] = ""
        elif not data.get("email"):
            raise forms.ValidationError(
                _("Give an e-mail address or choose someone from the directory."), code="required"
            )
        return data


class _RowForm(forms.Form):
    """A row of the budget or of the financing plan; one left blank is not saved."""

    name_field: ClassVar[str]  # the row's own name: a line's label, a source's name

    def is_blank(self) -> bool:
        data = getattr(self, "cleaned_data", {})
        return data.get("amount") is None and not data.get(self.name_field)

    def row(self) -> dict[str, Any]:
        """The cleaned row as ``save_budget`` takes it: one value per field of the form."""
        return {name: self.cleaned_data[name] for name in self.fields}


class BudgetLineForm(_RowForm):
    name_field = "label"
    chapter = forms.ChoiceField(label=_("Chapter"))
    label = forms.CharField(label=_("Line"), max_length=200, required=False)
    amount = AmountField(label=_("Amount (EUR)"), required=False)
    regional_amount = AmountField(label=_("Of which in the region (EUR)"), required=False)

    def __init__(self, *args: Any, chapters: Iterable[str] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["chapter"]).choices = [
            (code, phrases.BUDGET_CHAPTERS.get(code, code)) for code in chapters
        ]

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("amount") is None and (data.get("label") or data.get("regional_amount")):
            self.add_error("amount", _("Give the amount of this line."))
        regional = data.get("regional_amount") or Decimal(0)
        if data.get("amount") is not None and regional > data["amount"]:
            self.add_error(
                "regional_amount", _("The regional part cannot be more than the line itself.")
            )
        return data

    def row(self) -> dict[str, Any]:
        """An unnamed line is named by its chapter."""
        data = self.cleaned_data
        chapter = data["chapter"]
        return {
            "chapter": chapter,
            "label": data["label"] or str(phrases.BUDGET_CHAPTERS.get(chapter, chapter)),
            "amount": data["amount"],
            "regional_amount": data.get("regional_amount") or 0,
        }


class FinancingSourceForm(_RowForm):
    name_field = "name"
    name = forms.CharField(label=_("Source"), max_length=200, required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=FinancingSource.Kind.choices)
    amount = AmountField(label=_("Amount (EUR)"), required=False)
    secured = forms.BooleanField(label=_("Secured"), required=False)

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("name") and data.get("amount") is None:
            self.add_error("amount", _("Give the amount of this source."))
        if data.get("amount") is not None and not data.get("name"):
            self.add_error("name", _("Name the source of this amount."))
        return data


BudgetLineFormSet = forms.formset_factory(BudgetLineForm, extra=0, max_num=200, absolute_max=200)
FinancingFormSet = forms.formset_factory(FinancingSourceForm, extra=0, max_num=50, absolute_max=50)


class RequestForm(VersionedForm):
    requested_amount = AmountField(
        label=_("Amount requested from this call (EUR)"),
        required=False,
        help_text=_("e.g. 150 000 or 35 000,50. Add it to the financing plan as “this call”."),
    )


def chapters_for(template_code: str) -> list[str]:
    return [chapter.code for chapter in TEMPLATES[template_code]]


class BudgetForm:
    """The budget step as one form: the requested amount (with the version and fingerprint the
    page was rendered from), the budget lines and the financing plan, validated together so that
    one error anywhere saves nothing and every typed value comes back.

    Unbound, it offers the saved rows (or the template's chapters, one line each, and a
    "this call" and an "own funds" source for a new draft) and blank rows to fill in below.
    """

    BLANK_LINES = 3
    BLANK_SOURCES = 2

    def __init__(
        self,
        data: Mapping[str, Any] | None = None,
        *,
        application: Application,
        template_code: str,
        base: str,
        extra_lines: int = 0,
    ) -> None:
        self.template_code = template_code
        chapters = chapters_for(template_code)
        lines = list(application.budget_lines.all())
        sources = list(application.financing.all())
        line_initial = [_line_initial(line) for line in lines] or [
            {"chapter": code} for code in chapters
        ]
        line_initial += [{"chapter": chapters[0]}] * (self.BLANK_LINES + extra_lines)
        source_initial = [_source_initial(source) for source in sources] or [
            {"kind": FinancingSource.Kind.THIS_CALL, "name": _("This call")},
            {"kind": FinancingSource.Kind.OWN_FUNDS},
        ]
        source_initial += [{"kind": FinancingSource.Kind.OWN_FUNDS}] * self.BLANK_SOURCES
        # Chapters of an older draft that the template no longer has stay choosable.
        chapters += [line.chapter for line in lines if line.chapter not in chapters]
        bound = data is not None
        self.request = RequestForm(
            data,
            initial={
                "requested_amount": amount_initial(application.requested_amount),
                "version": application.version,
                "base": base,
            },
        )
        self.lines = BudgetLineFormSet(
            data,
            prefix="lines",
            initial=None if bound else line_initial,
            form_kwargs={"chapters": chapters},
        )
        self.financing = FinancingFormSet(
            data, prefix="financing", initial=None if bound else source_initial
        )

    def is_valid(self) -> bool:
        # Not short-circuited: every part gets its error messages.
        return self.request.is_valid() & self.lines.is_valid() & self.financing.is_valid()

    def changes(self) -> dict[str, Any]:
        """The cleaned budget as ``save_budget`` takes it; blank rows are left out."""
        return {
            "requested_amount": self.request.cleaned_data["requested_amount"],
            "lines": [form.row() for form in self.lines if not form.is_blank()],
            "financing": [form.row() for form in self.financing if not form.is_blank()],
            **self.request.versions(),
        }


def _line_initial(line: BudgetLine) -> dict[str, Any]:
    return {
        "chapter": line.chapter,
        "label": line.label,
        "amount": amount_initial(line.amount),
        "regional_amount": amount_initial(line.regional_amount) if line.regional_amount else "",
    }


def _source_initial(source: FinancingSource) -> dict[str, Any]:
    return {
        "name": source.name,
        "kind": source.kind,
        "amount": amount_initial(source.amount),
        "secured": source.secured,
    }


class DocumentUploadForm(forms.Form):
    document_type = forms.ModelChoiceField(
        queryset=DocumentType.objects.all(), label=_("Kind of document")
    )
    file = forms.FileField(
        label=_("File"),
        help_text=_("PDF, PNG, JPEG, Word (.docx), Excel (.xlsx), OpenDocument or plain text."),
    )

    def __init__(
        self, *args: Any, document_types: QuerySet[DocumentType] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        if document_types is not None:
            _model_choices(self, "document_type", document_types)


class WithdrawForm(forms.Form):
    reason = text_area(_("Reason (optional)"), rows=4, required=False, max_length=2000)
    confirm = forms.BooleanField(
        label=_("I understand that a withdrawn application cannot be submitted again."),
        required=True,
    )


# --- Extra questions ----------------------------------------------------------------------------

YES_NO = [("yes", _("Yes")), ("no", _("No"))]
#: One question of the questions form: (question, its bound field, rows of bound fields).
Entry = tuple[Question, forms.BoundField | None, list[list[forms.BoundField]] | None]
GROUP_ROWS_EXTRA = 1
GROUP_ROWS_MAX = 30


def _choices(question: Question) -> list[tuple[str, str]]:
    choices = []
    for choice in question.choices or []:
        if not isinstance(choice, dict):
            continue
        value = str(choice.get("value", ""))
        labels = {
            f"label_{code}": str(choice.get(f"label_{code}", "")) for code in ("fr", "en", "nl")
        }
        choices.append((value, localized(SimpleNamespace(**labels), "label") or value))
    return choices


def field_for(question: Question, documents: Iterable[Document]) -> forms.Field:
    """The form field of one (non-group) question; required is enforced at submission."""
    common: dict[str, Any] = {
        "label": question.label,
        "help_text": question.help,
        "required": False,
    }
    kind = question.kind
    if kind == Question.Kind.TEXT:
        limit = question.max_length or 10000
        widget = forms.Textarea(attrs={"rows": 5}) if limit > 300 else forms.TextInput()
        return forms.CharField(max_length=limit, widget=widget, **common)
    if kind == Question.Kind.NUMBER:
        return forms.DecimalField(max_digits=15, decimal_places=4, **common)
    if kind == Question.Kind.MONEY:
        return AmountField(**common)
    if kind == Question.Kind.DATE:
        return forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), **common)
    if kind == Question.Kind.CHOICE:
        return forms.ChoiceField(choices=_choices(question), widget=forms.RadioSelect, **common)
    if kind == Question.Kind.MULTIPLE_CHOICE:
        return forms.MultipleChoiceField(
            choices=_choices(question), widget=forms.CheckboxSelectMultiple, **common
        )
    if kind == Question.Kind.YES_NO:
        return forms.ChoiceField(choices=YES_NO, widget=forms.RadioSelect, **common)
    if kind == Question.Kind.URL:
        return forms.URLField(max_length=500, assume_scheme="https", **common)
    if kind == Question.Kind.FILE:
        return forms.ChoiceField(
            choices=[("", _("— none —"))]
            + [(str(d.pk), f"{d.original_name} ({d.document_type.label})") for d in documents],
            **{**common, "help_text": question.help or _("Upload it in the Documents step first.")},
        )
    raise ValueError(f"no field for {kind}")


def to_json(question: Question, value: Any) -> Any:
    """A cleaned value as the JSON stored in ``Answer.value``."""
    if value in (None, "", []):
        return None
    if question.kind == Question.Kind.YES_NO:
        return value == "yes"
    if question.kind in (Question.Kind.NUMBER, Question.Kind.MONEY):
        return str(value)
    if question.kind == Question.Kind.DATE:
        return value.isoformat()
    if question.kind == Question.Kind.FILE:
        return int(value)
    return value


def from_json(question: Question, value: Any) -> Any:
    """A stored answer as the field's initial value."""
    if value is None:
        return None
    if question.kind == Question.Kind.YES_NO:
        return "yes" if value else "no"
    if question.kind == Question.Kind.MONEY:
        return amount_initial(value)
    if question.kind == Question.Kind.FILE:
        return str(value)
    return value


class QuestionsForm(VersionedForm):
    """The call's extra questions, built from its ``Question`` rows.

    A repeatable group is a list of rows, each row one field per child question, named
    ``<group>-<row>-<child>``; one empty row more than saved is offered, and "Add a row" offers
    another. Conditional questions are always rendered (the static script hides those whose
    condition does not hold); their answers are discarded on the server when the condition
    does not hold, so a hidden answer never counts.
    """

    def __init__(
        self,
        *args: Any,
        questions: Iterable[Question],
        answers: Mapping[str, Any],
        documents: Iterable[Document] = (),
        extra_rows: Mapping[str, int] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        questions = list(questions)  # read twice below
        self.questions = [q for q in questions if q.group_id is None]
        self.children: dict[int, list[Question]] = {}
        for question in questions:
            if question.group_id is not None:
                self.children.setdefault(question.group_id, []).append(question)
        self.group_rows: dict[str, int] = {}
        extra_rows = extra_rows or {}
        for question in self.questions:
            if question.kind == Question.Kind.GROUP:
                saved = answers.get(question.code) or []
                rows = len(saved) if isinstance(saved, list) else 0
                if self.is_bound:
                    rows = max(rows, self._posted_rows(question.code))
                rows = min(
                    rows + GROUP_ROWS_EXTRA + extra_rows.get(question.code, 0), GROUP_ROWS_MAX
                )
                self.group_rows[question.code] = rows
                for row in range(rows):
                    for child in self.children.get(question.pk, []):
                        name = f"{question.code}-{row}-{child.code}"
                        field = field_for(child, documents)
                        field.label = child.label
                        self.fields[name] = field
                        values = saved[row] if isinstance(saved, list) and row < len(saved) else {}
                        self.initial[name] = from_json(child, (values or {}).get(child.code))
            else:
                self.fields[question.code] = field_for(question, documents)
                self.initial[question.code] = from_json(question, answers.get(question.code))

    def _posted_rows(self, code: str) -> int:
        prefix = f"{code}-"
        rows = -1
        for key in self.data:
            if key.startswith(prefix):
                middle = key[len(prefix) :].split("-", 1)[0]
                if middle.isdigit():
                    rows = max(rows, int(middle))
        return min(rows + 1, GROUP_ROWS_MAX)

    def sections(self) -> list[tuple[str, list[Entry]]]:
        """[(section title, [(question, bound field, rows)])] in order, for the template: a
        group has rows of bound fields and no field, any other question a field and no rows."""
        result: list[tuple[str, list[Entry]]] = []
        for question in self.questions:
            if question.kind == Question.Kind.GROUP:
                rows = [
                    [
                        self[f"{question.code}-{row}-{child.code}"]
                        for child in self.children.get(question.pk, [])
                    ]
                    for row in range(self.group_rows.get(question.code, 0))
                ]
                entry: Entry = (question, None, rows)
            else:
                entry = (question, self[question.code], None)
            if not result or result[-1][0] != question.section:
                result.append((question.section, []))
            result[-1][1].append(entry)
        return result

    def changes(self) -> dict[str, Any]:
        """The cleaned answers as ``save_answers`` takes them."""
        return {"answers": self.answers(), **self.versions()}

    def answers(self) -> dict[str, Any]:
        """Cleaned answers (code → JSON value), conditions applied, blank rows dropped."""
        data = self.cleaned_data
        values: dict[str, Any] = {}
        for question in self.questions:
            if question.kind == Question.Kind.GROUP:
                rows = []
                for row in range(self.group_rows.get(question.code, 0)):
                    item: dict[str, Any] = {}
                    for child in self.children.get(question.pk, []):
                        value = to_json(child, data.get(f"{question.code}-{row}-{child.code}"))
                        if value is not None:
                            item[child.code] = value
                    if item:
                        rows.append(item)
                values[question.code] = rows or None
            else:
                values[question.code] = to_json(question, data.get(question.code))
        # Conditions, in order: a question hidden by its condition has no answer.
        for question in self.questions:
            if not condition_holds(question, values):
                values[question.code] = None
        return {code: value for code, value in values.items() if value is not None}


def documents_for_questions(application: Application) -> QuerySet[Document]:
    return Document.objects.filter(application=application).select_related("document_type")
