"""Sentences of the committee (see ``phrases.py``)."""

from __future__ import annotations

from django.utils.functional import Promise

REFUSALS: dict[str, Promise] = {}
