"""The API answers in the caller's language.

The site's pages take their language from the URL (``/``, ``/en/``, ``/nl/``), so Django's
LocaleMiddleware gives every unprefixed path, ``/api/v1/`` included, the default language. API
clients say which language they want with ``Accept-Language`` (or, from the browser, the
language cookie): labels (``label``, ``kind_label``...) and error messages follow it; French when
the header names none of French, English, Dutch.
"""

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.http import HttpRequest
from django.utils import translation

Result = TypeVar("Result")


def in_callers_language(view: Callable[..., Result]) -> Callable[..., Result]:
    @wraps(view)
    def view_in_language(request: HttpRequest, *args: Any, **kwargs: Any) -> Result:
        language = translation.get_language_from_request(request, check_path=False)
        with translation.override(language):
            request.LANGUAGE_CODE = language
            return view(request, *args, **kwargs)

    return view_in_language
