"""Factories for the call design and public tests: calls at given moments (Paris time)."""

import datetime as dt
from zoneinfo import ZoneInfo

import factory

from filiere.calls.services.design import default_rules_json
from tests.factories import PDF_BYTES, CallFactory

__all__ = ["PARIS", "PDF_BYTES", "DesignCallFactory", "paris"]

PARIS = ZoneInfo("Europe/Paris")


def paris(*args) -> dt.datetime:
    """A moment given as Paris wall-clock time: ``paris(2009, 10, 15, 12)``."""
    return dt.datetime(*args, tzinfo=PARIS)


class DesignCallFactory(CallFactory):
    """A published call open from 1 September to 15 October 2009 at noon (Paris), with the
    default eligibility rules."""

    opens_at = factory.LazyFunction(lambda: paris(2009, 9, 1, 12))
    closes_at = factory.LazyFunction(lambda: paris(2009, 10, 15, 12))
    eligibility_rules = factory.LazyFunction(default_rules_json)
