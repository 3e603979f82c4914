"""The vocabulary of the authorization matrix: roles, outcomes and rules.

A *rule* maps every role to the outcome a request must get. Build one with ``expect``::

    expect(anonymous=LOGIN, others=OK)                      # any signed-in person
    expect(anonymous=LOGIN, staff=OK, admin=OK, others=FORBIDDEN)

A *route* is a rule plus how to call it (method, sample URL kwargs, POST data).
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from django.urls import reverse

ANONYMOUS = "anonymous"
#: ``call_staff`` holds a staff grant scoped to one call (``World.staff_call``) and a second
#: factor: the pages and API operations of that call's instruction let it in like the staff,
#: everything else treats it like a member (``others``).
CALL_STAFF = "call_staff"
ROLES = ("anonymous", "member", "applicant", "expert", "committee", "staff", "admin", CALL_STAFF)


@dataclass(frozen=True)
class Outcome:
    """What a response must look like: a status code, and for redirects where they lead."""

    status: int
    to: str = ""  # for redirects: a URL name (its path must match) or "" for anywhere
    label: str = ""

    def check(self, response) -> bool:
        if response.status_code != self.status:
            return False
        if not self.to:
            return True
        return urlsplit(response["Location"]).path == reverse(self.to)

    def describe(self) -> str:
        return self.label or str(self.status)


OK = Outcome(200, label="200")
NO_CONTENT = Outcome(204, label="204")
UNAUTHORIZED = Outcome(401, label="401")
FORBIDDEN = Outcome(403, label="403")
NOT_FOUND = Outcome(404, label="404")
METHOD_NOT_ALLOWED = Outcome(405, label="405")
REDIRECT = Outcome(302, label="302 (anywhere)")
LOGIN = Outcome(302, to="account_login", label="302 → sign-in")
ADMIN_LOGIN = Outcome(302, to="admin:login", label="302 → admin sign-in")
ADMIN_INDEX = Outcome(302, to="admin:index", label="302 → admin index")
HOME = Outcome(302, to="ui:home", label="302 → home")
REAUTHENTICATE = Outcome(302, to="account_reauthenticate", label="302 → confirm password")
CHANGE_PASSWORD = Outcome(302, to="account_change_password", label="302 → change password")
MFA_INDEX = Outcome(302, to="mfa_index", label="302 → two-factor page")


def expect(*, others: Outcome | None = None, everyone: Outcome | None = None, **by_role):
    """A complete role → outcome mapping; fails loudly on a misspelt or forgotten role."""
    unknown = set(by_role) - set(ROLES)
    assert not unknown, f"unknown roles {unknown}"
    default = everyone or others
    rule = {role: by_role.get(role, default) for role in ROLES}
    missing = [role for role, outcome in rule.items() if outcome is None]
    assert not missing, f"no outcome for {missing}: give them or use others="
    return rule


Sample = dict[str, Any] | Callable[["World"], dict[str, Any]] | None


@dataclass(frozen=True)
class Route:
    rule: dict[str, Outcome] | Callable[["World"], dict[str, Outcome]]
    method: str = "GET"
    kwargs: Sample = None  # URL kwargs (or API path parameters), or a function of the world
    data: Sample = None  # POST / query data
    note: str = ""
    optional: bool = False  # may be absent from the URLconf (e.g. DEBUG-only routes)

    def rule_for(self, world: "World") -> dict[str, Outcome]:
        return self.rule(world) if callable(self.rule) else self.rule


@dataclass
class World:
    """What the matrix creates before calling a route: one user per role, their API keys,
    `stranger`, a member who is none of them (the owner of 'someone else's' objects), and the
    call that `call_staff` instructs."""

    users: dict[str, Any]
    keys: dict[str, str]
    stranger: Any
    #: The call of ``call_staff``'s scoped grant (instruction samples live in it).
    staff_call: Any = None
    cache: dict[str, Any] = field(default_factory=dict)

    def once(self, name: str, make: Callable[[], Any]) -> Any:
        """A sample object built on first use and shared by the roles of one route."""
        if name not in self.cache:
            self.cache[name] = make()
        return self.cache[name]
