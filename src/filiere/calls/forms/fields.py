"""Field builders the calls forms share."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django import forms

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def text_area(
    label: StrOrPromise,
    *,
    rows: int,
    max_length: int | None = None,
    required: bool = True,
    help_text: StrOrPromise = "",
) -> forms.CharField:
    """A text of several lines, ``rows`` high."""
    return forms.CharField(
        label=label,
        max_length=max_length,
        required=required,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
    )
