"""Links to the showcase from the awards pages (``{% load showcase_links %}``).

The awards app sits below the showcase (it never imports it), so its templates ask this
library: ``{% showcase_edit_url agreement as url %}`` answers the team's showcase page for the
application's lead and the accepted members allowed to edit, once the agreement is signed
(amended, closed), else ``""``. It reads nothing more than the page already has.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse

from filiere.awards.models import Agreement

from ..permissions import FUNDED, writes

register = template.Library()


@register.simple_tag(takes_context=True)
def showcase_edit_url(context: template.Context, agreement: Agreement) -> str:
    user: Any = getattr(context.get("request"), "user", None)
    if user is None or agreement.status not in FUNDED:
        return ""
    application = agreement.application
    if not writes(user, application):
        return ""
    return reverse("showcase:edit", args=[application.reference])
