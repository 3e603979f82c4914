from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from filiere import errors

from . import phrases


class PrivacyConfig(AppConfig):
    name = "filiere.privacy"
    label = "privacy"
    verbose_name = _("Privacy")

    def ready(self) -> None:
        errors.register(phrases.PREFIX, phrases.refusal)
