"""Shared by the demo's tests: the call the demo centres on, and the demo loaded at a tenth of its
size (what ``manage.py demo`` prints is handed back)."""

from io import StringIO

from django.core.management import call_command

MAIN = "experiences-interactives-2009"


def demo() -> str:
    out = StringIO()
    call_command("demo", "--i-know-this-is-not-production", "--scale", "0.1", stdout=out)
    return out.getvalue()
