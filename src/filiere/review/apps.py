from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from filiere import errors

from . import phrases


class ReviewConfig(AppConfig):
    name = "filiere.review"
    label = "review"
    verbose_name = _("Expert review")

    def ready(self) -> None:
        # The "fund" scope type (an expert grant for one fund) is registered by calls, which owns
        # the Fund model; review only says its own refusals.
        errors.register("review.", phrases.refusal)
        # Imported here: tasks import the services and models, ready only once the registry is.
        from . import tasks  # noqa: F401 - registers the assignment's event handler
