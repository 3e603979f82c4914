"""The authorization matrix: every route × every role gets the outcome declared for it.

Routes come from the URL resolver (every pattern, the language-prefixed ones once, admin and
allauth included) and from the OpenAPI schema (every path × method). Expectations are declared
in tests/authz/expectations.py (one section per app); a route without one fails here, and so does
a declaration whose route has gone. Besides the global roles, ``call_staff`` holds a staff grant
scoped to one call (``World.staff_call``).
"""

import re

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from ninja import NinjaAPI

from filiere.accounts.models import Role
from filiere.accounts.services import create_api_token
from filiere.api.router import api
from tests.accounts.factories import UserFactory, user_with_role
from tests.authz.expectations import API, PAGES, admin_route
from tests.authz.rules import ANONYMOUS, CALL_STAFF, ROLES, Route, World

PARAMETER = re.compile(r"<(?:\w+:)?(\w+)>|\(\?P<(\w+)>[^)]*\)")


def _walk(patterns, prefix="", namespace=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = ":".join(filter(None, [namespace, entry.namespace or ""]))
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern), inner)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}:{entry.name}" if namespace and entry.name else entry.name or ""
            yield name, prefix + str(entry.pattern)


def _as_openapi_path(pattern: str) -> str:
    return "/" + PARAMETER.sub(lambda m: "{" + (m[1] or m[2]) + "}", pattern).strip("^$")


def _openapi_paths() -> dict:
    # Collected before any database exists: ninja's own document (paths and methods), without
    # our additions, whose closed filters read their values from the database.
    return NinjaAPI.get_openapi_schema(api)["paths"]


def discover_pages() -> dict[str, tuple[str, str]]:
    """key → (URL name, pattern) for every URL pattern not served as an OpenAPI operation."""
    operations = set(_openapi_paths())
    pages = {}
    for name, pattern in _walk(get_resolver().url_patterns):
        if _as_openapi_path(pattern) in operations:
            continue  # covered below, per method, from the schema
        pages[name or pattern] = (name, pattern)
    return pages


def discover_operations() -> set[str]:
    methods = {"get", "post", "put", "patch", "delete"}
    return {
        f"{method.upper()} {path}"
        for path, item in _openapi_paths().items()
        for method in item
        if method in methods
    }


DISCOVERED_PAGES = discover_pages()
DISCOVERED_OPERATIONS = discover_operations()


def _scenarios(entry: Route | list[Route] | None) -> list[Route]:
    return [] if entry is None else entry if isinstance(entry, list) else [entry]


def _page_expectation(key: str) -> Route | list[Route] | None:
    if key in PAGES:
        return PAGES[key]
    name, pattern = DISCOVERED_PAGES.get(key, (key, key))
    return admin_route(name, pattern)


def _call_staff(call):
    """A member with a second factor and a staff grant scoped to ``call`` only."""
    from filiere.accounts.services import grant_role

    user = user_with_role(Role.MEMBER, with_totp=True)
    grant_role(user=user, role=Role.STAFF, scope_type="call", scope_id=call.pk, by=None)
    user.refresh_from_db()
    return user


@pytest.fixture
def world(db):
    from tests.calls.instruction_factories import CallFactory

    staff_call = CallFactory()
    users = {role: user_with_role(role) for role in ROLES if role not in (ANONYMOUS, CALL_STAFF)}
    users[CALL_STAFF] = _call_staff(staff_call)
    users[ANONYMOUS] = None
    keys = {
        role: create_api_token(user=user, name="matrix")[1]
        for role, user in users.items()
        if user is not None
    }
    assert users["member"].role_set() == frozenset()
    assert users["admin"].has_role(Role.ADMIN)
    assert not users[CALL_STAFF].has_role(Role.STAFF)  # not global staff
    return World(users=users, keys=keys, stranger=UserFactory(), staff_call=staff_call)


def _resolve(sample, world):
    return (sample(world) if callable(sample) else sample) or {}


def _fill(pattern: str, kwargs: dict) -> str:
    return "/" + PARAMETER.sub(lambda m: str(kwargs[m[1] or m[2]]), pattern).strip("^$")


def _describe(response) -> str:
    location = response.get("Location")
    return f"{response.status_code}" + (f" → {location}" if location else "")


def _run(route: Route, world: World, url: str, *, api_call: bool) -> list[str]:
    data = _resolve(route.data, world)
    rule = route.rule_for(world)
    mismatches = []
    for role in ROLES:
        client = Client()
        headers = {}
        user = world.users[role]
        if user is not None:
            if api_call:
                headers["HTTP_AUTHORIZATION"] = f"Bearer {world.keys[role]}"
            else:
                client.force_login(user)
        call = getattr(client, route.method.lower())
        response = call(url, data, **headers) if data else call(url, **headers)
        expected = rule[role]
        if not expected.check(response):
            mismatches.append(
                f"  {role:<10} expected {expected.describe():<22} got {_describe(response)}"
            )
    return mismatches


@pytest.mark.parametrize("key", sorted(set(DISCOVERED_PAGES) | set(PAGES)))
def test_page_route(key, world):
    scenarios = _scenarios(_page_expectation(key))
    if not scenarios:
        pytest.fail(
            f"Route {key!r} has no declared expectation: add it to your app's section of "
            "tests/authz/expectations.py (or tests/authz/<app>.py)."
        )
    if key not in DISCOVERED_PAGES:
        if all(route.optional for route in scenarios):
            return
        pytest.fail(f"Declared route {key!r} no longer exists: remove or rename its entry.")
    name, pattern = DISCOVERED_PAGES[key]
    report = []
    for route in scenarios:
        kwargs = _resolve(route.kwargs, world)
        url = reverse(name, kwargs=kwargs) if name else _fill(pattern, kwargs)
        mismatches = _run(route, world, url, api_call=False)
        if mismatches:
            report.append(f"{route.method} {url} ({key}) {route.note}".rstrip())
            report.extend(mismatches)

    assert not report, "\n".join(report)


@pytest.mark.parametrize("key", sorted(DISCOVERED_OPERATIONS | set(API)))
def test_api_operation(key, world):
    if key not in API:
        pytest.fail(
            f"API operation {key!r} has no declared expectation: add it to the API section of "
            "tests/authz/expectations.py (or tests/authz/<app>.py)."
        )
    if key not in DISCOVERED_OPERATIONS:
        pytest.fail(f"Declared API operation {key!r} no longer exists: remove its entry.")
    method, path = key.split(" ", 1)
    report = []
    for route in _scenarios(API[key]):
        assert route.method in {"GET", method}, "the method is part of the key"
        kwargs = _resolve(route.kwargs, world)
        url = re.sub(r"\{(\w+)\}", lambda m, kwargs=kwargs: str(kwargs[m[1]]), path)
        call = Route(route.rule, method=method, data=route.data)
        mismatches = _run(call, world, url, api_call=True)
        if mismatches:
            report.append(f"{key} ({url}) {route.note}".rstrip())
            report.extend(mismatches)

    assert not report, "\n".join(report)


def test_the_matrix_sees_the_whole_platform():
    """Guards the enumeration itself: a broken walk would make every other test pass vacuously."""
    assert {"ui:home", "account_login", "admin:index", "accounts:my_account"} <= set(
        DISCOVERED_PAGES
    )
    assert "GET /api/v1/me" in DISCOVERED_OPERATIONS
    assert not any(key.startswith(("en/", "nl/")) for key in DISCOVERED_PAGES)
