"""Authorization matrix entries of the calls app (funds, calls, applications, instruction).

Keys and rules as in expectations.py and community.py: one entry per URL name (a list of
scenarios where the answer depends on the object), samples built with the calls factories.
"""

from .rules import Route

CALLS_PAGES: dict[str, Route | list[Route]] = {}

CALLS_API: dict[str, Route | list[Route]] = {}
