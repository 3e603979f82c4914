"""``{% de_minimis_panel application %}``: the de minimis check of an application's company
(``selectors_de_minimis``), for the committee's decision page, which cannot import the awards
app (it sits below it)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template

from filiere.calls.models import Application

from ..selectors_de_minimis import de_minimis_for_application

register = template.Library()


@register.inclusion_tag("awards/de_minimis_panel.html")
def de_minimis_panel(application: Application, proposed: Decimal | None = None) -> dict[str, Any]:
    return {
        "application": application,
        "check": de_minimis_for_application(application, proposed=proposed),
    }
