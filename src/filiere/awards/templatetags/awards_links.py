"""Links to the awards pages from the calls app's pages (``{% load awards_links %}``).

The calls app sits below awards (it never imports it), so its templates ask this library, the
way ``committee_links`` puts the decision on them. Each tag answers a link only to those the
linked page lets in (the rules of ``permissions``), else ``""`` and the page shows nothing:

- ``{% agreement_link application as link %}``: the beneficiary's agreement page, for the
  application's lead and accepted team members once the agreement is sent.
- ``{% call_agreements_url call as url %}``: a call's agreements, for the call's staff.
- ``{% payments_ledger_url as url %}``: the payments ledger, for anyone who instructs a call.

None reads more than the application's agreement: list pages stay at constant queries.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import template
from django.urls import reverse

from filiere.calls.models import Application, Call
from filiere.calls.permissions import instructs_some_call, is_call_staff, is_member

from ..models import Agreement
from ..permissions import SHOWN_TO_BENEFICIARY

register = template.Library()


@dataclass(frozen=True)
class AgreementLink:
    url: str
    status: str  # the agreement's status, as shown


def _user(context: template.Context) -> Any:
    return getattr(context.get("request"), "user", None)


@register.simple_tag(takes_context=True)
def agreement_link(context: template.Context, application: Application) -> AgreementLink | None:
    user = _user(context)
    if user is None or not is_member(user, application):
        return None
    agreement = (
        Agreement.objects.filter(application=application, status__in=SHOWN_TO_BENEFICIARY)
        .only("pk", "status")
        .first()
    )
    if agreement is None:
        return None
    return AgreementLink(
        url=reverse("awards:my_agreement", args=[agreement.pk]),
        status=str(agreement.get_status_display()),
    )


@register.simple_tag(takes_context=True)
def call_agreements_url(context: template.Context, call: Call) -> str:
    user = _user(context)
    if user is None or not is_call_staff(user, call.pk):
        return ""
    return reverse("awards:call_agreements", args=[call.slug])


@register.simple_tag(takes_context=True)
def payments_ledger_url(context: template.Context) -> str:
    user = _user(context)
    if user is None or not instructs_some_call(user):
        return ""
    return reverse("awards:ledger")
