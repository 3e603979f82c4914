"""Texts entered by staff in French, English and Dutch, shown in the reader's language."""

from django.utils import translation


def localized(obj: object, field: str) -> str:
    """The value of `<field>_<language>` for the active language, falling back to French."""
    language = (translation.get_language() or "fr")[:2]
    for code in (language, "fr", "en", "nl"):
        value = getattr(obj, f"{field}_{code}", "")
        if value:
            return str(value)
    return ""
