"""Log lines as JSON: one object per line, with the request's id, the user's id (never the
e-mail), the path, the status and the duration."""

import io
import json
import logging
import sys

import pytest
from django.urls import reverse

from filiere.ops.logs import JsonFormatter, RequestContextFilter, TextFormatter
from tests.accounts.factories import UserFactory, sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def json_lines():
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RequestContextFilter())
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("filiere.request")
    previous = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    logger.removeHandler(handler)
    logger.setLevel(previous)


def test_each_request_writes_one_json_line(client, json_lines):
    user = UserFactory(email="secret.person@example.org")
    sign_in(client, user)

    response = client.get(reverse("ui:home") + "?q=private", HTTP_X_REQUEST_ID="req-log-1")

    (line,) = [entry for entry in json_lines() if entry.get("request_id") == "req-log-1"]
    assert line["level"] == "INFO"
    assert line["logger"] == "filiere.request"
    assert line["method"] == "GET"
    assert line["path"] == reverse("ui:home")
    assert line["route"] == "ui:home"
    assert line["status"] == response.status_code
    assert line["user_id"] == user.pk
    assert line["duration_ms"] >= 0
    assert line["time"].endswith("+00:00")
    text = json.dumps(line)
    assert "secret.person" not in text
    assert "private" not in text


def test_an_anonymous_request_has_no_user_id(client, json_lines):
    client.get(reverse("ui:home"), HTTP_X_REQUEST_ID="req-log-2")

    (line,) = [entry for entry in json_lines() if entry.get("request_id") == "req-log-2"]
    assert "user_id" not in line


def test_an_exception_is_one_json_line_with_its_traceback():
    record = logging.LogRecord(
        "filiere.x", logging.ERROR, __file__, 1, "it broke: %s", ("x",), None
    )
    try:
        raise ValueError("boom")
    except ValueError:
        record.exc_info = sys.exc_info()
    RequestContextFilter().filter(record)

    line = JsonFormatter().format(record)

    assert "\n" not in line
    entry = json.loads(line)
    assert entry["message"] == "it broke: x"
    assert "ValueError: boom" in entry["exception"]
    assert "request_id" not in entry


def test_text_lines_start_with_the_request_id_when_there_is_one():
    record = logging.LogRecord("filiere.x", logging.WARNING, __file__, 1, "hello", (), None)
    record.request_id = "req-9"

    assert TextFormatter("%(levelname)s %(message)s").format(record) == "[req-9] WARNING hello"


def test_django_s_own_line_about_a_missing_page_carries_the_request_id(client):
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RequestContextFilter())
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("django.request")
    logger.addHandler(handler)
    try:
        client.get("/no/such/page/", HTTP_X_REQUEST_ID="req-404")
    finally:
        logger.removeHandler(handler)

    (line,) = [json.loads(text) for text in stream.getvalue().splitlines()]
    assert line["message"] == "Not Found: /no/such/page/"
    assert line["request_id"] == "req-404"
    assert line["status"] == 404
    assert line["path"] == "/no/such/page/"
