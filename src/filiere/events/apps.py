from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from filiere import errors

from . import phrases


class EventsConfig(AppConfig):
    name = "filiere.events"
    label = "events"
    verbose_name = _("Events")

    def ready(self) -> None:
        errors.register("events.", phrases.refusal)
        # Imported here: tasks import the services and models, ready only once the registry is.
        from . import tasks  # noqa: F401 - the event handlers
