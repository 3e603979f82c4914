"""One request id per request: in the response, the log lines, the tasks it enqueues and the
audit entries written meanwhile."""

import logging
import re

import pytest
from django.core.management import call_command
from django.http import HttpResponse
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from filiere.audit.models import AuditEntry
from filiere.audit.services import record
from filiere.ops.logs import RequestContextFilter
from filiere.ops.middleware import RequestContextMiddleware
from tests.accounts.factories import UserFactory, sign_in

from .sample_tasks import log_and_audit

pytestmark = pytest.mark.django_db

GENERATED = re.compile(r"[0-9a-f]{32}")


def test_each_response_carries_a_new_request_id(client):
    first = client.get("/health/")["X-Request-ID"]
    second = client.get(reverse("ui:home"))["X-Request-ID"]

    assert GENERATED.fullmatch(first)
    assert GENERATED.fullmatch(second)
    assert first != second


def test_a_safe_incoming_request_id_is_kept(client):
    response = client.get(reverse("ui:home"), HTTP_X_REQUEST_ID="proxy-7f3a.42:1")

    assert response["X-Request-ID"] == "proxy-7f3a.42:1"


@pytest.mark.parametrize(
    "unsafe",
    ["two words", "<script>alert(1)</script>", "a" * 65, "-starts-with-a-dash", "é-accent", ""],
)
def test_an_unsafe_incoming_request_id_is_replaced(client, unsafe):
    response = client.get(reverse("ui:home"), HTTP_X_REQUEST_ID=unsafe)

    assert GENERATED.fullmatch(response["X-Request-ID"])


def test_an_audit_entry_written_by_a_request_records_its_id(client):
    user = UserFactory(preferred_language="en")
    sign_in(client, user)

    response = client.post(
        reverse("accounts:set_language"), {"language": "nl"}, HTTP_X_REQUEST_ID="req-audit-1"
    )

    assert response["X-Request-ID"] == "req-audit-1"
    entry = AuditEntry.objects.get(action="accounts.language.change")
    assert entry.request_id == "req-audit-1"


def test_an_audit_entry_outside_any_request_has_no_id():
    assert record(actor=None, action="ops.test.outside").request_id == ""


def _enqueue_during_a_request(rf, request_id: str):
    def view(request):
        log_and_audit.enqueue("hello")
        return HttpResponse("queued")

    request = rf.get("/somewhere/", HTTP_X_REQUEST_ID=request_id)
    return RequestContextMiddleware(view)(request)


@pytest.fixture
def task_logs(caplog):
    caplog.handler.addFilter(RequestContextFilter())
    caplog.set_level(logging.WARNING, logger="filiere.tests.ops")
    return caplog


# The worker closes its database connections between tasks, as in production.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_task_run_by_the_worker_logs_and_audits_with_the_enqueuing_request_id(
    rf, settings, task_logs
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

    response = _enqueue_during_a_request(rf, "req-task-1")

    assert response["X-Request-ID"] == "req-task-1"
    stored = DBTaskResult.objects.get()
    assert stored.args_kwargs == {"args": ["hello"], "kwargs": {}, "request_id": "req-task-1"}
    assert not AuditEntry.objects.filter(action="ops.test.task").exists()

    call_command("db_worker", "--batch", "--no-startup-delay", "--queue-name", "*")

    stored.refresh_from_db()
    assert stored.status == "SUCCESSFUL"
    line = next(r for r in task_logs.records if r.getMessage() == "the task says hello")
    assert line.request_id == "req-task-1"
    assert line.task == "tests.ops.sample_tasks.log_and_audit"
    assert line.task_id == str(stored.pk)
    assert AuditEntry.objects.get(action="ops.test.task").request_id == "req-task-1"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_after_a_task_the_worker_forgets_its_request_id(rf, settings, task_logs):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    _enqueue_during_a_request(rf, "req-task-2")
    call_command("db_worker", "--batch", "--no-startup-delay", "--queue-name", "*")

    logging.getLogger("filiere.tests.ops").warning("after the task")

    line = next(r for r in task_logs.records if r.getMessage() == "after the task")
    assert line.request_id == ""
    assert not hasattr(line, "task")


def test_a_task_run_at_once_logs_with_the_request_id(rf, task_logs):
    _enqueue_during_a_request(rf, "req-immediate")

    line = next(r for r in task_logs.records if r.getMessage() == "the task says hello")
    assert line.request_id == "req-immediate"
    assert AuditEntry.objects.get(action="ops.test.task").request_id == "req-immediate"


def test_a_redirect_carries_the_request_id_too(client):
    response = client.get(reverse("accounts:set_language"), HTTP_X_REQUEST_ID="req-redirect")

    assert response.status_code == 302
    assert response["X-Request-ID"] == "req-redirect"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_request_id_tampered_with_in_the_queue_is_not_used(rf, settings, task_logs):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    _enqueue_during_a_request(rf, "req-task-3")
    stored = DBTaskResult.objects.get()
    DBTaskResult.objects.filter(pk=stored.pk).update(
        args_kwargs={"args": ["hello"], "kwargs": {}, "request_id": "bad id\nforged line"}
    )

    call_command("db_worker", "--batch", "--no-startup-delay", "--queue-name", "*")

    line = next(r for r in task_logs.records if r.getMessage() == "the task says hello")
    assert line.request_id == ""
    assert AuditEntry.objects.get(action="ops.test.task").request_id == ""
