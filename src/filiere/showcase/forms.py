"""The showcase's forms: the team's page, an image, the staff's answer."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Entry
from .services import MAX_LINKS


def links_text(links: list[dict[str, str]]) -> str:
    return "\n".join(f"{link['url']} {link.get('label', '')}".strip() for link in links)


def parse_links(text: str) -> list[dict[str, str]]:
    """One link a line: the address, then optionally a space and its label."""
    rows = []
    for line in text.splitlines():
        url, _space, label = line.strip().partition(" ")
        if url:
            rows.append({"url": url, "label": label.strip()})
    return rows


class EntryForm(forms.Form):
    title = forms.CharField(label=_("Public title"), max_length=200)
    summary = forms.CharField(
        label=_("Summary"),
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Plain text, shown as written (no formatting)."),
    )
    links = forms.CharField(
        label=_("Links"),
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "At most %(limit)s, one a line: the web address (https://...), then optionally a "
            "space and its label."
        )
        % {"limit": MAX_LINKS},
    )
    credit = forms.CharField(
        label=_("Credit line"),
        required=False,
        max_length=300,
        help_text=_("Who to credit for the images and the work, as you want it shown."),
    )

    @classmethod
    def for_entry(cls, entry: Entry | None, **kwargs: Any) -> EntryForm:
        if entry is None:
            return cls(**kwargs)
        initial = {
            "title": entry.title,
            "summary": entry.summary,
            "links": links_text(entry.links),
            "credit": entry.credit,
        }
        return cls(initial=initial, **kwargs)


class ImageForm(forms.Form):
    image = forms.FileField(
        label=_("Image"),
        help_text=_("PNG or JPEG; its metadata (camera, GPS position) is removed."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/png,image/jpeg"}),
    )
    alt = forms.CharField(
        label=_("Text alternative"),
        max_length=300,
        help_text=_("What the image shows, for people who cannot see it."),
    )


class ChangesForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(
        label=_("What should the team change?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class ApproveForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
