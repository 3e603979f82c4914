from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CallsConfig(AppConfig):
    name = "filiere.calls"
    label = "calls"
    verbose_name = _("Calls for projects")

    def ready(self) -> None:
        from filiere.accounts import scopes

        # Roles can be granted for one fund or one call (the administrators' roles page).
        scopes.register("fund", label=_("Fund"), model="calls.Fund")
        scopes.register("call", label=_("Call for projects"), model="calls.Call")
