"""The showcase's codes in words, registered for the ``showcase.`` prefix in ``apps.py``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

REFUSALS: dict[str, Promise] = {
    "showcase.not_team": gettext_lazy("Only the project's team may edit its showcase page."),
    "showcase.not_funded": gettext_lazy(
        "A showcase page is written for a funded project, once its agreement is signed."
    ),
    "showcase.not_staff": gettext_lazy(
        "Only the call's staff approve showcase pages, never of a file they are on."
    ),
    "showcase.title_missing": gettext_lazy("Give the project's public title."),
    "showcase.summary_missing": gettext_lazy("Write a short summary of the project."),
    "showcase.links.too_many": gettext_lazy("At most %(limit)s links."),
    "showcase.links.invalid": gettext_lazy(
        "This link is not a valid web address starting with https:// or http://: %(url)s"
    ),
    "showcase.not_saved": gettext_lazy("Save the page before you submit it."),
    "showcase.not_submitted": gettext_lazy("This page is not awaiting approval."),
    "showcase.already_submitted": gettext_lazy("This page is already awaiting approval."),
    "showcase.stale": gettext_lazy(
        "The team changed the page since you opened it: read it again before you answer."
    ),
    "showcase.reason_missing": gettext_lazy("Say what the team should change."),
    "showcase.not_published": gettext_lazy("This page is not published."),
    "showcase.images_pending": gettext_lazy(
        "An image is still waiting for the antivirus: submit the page once it is checked."
    ),
    "showcase.images_blocked": gettext_lazy(
        "An image was blocked by the antivirus: remove it before you submit the page."
    ),
    "showcase.image.too_many": gettext_lazy("At most %(limit)s images."),
    "showcase.image.alt_missing": gettext_lazy(
        "Describe the image for people who cannot see it (its text alternative)."
    ),
    "showcase.image.unreadable": gettext_lazy("This file is not a PNG or JPEG image we can read."),
    "showcase.image.too_many_pixels": gettext_lazy(
        "This image is too large (at most %(limit)s pixels on a side)."
    ),
}


def refusal(code: str, params: Mapping[str, Any]) -> str:
    """The sentence for a ``showcase.`` code (``errors.register`` calls this)."""
    text = REFUSALS.get(code)
    if text is None:
        return _("This action was refused (%(code)s).") % {"code": code}
    return str(text) % dict(params) if params else str(text)
