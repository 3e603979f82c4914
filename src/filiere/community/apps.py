from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from filiere import errors
from filiere.engine import identifiers

from . import phrases


class CommunityConfig(AppConfig):
    name = "filiere.community"
    label = "community"
    verbose_name = _("Community")

    def ready(self) -> None:
        # The sentences of the app's refusals, and of the identifier checks it refuses with.
        for prefix in (*phrases.REFUSAL_PREFIXES, *(f"{kind}." for kind in identifiers.CHECKS)):
            errors.register(prefix, phrases.refusal)
        # The directory's search texts follow every write; search_text imports the models,
        # which are loaded only now.
        from . import search_text

        search_text.connect_signals()
