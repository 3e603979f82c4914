from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from filiere import errors

from . import phrases


class MatchmakingConfig(AppConfig):
    name = "filiere.matchmaking"
    label = "matchmaking"
    verbose_name = _("Matchmaking")

    def ready(self) -> None:
        # The board's refusals; each part of the app registers its own prefixes.
        errors.register("matchmaking.post.", phrases.refusal)
        errors.register("matchmaking.moderation.", phrases.refusal)
        # Contacts (introductions, blocks, reports) and find partners.
        errors.register("matchmaking.contact.", phrases.refusal)
        errors.register("matchmaking.report.", phrases.refusal)
        errors.register("matchmaking.partners.", phrases.refusal)
        # Imported here: tasks import the services and models, ready only once the registry is.
        from . import tasks  # noqa: F401 - the event handler of the suggestions' runs
