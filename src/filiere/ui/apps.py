from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class UiConfig(AppConfig):
    name = "filiere.ui"
    label = "ui"
    verbose_name = _("User interface")

    def ready(self) -> None:
        from . import checks  # noqa: F401 - registers the system checks
