"""Forms of the pairs of a call: choose an expert and an application (the staff's conflicts and
assignment pages), start a run, add or swap a pair, answer an assignment; and the filters of the
staff's paged lists of pairs (the proposal and the reviews dashboard)."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.forms.utils import flatatt
from django.http import QueryDict
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from .models import CONFLICT_KINDS, DEFAULT_REVIEWS, MAX_CHURN, MAX_REVIEWS, AssignmentMode
from .selectors import expert_name
from .selectors_assignment import ORDER_REFERENCE, ORDER_WORST, ProposalFilters


class PairChoiceForm(forms.Form):
    """One expert and one application, chosen among those the page offers."""

    expert = forms.TypedChoiceField(label=_("Expert"), coerce=int)
    application = forms.TypedChoiceField(label=_("Application"), coerce=int)

    def __init__(
        self, *args: Any, experts: list[Any], applications: list[Any], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self._experts = experts
        self._applications = applications
        cast(forms.ChoiceField, self.fields["expert"]).choices = [("", "—")] + [
            (e.pk, expert_name(e.user, e.email)) for e in experts
        ]
        cast(forms.ChoiceField, self.fields["application"]).choices = [("", "—")] + [
            (a.pk, f"{a.reference} — {a.title}") for a in applications
        ]

    def chosen_pair(self) -> tuple[Any, Any]:
        """The expert and the application chosen (once the form is valid)."""
        expert = next(e for e in self._experts if e.pk == self.cleaned_data["expert"])
        application = next(
            a for a in self._applications if a.pk == self.cleaned_data["application"]
        )
        return expert, application


class StaffConflictForm(PairChoiceForm):
    kind = forms.ChoiceField(label=_("Type of conflict"), choices=[("", "—"), *CONFLICT_KINDS])
    reason = forms.CharField(
        label=_("Reason (kept in the audit log)"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class StartRunForm(forms.Form):
    mode = forms.ChoiceField(
        label=_("Mode"),
        choices=AssignmentMode.choices,
        initial=AssignmentMode.OPTIMAL,
        widget=forms.RadioSelect,
    )
    reviews = forms.IntegerField(
        label=_("Reviews per application"),
        min_value=1,
        max_value=MAX_REVIEWS,
        initial=DEFAULT_REVIEWS,
    )
    churn_penalty = forms.FloatField(
        label=_("Cost of each change to the current proposal"),
        help_text=_(
            "In affinity points, from 0 (choose afresh) to 1 (keep every proposed pair that "
            "can be kept). Published and locked pairs are always kept."
        ),
        min_value=0.0,
        max_value=MAX_CHURN,
        initial=0.0,
        required=False,
    )


class QuickSelect(forms.Select):
    """A select whose options are written in one go: a pool has hundreds of experts, and one
    template per option (Django's way) costs more than the rest of the page."""

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        chosen = "" if value is None else str(value)
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (key, mark_safe(" selected") if str(key) == chosen else "", label)
                for key, label in self.choices
            ),
        )
        return format_html(
            '<select name="{}"{}>{}</select>',
            name,
            flatatt(self.build_attrs(self.attrs, attrs)),
            options,
        )


class AddPairForm(PairChoiceForm):
    """The choices are the page's applications and the pool's active experts (``offer``); a
    posted pair is checked against the call by the view, which passes the posted ones."""

    field_order = ["application", "expert"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["application"].help_text = _(
            "The applications of the page shown: search or turn the pages to reach another."
        )
        for name in ("application", "expert"):
            self.fields[name].widget = QuickSelect(choices=self.fields[name].widget.choices)

    def offer(self, *, experts: list[tuple[int, str]], applications: list[Any]) -> None:
        """Offer these choices (the page's), keeping a posted choice that is not among them."""
        for name, choices in (
            ("expert", experts),
            ("application", [(a.pk, f"{a.reference} — {a.title}") for a in applications]),
        ):
            field = cast(forms.ChoiceField, self.fields[name])
            offered = {key for key, _label in choices}
            posted = cast(list[tuple[Any, str]], field.choices)
            kept = [(k, v) for k, v in posted if k != "" and k not in offered]
            field.choices = [("", "—"), *kept, *choices]
            self.fields[name].widget.choices = field.choices


class SwapPairForm(forms.Form):
    """The expert who replaces a pair's expert: one select for the whole page (each pair's
    "Swap" button posts it to that pair's address), offered the pool's active experts."""

    expert = forms.TypedChoiceField(label=_("Expert who replaces a pair's expert"), coerce=int)

    def __init__(self, *args: Any, experts: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ChoiceField, self.fields["expert"])
        field.choices = [("", "—"), *experts]
        field.widget = QuickSelect(choices=field.choices)
        field.help_text = _(
            "Choose the expert here, then press “Swap” on the pair to replace: a proposed, "
            "unlocked pair only."
        )


class ListFilterForm(forms.Form):
    """A search and "only the incomplete ones" over a paged list (read from the query string;
    anything invalid is ignored rather than refused)."""

    q = forms.CharField(label=_("Search"), max_length=100, required=False)
    missing = forms.BooleanField(required=False)

    def value(self, name: str, default: Any) -> Any:
        if not self.is_valid():
            return default
        return self.cleaned_data.get(name) or default


class ProposalFilterForm(ListFilterForm):
    order = forms.ChoiceField(
        label=_("Order"),
        choices=[
            (ORDER_WORST, _("The worst served first")),
            (ORDER_REFERENCE, _("By reference")),
        ],
        required=False,
    )
    field_order = ["q", "missing", "order"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["q"].help_text = _("A reference, a title or an expert's name.")
        self.fields["missing"].label = _("Only the applications missing a reviewer")

    def filters(self) -> ProposalFilters:
        return ProposalFilters(
            q=self.value("q", "").strip(),
            missing_only=bool(self.value("missing", False)),
            order=self.value("order", ORDER_WORST),
        )


class DashboardFilterForm(ListFilterForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["q"].help_text = _("A reference, a title or an expert's name.")
        self.fields["missing"].label = _("Only the reviews still missing")


class AnswerForm(forms.Form):
    answer = forms.ChoiceField(
        label=_("Your answer"),
        choices=[("accept", _("I accept to review it")), ("decline", _("I decline"))],
        widget=forms.RadioSelect,
    )
    conflict_kind = forms.ChoiceField(
        label=_("Declining because of a conflict of interest? Its type"),
        choices=[("", _("No conflict")), *CONFLICT_KINDS],
        required=False,
    )
    reason = forms.CharField(
        label=_("Reason (required with a conflict)"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


# --- Paged lists: their links keep the filters, their forms come back to the same page ---------

#: The query string's keys of the staff's paged lists: filters and page numbers.
LIST_KEYS = ("q", "missing", "order", "page", "experts_page")


def list_query(data: QueryDict) -> QueryDict:
    """The known keys of a query string (the page's filters and pages), nothing else."""
    kept = QueryDict(mutable=True)
    for key in LIST_KEYS:
        value = data.get(key, "")
        if value:
            kept[key] = value[:100]
    return kept


def back_url(name: str, call: Any, data: QueryDict, anchor: str = "") -> str:
    """The address of a staff list of ``call`` on the page and with the filters a form was
    posted from (its ``back`` field; only the known keys: never an address from the form)."""
    query = list_query(QueryDict(data.get("back", "")))
    url = reverse(name, args=[call.slug])
    return url + (f"?{query.urlencode()}" if query else "") + anchor
