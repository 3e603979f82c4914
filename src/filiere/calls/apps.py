from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from filiere import errors
from filiere.accounts import scopes

from . import phrases


class CallsConfig(AppConfig):
    name = "filiere.calls"
    label = "calls"
    verbose_name = _("Calls for projects")

    def ready(self) -> None:
        # Imported here, not above: tasks and services import the models, which exist only
        # once the app registry is ready.
        from . import tasks  # noqa: F401 - registers the event handlers (events.py)
        from .services import transitions

        # The sentences of the app's refusals (filiere.errors.ServiceError codes).
        for prefix in ("apply.", "upload.", "throttle."):
            errors.register(prefix, phrases.applying_message)
        for prefix in ("design.", "fund.", "call.", "criterion.", "question.", "rules."):
            errors.register(prefix, phrases.message)
        errors.register("instruction.", phrases.message)
        for prefix in ("workflow.", "transition."):
            errors.register(prefix, transitions.workflow_message)

        # Roles can be granted for one fund or one call (the administrators' roles page).
        scopes.register("fund", label=_("Fund"), model="calls.Fund")
        scopes.register("call", label=_("Call for projects"), model="calls.Call")
