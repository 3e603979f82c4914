from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from filiere import errors
from filiere.accounts import scopes

from . import phrases


class CommitteeConfig(AppConfig):
    name = "filiere.committee"
    label = "committee"
    verbose_name = _("Committee")

    def ready(self) -> None:
        errors.register("committee.", phrases.refusal)
        scopes.register(
            "committee_session", label=_("Committee session"), model="committee.Session"
        )
        # Imported here: tasks import the services and models, ready only once the registry is.
        from . import tasks_decisions, tasks_simulator  # noqa: F401 - the event handlers
