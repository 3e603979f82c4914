from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from filiere import errors

from . import phrases


class AccountsConfig(AppConfig):
    name = "filiere.accounts"
    label = "accounts"
    verbose_name = _("Accounts and roles")

    def ready(self) -> None:
        # The sentences of the app's refusals (filiere.errors.ServiceError codes).
        for prefix in phrases.PREFIXES:
            errors.register(prefix, phrases.refusal)
