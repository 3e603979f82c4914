"""Forms of the instruction pages (staff): decisions, corrections, messages, notes, labels,
bulk actions and saved filters. Forms validate input; services decide and record."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any, cast

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from filiere.engine import workflow

from ..models import Call, Label
from ..services.documents import UploadError, check_attachment
from ..services.transitions import transition_label
from .fields import text_area


def clean_attachment(upload: UploadedFile | None) -> UploadedFile | None:
    """The checks of a document (name, size, content, the extension agreeing with the content),
    for PDF, PNG and JPEG; the service checks again before storing."""
    if not upload:
        return None
    try:
        check_attachment(upload)
    except UploadError as error:
        raise forms.ValidationError(error.message, code=error.code) from None
    upload.seek(0)
    return upload


class _OwnIds:
    """The application's staff page shows several of these forms: each one's field ids start
    with its own name, so that no two fields share an id (and each label reaches its field)."""

    id_name = ""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", f"id_{self.id_name}_%s")
        super().__init__(*args, **kwargs)


class DecisionForm(_OwnIds, forms.Form):
    """Eligible, or ineligible with a reason sent to the applicant."""

    id_name = "decision"

    DECISIONS = [
        ("declare_eligible", _("Eligible")),
        ("declare_ineligible", _("Ineligible")),
    ]
    decision = forms.ChoiceField(label=_("Decision"), choices=DECISIONS, widget=forms.RadioSelect)
    reason = text_area(
        _("Reason (sent to the applicant)"),
        rows=4,
        required=False,
        max_length=5000,
        help_text=_("Required for an ineligible decision."),
    )

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        code = data.get("decision")
        reason = (data.get("reason") or "").strip()
        if code and workflow.TRANSITIONS_BY_CODE[code].reason_required and not reason:
            self.add_error(
                "reason", _("Give the reason: the applicant will receive it with the decision.")
            )
        return data


class CorrectionForm(_OwnIds, forms.Form):
    id_name = "correction"
    items = text_area(_("Items to correct (one per line)"), rows=5, max_length=5000)
    until = forms.DateTimeField(
        label=_("Open for corrections until (Paris time)"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"],
    )
    message = text_area(_("Message to the applicant"), rows=4, max_length=5000, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            # Two working days, as VAF gives for small omissions (docs/domain.md, Calls), at noon.
            noon = timezone.localtime().replace(hour=12, minute=0, second=0, microsecond=0)
            self.initial.setdefault("until", noon + timedelta(days=2))

    def clean_items(self) -> list[str]:
        items = [line.strip(" -•\t") for line in self.cleaned_data["items"].splitlines()]
        items = [item for item in items if item]
        if not items:
            raise forms.ValidationError(_("List at least one item to correct."))
        return items

    def clean_until(self) -> datetime:
        until = self.cleaned_data["until"]
        if until <= timezone.now():
            raise forms.ValidationError(_("Choose a date in the future."))
        return until


class MessageForm(_OwnIds, forms.Form):
    id_name = "message"
    body = text_area(_("Message"), rows=5, max_length=10000)
    attachment = forms.FileField(
        label=_("Attachment (PDF, PNG or JPEG, optional)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.png,.jpg,.jpeg"}),
    )

    def clean_attachment(self) -> UploadedFile | None:
        return clean_attachment(self.cleaned_data.get("attachment"))


class NoteForm(_OwnIds, forms.Form):
    id_name = "note"
    body = text_area(_("Private note (staff only)"), rows=3, max_length=10000)


class LabelForm(forms.Form):
    name = forms.CharField(label=_("Add a label"), max_length=60)

    def clean_name(self) -> str:
        return " ".join(self.cleaned_data["name"].split())


class TransitionForm(_OwnIds, forms.Form):
    """Any other transition the staff member may fire, with its reason when needed."""

    id_name = "transition"

    code = forms.ChoiceField(label=_("Action"))
    reason = text_area(_("Reason"), rows=3, required=False, max_length=5000)

    def __init__(
        self, *args: Any, transitions: Iterable[workflow.Transition] = (), **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["code"]).choices = [
            (t.code, transition_label(t.code)) for t in transitions
        ]


class BulkActionForm(forms.Form):
    ACTIONS = [
        ("declare_eligible", _("Mark eligible")),
        ("declare_ineligible", _("Mark ineligible")),
        ("message", _("Send a message")),
        ("export_csv", _("Export the selection (CSV)")),
        ("export_xlsx", _("Export the selection (XLSX)")),
    ]
    action = forms.ChoiceField(label=_("With the selected applications"), choices=ACTIONS)
    applications = forms.TypedMultipleChoiceField(
        label=_("Applications"), coerce=int, widget=forms.MultipleHiddenInput
    )
    reason = text_area(
        _("Reason (for an ineligible decision; sent to each applicant)"),
        rows=3,
        required=False,
        max_length=5000,
    )
    body = text_area(_("Message (for “Send a message”)"), rows=3, required=False, max_length=10000)

    def __init__(self, *args: Any, application_ids: Iterable[int] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["applications"]).choices = [
            (pk, pk) for pk in application_ids
        ]

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        action = data.get("action")
        if action == "declare_ineligible" and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Give one reason for all: each applicant will receive it."))
        if action == "message" and not (data.get("body") or "").strip():
            self.add_error("body", _("Write the message to send."))
        return data


class SavedFilterForm(forms.Form):
    name = forms.CharField(label=_("Save these filters as"), max_length=80)


def label_choices(call: Call) -> list[tuple[int, str]]:
    return list(Label.objects.filter(call=call).order_by("name").values_list("pk", "name"))
