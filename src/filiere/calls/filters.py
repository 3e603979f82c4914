"""The staff list's filter form: query-string parameters → ``ApplicationFilters``.

The same parameters serve the HTML list, the exports, saved filters and the staff API, so a
saved filter is just the query string. Bad values are reported and ignored, never a 500.
"""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from filiere.community.models import Territory

from .models import Call, Genre, Label, State
from .selectors_staff import SORTS, ApplicationFilters

#: The parameters that make a filter (what a saved filter stores).
FILTER_FIELDS = (
    "status",
    "genre",
    "territory",
    "organisation",
    "min_amount",
    "max_amount",
    "missing_documents",
    "label",
    "q",
    "sort",
)

SORT_CHOICES = [
    ("reference", _("Reference")),
    ("-reference", _("Reference (descending)")),
    ("title", _("Title")),
    ("amount", _("Requested amount (smallest first)")),
    ("-amount", _("Requested amount (largest first)")),
    ("submitted_at", _("Submitted (oldest first)")),
    ("-submitted_at", _("Submitted (newest first)")),
    ("status", _("Status")),
]


class ApplicationFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        help_text=_("Reference, title or organisation"),
    )
    status = forms.MultipleChoiceField(
        label=_("Status"), required=False, choices=State.choices, widget=forms.SelectMultiple
    )
    genre = forms.ModelChoiceField(label=_("Genre"), required=False, queryset=Genre.objects.none())
    territory = forms.ModelChoiceField(
        label=_("Territory of the applicant"),
        required=False,
        queryset=Territory.objects.order_by("sort_order", "code"),
        to_field_name="code",
    )
    organisation = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    min_amount = forms.DecimalField(
        label=_("Amount from (EUR)"), required=False, min_value=0, max_digits=12, decimal_places=2
    )
    max_amount = forms.DecimalField(
        label=_("Amount up to (EUR)"), required=False, min_value=0, max_digits=12, decimal_places=2
    )
    missing_documents = forms.TypedChoiceField(
        label=_("Documents"),
        required=False,
        choices=[("", _("All")), ("yes", _("Missing documents")), ("no", _("Complete"))],
        coerce=lambda value: {"yes": True, "no": False}.get(value),
        empty_value=None,
    )
    label = forms.ModelChoiceField(label=_("Label"), required=False, queryset=Label.objects.none())
    sort = forms.ChoiceField(label=_("Sort by"), required=False, choices=SORT_CHOICES)

    def __init__(self, data: QueryDict | None = None, *, call: Call | None, **kwargs: Any) -> None:
        """``call=None``: the filters across every call (the staff API without ``call=``)."""
        super().__init__(data, **kwargs)
        self.call = call
        genre = cast(forms.ModelChoiceField, self.fields["genre"])
        if call is not None:
            genre.queryset = call.genres.all()
            label = cast(forms.ModelChoiceField, self.fields["label"])
            label.queryset = Label.objects.filter(call=call).order_by("name")
        else:
            genre.queryset = Genre.objects.all()

    def filters(self) -> ApplicationFilters:
        """The valid part of the filters (invalid fields are ignored and reported)."""
        if not self.is_bound:
            return ApplicationFilters()
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        sort = data.get("sort") or "reference"
        descending = sort.startswith("-")
        sort = sort.lstrip("-")
        genre, label, territory = data.get("genre"), data.get("label"), data.get("territory")
        return ApplicationFilters(
            states=tuple(data.get("status") or ()),
            genre_id=genre.pk if genre else None,
            territory=territory.code if territory else "",
            organisation_id=data.get("organisation"),
            min_amount=data.get("min_amount"),
            max_amount=data.get("max_amount"),
            missing_documents=data.get("missing_documents"),
            label_id=label.pk if label else None,
            text=data.get("q") or "",
            sort=sort if sort in SORTS else "reference",
            descending=descending,
        )


def filter_querystring(query_dict: QueryDict) -> str:
    """The filter part of a query string (no page, no action): what a saved filter keeps."""
    kept = query_dict.copy()
    for key in list(kept.keys()):
        if key not in FILTER_FIELDS or not any(kept.getlist(key)):
            del kept[key]
    return kept.urlencode()
