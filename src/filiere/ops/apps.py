from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpsConfig(AppConfig):
    name = "filiere.ops"
    label = "ops"
    verbose_name = _("Operations")

    def ready(self) -> None:
        # Imported here, not above: task_context reads django-tasks-db's model, which exists only
        # once the app registry is ready.
        from . import task_context

        # The request id follows a task from the request that enqueued it to the worker.
        task_context.connect()
