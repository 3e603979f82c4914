from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from filiere import errors

from . import phrases, phrases_follow_up


class AwardsConfig(AppConfig):
    name = "filiere.awards"
    label = "awards"
    verbose_name = _("Agreements and payments")

    def ready(self) -> None:
        errors.register("awards.", phrases.refusal)
        phrases_follow_up.register()  # payments, spend, reports, declared aids
        # Imported here: tasks import the services and models, ready only once the registry is.
        from . import tasks, tasks_follow_up  # noqa: F401 - the event handlers
