"""Browser tests: Debian's Chromium driven by Playwright against pytest-django's live server.

One browser for consecutive browser tests (in practice one per xdist worker), a fresh context
(cookies, storage) per test; it is stopped as soon as a worker moves on to other tests.
Every page a test opens is watched: a console error, an uncaught exception or a Content Security
Policy violation fails the test at teardown. ``axe`` runs axe-core (installed by ``npm ci`` from
the project's package.json) and fails on serious or critical WCAG 2.1 A/AA violations.

Test modules declare::

    pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True,
                  serialized_rollback=True)]

The live server answers from another thread, so the tests use a transactional database; the
reference rows loaded by migrations (territories, sectors, professions) are restored before each
test by ``serialized_rollback``, and after the last one for the tests that follow.
"""

import os
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from tests.conftest import restore_reference_rows

# Debian's package (`make system-deps`); Playwright's own browser downloads are not used.
CHROMIUM = os.environ.get("FILIERE_CHROMIUM", "/usr/bin/chromium")
# The network of a test machine is closed: no background calls home, no QUIC, no GPU.
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE_SOURCE = Path(settings.PROJECT_DIR) / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
AXE_FAILING_IMPACTS = {"serious", "critical"}

# Reports CSP violations to the test through a Playwright binding. Init scripts are injected by
# the DevTools protocol, not by the page, so the policy (no inline script) does not apply to them.
_CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.__filiereCspViolation(
    `${event.effectiveDirective} blocked ${event.blockedURI || "inline"} ` +
    `(${event.sourceFile || event.documentURI}:${event.lineNumber})`
  );
});
"""


BROWSER_TESTS = Path(__file__).resolve().parent
# The running Playwright and browser, shared by consecutive browser tests (see `browser`).
_running: dict = {}


def _launch():
    if not Path(CHROMIUM).is_file():
        pytest.fail(
            f"Chromium not found at {CHROMIUM}: the browser tests need Debian's chromium "
            "package. Run `make system-deps`.",
            pytrace=False,
        )
    from django.db import connections
    from playwright.sync_api import sync_playwright

    # Playwright's sync API leaves its asyncio loop "running" on this thread while it is
    # started. Django then takes the test code for async code: it refuses database calls (lifted
    # by Django's documented switch: the test code is synchronous) and, through asgiref, looks
    # its connections up in another store, where it would open new ones. The test database, its
    # serialized reference rows and any open transaction live on the connections made so far,
    # so those stay the ones in use.
    current = {alias: connections[alias] for alias in connections}
    _running["environ"] = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    _running["playwright"] = sync_playwright().start()
    for alias, connection in current.items():
        connections[alias] = connection
    _running["browser"] = _running["playwright"].chromium.launch(
        executable_path=CHROMIUM, args=CHROMIUM_ARGS
    )
    return _running["browser"]


def _shut_down() -> None:
    if not _running:
        return
    try:
        if "browser" in _running:
            _running["browser"].close()
        _running["playwright"].stop()
    finally:
        if _running["environ"] is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = _running["environ"]
        _running.clear()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """After the last of consecutive browser tests, stop the browser and put the database back
    as the other tests expect it.

    Under xdist a worker may go on with ordinary tests: they must not run beside Playwright's
    loop (nor inherit the switch above, e.g. in a subprocess), and they need the reference rows
    that the flush after a transactional test removes (``serialized_rollback`` only brings them
    back before the next browser test)."""
    try:
        return (yield)
    finally:
        following = nextitem is not None and Path(nextitem.path).is_relative_to(BROWSER_TESTS)
        if not following:
            _shut_down()
            # After the session's last test the test databases are already gone (and the
            # connections point at the real database again): there is nothing to restore.
            if nextitem is not None:
                restore_reference_rows(item.config)


def pytest_sessionfinish(session):
    _shut_down()


@pytest.fixture
def browser(request, django_db_setup):
    """Debian's Chromium, launched once for consecutive browser tests (one per xdist worker
    when the browser test files run one after another)."""
    return _running.get("browser") or _launch()


@pytest.fixture
def context(browser, live_server):
    context = browser.new_context(
        base_url=live_server.url, locale="fr-FR", viewport={"width": 1280, "height": 900}
    )
    context.set_default_timeout(10_000)
    yield context
    context.close()


class PageProblems(list):
    """What a user's browser complained about while the test ran."""

    def watch(self, page) -> None:
        page.on("console", self._on_console)
        page.on("pageerror", lambda error: self.append(f"uncaught exception: {error}"))

    def _on_console(self, message) -> None:
        if message.type == "error":
            location = message.location or {}
            where = location.get("url", "")
            self.append(f"console error: {message.text} ({where})")


def watch(context) -> PageProblems:
    """Record what the browser complains about on every page of `context`."""
    problems = PageProblems()
    context.expose_binding(
        "__filiereCspViolation", lambda _source, text: problems.append(f"CSP violation: {text}")
    )
    context.add_init_script(script=_CSP_LISTENER)
    context.on("page", problems.watch)
    return problems


@pytest.fixture
def page(context):
    """A page whose console errors, uncaught exceptions and CSP violations fail the test."""
    problems = watch(context)
    page = context.new_page()
    yield page
    page.close()
    if problems:
        pytest.fail(
            "The browser reported problems:\n" + "\n".join(f"  - {p}" for p in problems),
            pytrace=False,
        )


@pytest.fixture(scope="session")
def axe_source() -> str:
    if not AXE_SOURCE.is_file():
        pytest.fail(
            f"axe-core is missing ({AXE_SOURCE}): run `npm ci` (or `make install`).",
            pytrace=False,
        )
    return AXE_SOURCE.read_text(encoding="utf-8")


def format_violations(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"[{violation['impact']}] {violation['id']}: {violation['help']}")
        for node in violation["nodes"][:5]:
            target = " ".join(
                " > ".join(part) if isinstance(part, list) else part for part in node["target"]
            )
            lines.append(f"    at {target}")
            summary = (node.get("failureSummary") or "").replace("\n", " ")
            if summary:
                lines.append(f"       {summary[:300]}")
        if len(violation["nodes"]) > 5:
            lines.append(f"    ... and {len(violation['nodes']) - 5} more")
        lines.append(f"    see {violation['helpUrl']}")
    return "\n".join(lines)


@pytest.fixture
def axe(axe_source):
    """``axe(page)`` checks the page as it is now; fails on serious or critical violations."""

    def check(page) -> list[dict]:
        # page.evaluate goes through DevTools: the page's CSP does not apply, and injecting a
        # <script> element (page.add_script_tag) would itself be refused as inline script.
        if not page.evaluate("() => typeof window.axe === 'object'"):
            page.evaluate(axe_source + "\n;undefined")
        results = page.evaluate(
            """(tags) => axe.run(document, {
                runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]
            })""",
            AXE_TAGS,
        )
        failing = [v for v in results["violations"] if v["impact"] in AXE_FAILING_IMPACTS]
        assert not failing, (
            f"axe-core found accessibility violations on {page.url}:\n" + format_violations(failing)
        )
        return results["violations"]

    return check


@pytest.fixture
def sign_in_browser(context, live_server):
    """``sign_in_browser(user)`` gives the browser a signed-in session for `user`, for pages
    behind sign-in (the sign-in flow itself goes through its real forms in test_sign_in.py)."""

    def sign_in(user) -> None:
        client = Client()
        client.force_login(user)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_server.url}]
        )

    return sign_in
