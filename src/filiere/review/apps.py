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
