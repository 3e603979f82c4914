"""Forms of the envelope simulator: the rules of a scenario (envelope, objective, quotas, cap per
organisation, minimum score, partial awards, co-funders, applications forced in or out) and the
"what if" of a result (another envelope, other applications forced in or out).

:class:`Simulation` gathers the main form, the applications forced in or out and the two
formsets (quotas, co-funders); its ``rules()`` is the scenario's JSON (``models.Scenario.rules``).
Every bad input is a message on its field: a quota without a group or without a bound, a minimum
above its maximum, a co-funder without an envelope or with projects of two kinds, co-funders
above the envelope, an application forced both in and out.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from filiere.ui.params import as_id

from .models import Scenario
from .phrases_simulator import FIELDS as FIELD_LABELS
from .phrases_simulator import OBJECTIVES
from .selectors_simulator import FIELDS, Agenda

MONEY: dict[str, Any] = {"max_digits": 12, "decimal_places": 2, "min_value": Decimal("0")}
QUOTA_ROWS = 3
COFUNDER_ROWS = 2


def _groups(agenda: Agenda) -> list[tuple[str, list[tuple[str, str]]]]:
    """The genres and territories of the agenda, as ``genre=code`` choices in two groups."""
    return [
        (
            str(FIELD_LABELS[field]).capitalize(),
            [(f"{field}={code}", label) for code, label in agenda.choices(field)],
        )
        for field in FIELDS
    ]


def _applications(agenda: Agenda) -> list[tuple[int, str]]:
    return [
        (row.application_id, f"{row.reference} — {row.title}")
        for row in agenda.rows
        if row.candidate
    ]


class SimulatorForm(forms.Form):
    envelope = forms.DecimalField(label=_("Envelope (EUR)"), **MONEY)
    objective = forms.ChoiceField(
        label=_("Objective"),
        choices=list(OBJECTIVES.items()),
        initial="merit",
        widget=forms.RadioSelect,
    )
    max_per_organisation = forms.IntegerField(
        label=_("At most this many grants per organisation"),
        required=False,
        min_value=1,
        help_text=_("Leave empty for no cap."),
    )
    min_score = forms.DecimalField(
        label=_("Minimum calibrated score (0 to 100)"),
        required=False,
        min_value=Decimal("0"),
        max_value=Decimal("100"),
        decimal_places=2,
        help_text=_("Applications below it are not funded unless forced in."),
    )
    partial_awards = forms.BooleanField(
        label=_("Allow partial awards (less than the amount requested)"), required=False
    )
    partial_floor = forms.IntegerField(
        label=_("Smallest partial award, in % of the request"),
        min_value=0,
        max_value=100,
        initial=50,
    )


class ForcedForm(forms.Form):
    """Applications forced in or out. The page draws its boxes itself, one row per candidate
    (Django's widgets cost a template per option: too slow for 1,200 applications)."""

    forced_in = forms.TypedMultipleChoiceField(
        label=_("Force in (fund whatever the rules say)"), coerce=int, required=False
    )
    forced_out = forms.TypedMultipleChoiceField(
        label=_("Force out (never fund)"), coerce=int, required=False
    )

    def __init__(self, *args: Any, agenda: Agenda, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("forced_in", "forced_out"):
            cast(forms.ChoiceField, self.fields[name]).choices = _applications(agenda)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        both = set(data.get("forced_in") or ()) & set(data.get("forced_out") or ())
        if both:
            self.add_error("forced_out", _("An application cannot be forced both in and out."))
        return data

    def checked(self, name: str) -> set[int]:
        """The applications ticked (as posted, or as prefilled)."""
        ids = (as_id(str(v)) for v in self[name].value() or ())
        return {i for i in ids if i is not None}


class QuotaForm(forms.Form):
    group = forms.ChoiceField(label=_("Projects of"), required=False)
    min_count = forms.IntegerField(label=_("At least (projects)"), required=False, min_value=0)
    max_count = forms.IntegerField(label=_("At most (projects)"), required=False, min_value=0)
    min_amount = forms.DecimalField(label=_("At least (EUR)"), required=False, **MONEY)
    max_amount = forms.DecimalField(label=_("At most (EUR)"), required=False, **MONEY)

    BOUNDS = ("min_count", "max_count", "min_amount", "max_amount")

    def __init__(self, *args: Any, agenda: Agenda, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["group"]).choices = [("", "—"), *_groups(agenda)]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        bounds = [name for name in self.BOUNDS if data.get(name) is not None]
        if data.get("group") and not bounds:
            self.add_error("min_count", _("Give at least one minimum or maximum for this quota."))
        if bounds and not data.get("group"):
            self.add_error("group", _("Choose the genre or territory this quota is about."))
        for low, high in (("min_count", "max_count"), ("min_amount", "max_amount")):
            if data.get(low) is not None and data.get(high) is not None and data[low] > data[high]:
                self.add_error(high, _("The maximum must not be below the minimum."))
        return data

    def as_rule(self) -> dict[str, Any] | None:
        data = self.cleaned_data
        if not data.get("group"):
            return None
        field, _sep, value = data["group"].partition("=")
        rule: dict[str, Any] = {"field": field, "value": value}
        for name in self.BOUNDS:
            number = data.get(name)
            if number is not None:
                rule[name] = int(number) if name.endswith("count") else float(number)
        return rule


class CoFunderForm(forms.Form):
    name = forms.CharField(label=_("Co-funder"), max_length=100, required=False)
    envelope = forms.DecimalField(label=_("Its envelope (EUR)"), required=False, **MONEY)
    eligible = forms.MultipleChoiceField(
        label=_("Only for projects of"),
        required=False,
        help_text=_("Genres or territories (one kind)."),
    )

    def __init__(self, *args: Any, agenda: Agenda, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["eligible"]).choices = _groups(agenda)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        given = [name for name in ("name", "envelope", "eligible") if data.get(name)]
        if given:
            if not data.get("name"):
                self.add_error("name", _("Name the co-funder."))
            if data.get("envelope") is None:
                self.add_error("envelope", _("Give the co-funder's envelope."))
            if not data.get("eligible"):
                self.add_error("eligible", _("Choose the projects the co-funder may pay for."))
        kinds = {choice.partition("=")[0] for choice in data.get("eligible") or ()}
        if len(kinds) > 1:
            self.add_error("eligible", _("Choose genres or territories, not both."))
        return data

    def as_rule(self) -> dict[str, Any] | None:
        data = self.cleaned_data
        if not data.get("name"):
            return None
        pairs = [choice.partition("=") for choice in data["eligible"]]
        return {
            "name": data["name"],
            "envelope": float(data["envelope"]),
            "field": pairs[0][0],
            "values": sorted(value for _field, _sep, value in pairs),
        }


QuotaFormSet = forms.formset_factory(QuotaForm, extra=QUOTA_ROWS, max_num=20, validate_max=True)
CoFunderFormSet = forms.formset_factory(
    CoFunderForm, extra=COFUNDER_ROWS, max_num=10, validate_max=True
)


def _initial(scenario: Scenario | None, envelope: Decimal) -> dict[str, Any]:
    if scenario is None:
        return {"envelope": envelope, "objective": "merit", "partial_floor": 50}
    rules = scenario.rules or {}
    return {
        "envelope": scenario.envelope,
        "objective": rules.get("objective", "merit"),
        "max_per_organisation": rules.get("max_per_organisation"),
        "min_score": rules.get("min_score"),
        "partial_awards": rules.get("partial_awards", False),
        "partial_floor": round(float(rules.get("partial_floor", 0.5)) * 100),
        "forced_in": list(scenario.forced_in or ()),
        "forced_out": list(scenario.forced_out or ()),
    }


class Simulation:
    """The simulator's form and its quotas and co-funders formsets, read and checked together.
    ``start`` prefills them from a scenario (what if: change and run again)."""

    def __init__(
        self,
        data: Any = None,
        *,
        agenda: Agenda,
        envelope: Decimal,
        start: Scenario | None = None,
    ) -> None:
        rules = (start.rules or {}) if start else {}
        self.candidates = [row for row in agenda.rows if row.candidate]
        initial = _initial(start, envelope)
        self.form = SimulatorForm(data, initial=initial)
        self.forced = ForcedForm(data, agenda=agenda, initial=initial)
        self.quotas = QuotaFormSet(
            data,
            prefix="quota",
            form_kwargs={"agenda": agenda},
            initial=[
                {"group": f"{q['field']}={q['value']}", **{b: q.get(b) for b in QuotaForm.BOUNDS}}
                for q in rules.get("quotas") or ()
            ],
        )
        self.cofunders = CoFunderFormSet(
            data,
            prefix="cofunder",
            form_kwargs={"agenda": agenda},
            initial=[
                {
                    "name": c["name"],
                    "envelope": c["envelope"],
                    "eligible": [f"{c['field']}={v}" for v in c["values"]],
                }
                for c in rules.get("cofunders") or ()
            ],
        )

    def is_valid(self) -> bool:
        valid = [
            self.form.is_valid(),
            self.forced.is_valid(),
            self.quotas.is_valid(),
            self.cofunders.is_valid(),
        ]
        if not all(valid):
            return False
        shares = sum(rule["envelope"] for rule in self._cofunders())
        if shares > float(self.form.cleaned_data["envelope"]):
            self.form.add_error(
                "envelope",
                _("The co-funders' envelopes add up to more than the whole envelope."),
            )
            return False
        return True

    def add_error(self, field: str, message: str) -> None:
        """A service's refusal, on the field it names (forced applications included)."""
        form = self.forced if field in ForcedForm.base_fields else self.form
        form.add_error(field if field in form.fields else None, message)

    def _cofunders(self) -> list[dict[str, Any]]:
        return [r for f in self.cofunders.forms if (r := f.as_rule())]

    @property
    def envelope(self) -> Decimal:
        return Decimal(self.form.cleaned_data["envelope"])

    @property
    def forced_in(self) -> list[int]:
        return list(self.forced.cleaned_data.get("forced_in") or ())

    @property
    def forced_out(self) -> list[int]:
        return list(self.forced.cleaned_data.get("forced_out") or ())

    def rules(self) -> dict[str, Any]:
        """The scenario's rules as JSON (``models.Scenario.rules``)."""
        data = self.form.cleaned_data
        min_score = data.get("min_score")
        return {
            "objective": data["objective"],
            "quotas": [r for f in self.quotas.forms if (r := f.as_rule())],
            "max_per_organisation": data.get("max_per_organisation"),
            "min_score": float(min_score) if min_score is not None else None,
            "partial_awards": bool(data.get("partial_awards")),
            "partial_floor": data["partial_floor"] / 100,
            "cofunders": self._cofunders(),
        }


class WhatIfForm(ForcedForm):
    """A finished scenario run again with another envelope or other applications forced in or
    out (its other rules unchanged)."""

    envelope = forms.DecimalField(label=_("Envelope (EUR)"), **MONEY)
