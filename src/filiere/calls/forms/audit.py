"""The audit log page's filters: query-string parameters → ``selectors_audit.AuditFilters``.

Bad values are reported and ignored, never a 500 (like the instruction list's filters).
"""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django import forms
from django.db.models import QuerySet
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..models import Call, Fund
from ..selectors_audit import AuditFilters, object_types


class AuditFilterForm(forms.Form):
    call: forms.ModelChoiceField[Call] = forms.ModelChoiceField(
        label=_("Call"),
        required=False,
        queryset=None,
        to_field_name="slug",
        empty_label=_("All my calls"),
    )
    application = forms.CharField(
        label=_("Application (reference)"),
        required=False,
        max_length=40,
        help_text=_("The application and its documents, messages and requests."),
    )
    object_type = forms.ChoiceField(label=_("Object type"), required=False)
    object_id = forms.CharField(label=_("Object id"), required=False, max_length=64)
    actor = forms.CharField(
        label=_("Who"), required=False, max_length=254, help_text=_("Part of an e-mail address")
    )
    action = forms.CharField(
        label=_("Action"),
        required=False,
        max_length=80,
        help_text=_("Part of the action, e.g. submitted or correction"),
    )
    since = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=_("Until (included)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(
        self,
        data: QueryDict | None = None,
        *,
        calls: QuerySet[Call],
        with_funds: bool,
        **kwargs: Any,
    ) -> None:
        super().__init__(data, **kwargs)
        cast(forms.ModelChoiceField, self.fields["call"]).queryset = calls
        models = dict(object_types())
        if with_funds:
            models[Fund._meta.label_lower] = Fund
        named = sorted(
            (
                (label, str(model._meta.verbose_name).capitalize())
                for label, model in models.items()
            ),
            key=lambda choice: choice[1],
        )
        cast(forms.ChoiceField, self.fields["object_type"]).choices = [("", _("All")), *named]

    def filters(self) -> AuditFilters:
        """The valid filters; invalid ones are left out (the page lists the errors)."""
        if not self.is_bound:
            return AuditFilters()
        self.is_valid()
        data = {name: value for name, value in self.cleaned_data.items() if name not in self.errors}
        return AuditFilters(
            call=data.get("call"),
            application=data.get("application") or "",
            object_type=data.get("object_type") or "",
            object_id=data.get("object_id") or "",
            actor=data.get("actor") or "",
            action=data.get("action") or "",
            since=_start_of(data.get("since")),
            before=_start_of(data["until"] + dt.timedelta(days=1)) if data.get("until") else None,
        )


def _start_of(day: dt.date | None) -> dt.datetime | None:
    """Midnight of ``day`` in the site's time zone (days are the staff's days, not UTC's)."""
    if day is None:
        return None
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))
