"""One family for every refusal a service says: a stable code, its parameters, an HTTP status.

Services raise :class:`ServiceError` (or a subclass saying what kind of refusal it is). Each
app's ``phrases`` module registers, in its ``AppConfig.ready``, the translator of its code
prefixes (``errors.register("apply.", phrases.applying_message)``), so that ``error.message`` is
the sentence in the active language wherever it is shown. The API maps the family to its error
shape once (``api/errors.py``); pages show ``error.message`` (or put it on the form's field named
by ``error.field``).

This module imports no app: every layer may raise these errors.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, ClassVar

from django.utils.translation import gettext as _

Translator = Callable[[str, Mapping[str, Any]], str]

_TRANSLATORS: dict[str, Translator] = {}


def register(prefix: str, translator: Translator) -> None:
    """Let ``translator`` say the codes that start with ``prefix`` (``"apply."``)."""
    _TRANSLATORS[prefix] = translator


def translate(code: str, params: Mapping[str, Any] | None = None) -> str:
    """The sentence for ``code``, from the translator of its longest registered prefix."""
    matches = [prefix for prefix in _TRANSLATORS if code.startswith(prefix)]
    if not matches:
        # A code nobody registered is a bug, but the user still gets a sentence and the code.
        return _("This action was refused (%(code)s).") % {"code": code}
    return _TRANSLATORS[max(matches, key=len)](code, params or {})


class ServiceError(Exception):
    """A refusal: ``code`` for programs, ``params`` for the sentence, ``field`` for forms.

    ``status`` is the HTTP answer the API gives (409: the request conflicts with the current
    state of things, the default for a refused verb)."""

    status: ClassVar[int] = 409

    def __init__(
        self, code: str, params: Mapping[str, Any] | None = None, /, *, field: str = ""
    ) -> None:
        super().__init__(code)
        self.code = code
        self.params: dict[str, Any] = dict(params or {})
        self.field = field

    @property
    def message(self) -> str:
        return translate(self.code, self.params)

    def details(self) -> dict[str, Any]:
        """The parameters the API shows; a subclass adds what it carries (the missing items)."""
        return dict(self.params)

    def __str__(self) -> str:
        return f"{self.code} {self.params}" if self.params else self.code


class NotAllowed(ServiceError):
    """The acting user may not do this (whatever the state of things)."""

    status = 403


class Invalid(ServiceError):
    """The input cannot be accepted; ``field`` names the input when there is one."""

    status = 422


class Throttled(ServiceError):
    """Too many attempts; ``retry_after`` is the number of seconds to wait."""

    status = 429

    def __init__(
        self, code: str, params: Mapping[str, Any] | None = None, /, *, retry_after: int = 60
    ) -> None:
        super().__init__(code, params)
        self.retry_after = retry_after
