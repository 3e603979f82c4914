"""Texts entered by staff in French, English and Dutch, shown in the reader's language."""

from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _

LANGUAGE_CODES = ("fr", "en", "nl")


def localized(obj: object, field: str) -> str:
    """The value of `<field>_<language>` for the active language, falling back to French."""
    language = (translation.get_language() or "fr")[:2]
    for code in (language, "fr", "en", "nl"):
        value = getattr(obj, f"{field}_{code}", "")
        if value:
            return str(value)
    return ""


class TranslatedLabelModel(models.Model):
    """A reference item (genre, stage, document type…) with a code and labels in 3 languages."""

    code = models.SlugField(_("code"), max_length=50, unique=True)
    label_fr = models.CharField(_("label (French)"), max_length=120)
    label_en = models.CharField(_("label (English)"), max_length=120, blank=True)
    label_nl = models.CharField(_("label (Dutch)"), max_length=120, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        abstract = True
        ordering = ["position", "code"]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return localized(self, "label")
