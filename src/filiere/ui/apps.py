from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class UiConfig(AppConfig):
    name = "filiere.ui"
    label = "ui"
    verbose_name = _("User interface")

    def ready(self) -> None:
        # The system checks register themselves; the signals need the models loaded.
        from . import checks, page_invalidation  # noqa: F401

        page_invalidation.connect()
