from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from filiere import errors

from . import phrases


class ObservatoryConfig(AppConfig):
    name = "filiere.observatory"
    label = "observatory"
    verbose_name = _("Observatory")

    def ready(self) -> None:
        errors.register("observatory.", phrases.refusal)
        # Imported here: tasks import the services and models, ready only once the registry is.
        from . import tasks  # noqa: F401 - the event handler
