"""The "funded by" mention: on the public page, and for the beneficiary to copy (in French,
English and Dutch, and as an HTML snippet linking to the public page)."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.utils import translation
from django.utils.html import format_html
from django.utils.translation import gettext as _

LANGUAGES = ("fr", "en", "nl")


def platform_name() -> str:
    return str(getattr(settings, "FILIERE_PLATFORM_NAME", "Filière"))


def mention(fund: str) -> str:
    """In the active language."""
    return _("Funded by %(fund)s, through %(platform)s.") % {
        "fund": fund,
        "platform": platform_name(),
    }


@dataclass(frozen=True)
class Mention:
    language: str
    text: str
    html: str


def mentions(fund: str, page_url: str) -> list[Mention]:
    """The mention in each language, as text and as HTML (escaped, linking to the page)."""
    rows = []
    for language in LANGUAGES:
        with translation.override(language):
            text = mention(fund)
            html = format_html('<p class="funded-by"><a href="{}">{}</a></p>', page_url, text)
        # A plain string: the page shows the snippet's markup as text (escaped), never renders it.
        rows.append(Mention(language=language, text=text, html="".join([html])))
    return rows
