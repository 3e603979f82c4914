from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from filiere import errors

from . import phrases


class ShowcaseConfig(AppConfig):
    name = "filiere.showcase"
    label = "showcase"
    verbose_name = _("Showcase of funded works")

    def ready(self) -> None:
        errors.register("showcase.", phrases.refusal)
        # Imported here: tasks import the services and models, ready only once the registry is.
        from . import tasks  # noqa: F401 - the event handlers
