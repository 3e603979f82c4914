"""The browser tests' own guards can fail: axe-core reports a real violation, and the page watch
catches a CSP violation and a script error."""

import pytest

from .conftest import watch

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_axe_fails_on_an_unlabelled_field_and_faint_text(page, axe):
    page.goto("/en/")
    # DOM and CSSOM changes made through DevTools, which the CSP allows.
    page.evaluate(
        """() => {
          const main = document.querySelector("main");
          main.append(document.createElement("input"));
          const faint = document.createElement("p");
          faint.textContent = "Hard to read";
          faint.style.color = "#bbbbbb";
          main.append(faint);
        }"""
    )

    with pytest.raises(AssertionError) as failure:
        axe(page)

    message = str(failure.value)
    assert "[critical] label:" in message
    assert "[serious] color-contrast:" in message
    assert "at #main > input" in message


def test_watch_records_csp_violations_and_script_errors(context):
    problems = watch(context)
    page = context.new_page()
    page.goto("/en/")

    # What a careless template or script would do: an inline style element, an inline script,
    # and a failing script.
    page.evaluate(
        """() => {
          const style = document.createElement("style");
          style.textContent = "body { color: red; }";
          document.head.append(style);
          const script = document.createElement("script");
          script.textContent = "window.inlineRan = true;";
          document.body.append(script);
          setTimeout(() => { throw new Error("boom"); });
        }"""
    )
    page.wait_for_timeout(200)

    assert page.evaluate("() => window.inlineRan") is None
    assert any(p.startswith("CSP violation: style-src-elem blocked inline") for p in problems)
    assert any(p.startswith("CSP violation: script-src-elem blocked inline") for p in problems)
    assert "uncaught exception: boom" in problems
    assert any(p.startswith("console error:") for p in problems)


def test_the_live_server_shares_no_database_connection_with_the_test(live_server):
    # On an in-memory SQLite database Django hands the server thread the test's one connection:
    # two requests at once (an autosave beside a form's POST) then broke each other's
    # savepoints. tests/conftest.py gives SQLite runs a database file instead.
    assert live_server.thread.connections_override == {}
