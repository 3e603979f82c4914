from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CallsConfig(AppConfig):
    name = "filiere.calls"
    label = "calls"
    verbose_name = _("Calls for projects")

    def ready(self) -> None:
        # Imported here, not above: tasks imports the models, which exist only once the app
        # registry is ready.
        from filiere.accounts import scopes

        from . import tasks  # noqa: F401 - registers the event handlers (events.py)

        # Roles can be granted for one fund or one call (the administrators' roles page).
        scopes.register("fund", label=_("Fund"), model="calls.Fund")
        scopes.register("call", label=_("Call for projects"), model="calls.Call")
