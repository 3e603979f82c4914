"""The directory's search, read from the query string (``?q=…&skill=a&skill=b&territory=…``).

A value that names nothing, too many values, or a query too long is reported on the page and
left out of the search: the rest of the search still runs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .selectors_directory import (
    MAX_QUERY_LENGTH,
    ORGANISATION_FACETS,
    PEOPLE_FACETS,
    DirectorySearch,
    known_values,
)

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

#: Values one facet accepts at once.
MAX_FACET_VALUES = 20


class FacetField(forms.Field):
    """The values ticked in one facet (the same parameter repeated), each checked to exist."""

    widget = forms.MultipleHiddenInput

    def __init__(self, facet: str, label: StrOrPromise) -> None:
        super().__init__(required=False, label=label)
        self.facet = facet

    def to_python(self, value: Any) -> tuple[str, ...]:
        values = value if isinstance(value, list | tuple) else [value] if value else []
        return tuple(dict.fromkeys(str(v).strip() for v in values if str(v).strip()))

    def validate(self, value: tuple[str, ...]) -> None:
        if len(value) > MAX_FACET_VALUES:
            raise forms.ValidationError(
                ngettext(
                    "Choose at most %(count)d value.",
                    "Choose at most %(count)d values.",
                    MAX_FACET_VALUES,
                )
                % {"count": MAX_FACET_VALUES}
            )
        if value and set(value) - known_values(self.facet, value):
            raise forms.ValidationError(_("This choice is unknown; the filter was ignored."))


class _SearchForm(forms.Form):
    facet_names: tuple[str, ...] = ()
    facet_labels: dict[str, StrOrPromise] = {}

    q = forms.CharField(
        label=_("Search"),
        max_length=MAX_QUERY_LENGTH,
        required=False,
        widget=forms.TextInput(attrs={"type": "search"}),
        error_messages={"max_length": _("Search with at most %(limit_value)d characters.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in self.facet_names:
            self.fields[name] = FacetField(name, self.facet_labels[name])

    def search(self) -> DirectorySearch:
        """The valid part of the search (a field in error is left out)."""
        if not self.is_bound:
            return DirectorySearch()
        self.is_valid()
        data = self.cleaned_data
        chosen = {name: data[name] for name in self.facet_names if data.get(name)}
        return DirectorySearch(q=data.get("q", ""), chosen=chosen)


class PeopleSearchForm(_SearchForm):
    facet_names = PEOPLE_FACETS
    facet_labels = {
        "skill": _("Skills"),
        "profession": _("Profession"),
        "sector": _("Sector"),
        "territory": _("Territory"),
        "organisation_kind": _("Works in"),
        "language": _("Languages spoken"),
        "availability": _("Availability"),
    }


class OrganisationSearchForm(_SearchForm):
    facet_names = ORGANISATION_FACETS
    facet_labels = {
        "skill": _("Skills"),
        "sector": _("Sector"),
        "territory": _("Territory"),
        "kind": _("Kind"),
    }
