from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpendataConfig(AppConfig):
    name = "filiere.opendata"
    label = "opendata"
    verbose_name = _("Open data")

    def ready(self) -> None:
        # Imported here: checks reads the selectors, hence the models, ready only once the
        # registry is.
        from . import checks  # noqa: F401 - registers the publisher's deployment check
