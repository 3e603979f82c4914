"""Links to the review pages from the pages of earlier stages (``{% load review_links %}``).

The calls app sits below review (it never imports it), so its templates ask this library for the
address of a review page: the tag answers it only to someone the review rule lets in, else "",
and the template shows nothing.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse

from filiere.calls.models import Application, Call
from filiere.calls.permissions import is_member

from ..permissions import manages_call_conflicts

register = template.Library()


def _viewer(context: template.Context) -> Any:
    request = context.get("request")
    return getattr(request, "user", None)


@register.simple_tag(takes_context=True)
def exclusions_url(context: template.Context, application: Application) -> str:
    """The application's exclusion requests, for its lead and the team members who accepted
    (the rule of the page's gatekeeper, ``access_application_for_member``)."""
    if not is_member(_viewer(context), application):
        return ""
    return reverse("review:exclusions", args=[application.pk])


@register.simple_tag(takes_context=True)
def conflicts_url(context: template.Context, call: Call) -> str:
    """The call's conflicts of interest, for the staff of its fund or of the call."""
    user = _viewer(context)
    if user is None or not manages_call_conflicts(user, call):
        return ""
    return reverse("review:conflicts", args=[call.slug])


@register.simple_tag(takes_context=True)
def assignment_url(context: template.Context, call: Call) -> str:
    """The assignment of the call's experts, for the staff of its fund or of the call (the same
    rule as its conflicts)."""
    user = _viewer(context)
    if user is None or not manages_call_conflicts(user, call):
        return ""
    return reverse("review:assignment", args=[call.slug])


@register.simple_tag(takes_context=True)
def reviews_url(context: template.Context, call: Call) -> str:
    """The reviews dashboard of the call (progress, settings, reopen), for the staff of its fund
    or of the call (the rule of its gatekeeper, ``call_for_conflict_staff``)."""
    user = _viewer(context)
    if user is None or not manages_call_conflicts(user, call):
        return ""
    return reverse("review:review_dashboard", args=[call.slug])
