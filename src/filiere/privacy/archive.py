"""The export's ZIP: ``data.json`` (machine-readable, docs/privacy.md) and ``summary.html``
(the same data, readable in a browser, without scripts or outside resources)."""

from __future__ import annotations

import io
import json
import zipfile
from typing import Any

from django.utils.html import escape
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

#: The longest data.json an export may have (bytes): the demo's fullest account has a few KB.
MAX_EXPORT_BYTES = 20 * 1024 * 1024

SECTION_TITLES = {
    "format": gettext_lazy("About this file"),
    "account": gettext_lazy("Account"),
    "profile": gettext_lazy("Profile"),
    "applications": gettext_lazy("Applications"),
    "expert": gettext_lazy("Expert"),
    "committee": gettext_lazy("Committee"),
    "matchmaking": gettext_lazy("Offers, needs and introductions"),
    "events": gettext_lazy("Events"),
    "audit": gettext_lazy("What you did (audit log)"),
}


def as_json(data: dict[str, Any]) -> bytes:
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False).encode()


def _html(value: Any) -> str:
    """A value as nested HTML lists and definition lists, every text escaped."""
    if isinstance(value, dict):
        if not value:
            return "<p>—</p>"
        items = "".join(
            f"<dt>{escape(str(key).replace('_', ' '))}</dt><dd>{_html(item)}</dd>"
            for key, item in value.items()
        )
        return f"<dl>{items}</dl>"
    if isinstance(value, list):
        if not value:
            return "<p>—</p>"
        return "<ol>" + "".join(f"<li>{_html(item)}</li>" for item in value) + "</ol>"
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return escape(_("yes") if value else _("no"))
    return escape(str(value)).replace("\n", "<br>")


def summary_html(data: dict[str, Any]) -> str:
    sections = "".join(
        f"<section><h2>{escape(str(SECTION_TITLES.get(key, key)))}</h2>{_html(value)}</section>"
        for key, value in data.items()
    )
    title = escape(_("Your data on Filière"))
    intro = escape(
        _(
            "Everything the platform holds about you, as of the date below. The same data is in "
            "data.json, for programs."
        )
    )
    return (
        '<!doctype html><html><head><meta charset="utf-8">'
        f"<title>{title}</title></head><body><h1>{title}</h1><p>{intro}</p>"
        f"{sections}</body></html>"
    )


def build_zip(data: dict[str, Any], json_bytes: bytes | None = None) -> bytes:
    """The ZIP of one export."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("data.json", json_bytes if json_bytes is not None else as_json(data))
        archive.writestr("summary.html", summary_html(data))
    return buffer.getvalue()
