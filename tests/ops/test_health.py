"""/health/: what the proxy and the monitoring read, for a healthy platform and a sick one."""

from datetime import timedelta

import pytest
from django.db import OperationalError, connection
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from filiere.accounts.models import Role
from tests.accounts.factories import sign_in, user_with_role

from .conftest import ELSEWHERE

pytestmark = pytest.mark.django_db


def test_a_healthy_platform_answers_200_with_each_check_and_no_store(client):
    response = client.get("/health/")

    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    body = response.json()
    assert body["status"] == "ok"
    assert {name: check["status"] for name, check in body["checks"].items()} == {
        "database": "ok",
        "task_queue": "ok",
        "clamd": "disabled",  # no scanner configured in the tests
        "disk": "ok",
    }


def test_anonymous_callers_see_the_statuses_only(client, settings):
    response = client.get("/health/", REMOTE_ADDR=ELSEWHERE)

    assert response.status_code == 200
    assert response.json()["checks"]["disk"] == {"status": "ok", "critical": True}
    assert response.json()["checks"]["database"] == {"status": "ok", "critical": True}


def test_monitoring_callers_see_figures_but_never_a_path_of_the_machine(client, settings):
    settings.FILIERE_MONITORING_TOKEN = "s3cret-token-for-monitoring"

    response = client.get(
        "/health/", REMOTE_ADDR=ELSEWHERE, HTTP_AUTHORIZATION="Bearer s3cret-token-for-monitoring"
    )

    checks = response.json()["checks"]
    assert checks["disk"]["media"]["free_bytes"] > 0
    assert checks["task_queue"]["ready"] == 0
    assert "duration_ms" in checks["database"]
    text = response.content.decode()
    assert str(settings.MEDIA_ROOT) not in text
    assert str(settings.VAR_DIR) not in text
    assert "s3cret" not in text


def test_a_wrong_token_sees_what_anonymous_callers_see(client, settings):
    settings.FILIERE_MONITORING_TOKEN = "s3cret-token-for-monitoring"

    response = client.get("/health/", REMOTE_ADDR=ELSEWHERE, HTTP_AUTHORIZATION="Bearer guess")

    assert response.json()["checks"]["disk"] == {"status": "ok", "critical": True}


def test_a_stopped_clamd_answers_503(client, settings, closed_port):
    settings.FILIERE_CLAMD_SOCKET = ""
    settings.FILIERE_CLAMD_HOST = "127.0.0.1"
    settings.FILIERE_CLAMD_PORT = closed_port

    response = client.get("/health/")

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "fail"
    assert body["checks"]["clamd"]["status"] == "fail"
    assert body["checks"]["clamd"]["transport"] == "tcp"
    assert "127.0.0.1" not in response.content.decode()


def test_a_missing_clamd_socket_answers_503(client, settings, tmp_path):
    settings.FILIERE_CLAMD_SOCKET = str(tmp_path / "clamd.sock")

    response = client.get("/health/")

    assert response.status_code == 503
    assert response.json()["checks"]["clamd"]["status"] == "fail"
    assert str(tmp_path) not in response.content.decode()


def test_a_running_clamd_answers_pong(client, clamd):
    response = client.get("/health/")

    assert response.status_code == 200
    assert response.json()["checks"]["clamd"]["status"] == "ok"
    assert response.json()["checks"]["clamd"]["transport"] == "socket"


def test_a_database_that_fails_gives_503_never_500(client):
    def refuse(execute, sql, params, many, context):
        raise OperationalError("could not connect to server at db.internal")

    with connection.execute_wrapper(refuse):
        response = client.get("/health/")

    assert response.status_code == 503
    checks = response.json()["checks"]
    assert checks["database"]["status"] == "fail"
    assert checks["database"]["error"] == "OperationalError"
    assert checks["task_queue"]["status"] == "fail"
    assert "db.internal" not in response.content.decode()


def _old_ready_task(age: timedelta) -> DBTaskResult:
    task = DBTaskResult.objects.create(
        args_kwargs={"args": [], "kwargs": {}},
        task_path="tests.ops.sample_tasks.log_and_audit",
        backend_name="default",
    )
    DBTaskResult.objects.filter(pk=task.pk).update(enqueued_at=timezone.now() - age)
    return task


def test_a_late_task_queue_degrades_without_failing_by_default(client):
    _old_ready_task(timedelta(minutes=20))

    response = client.get("/health/")

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "degraded"
    assert body["checks"]["task_queue"]["status"] == "fail"
    assert body["checks"]["task_queue"]["ready"] == 1
    assert body["checks"]["task_queue"]["oldest_ready_age_seconds"] >= 20 * 60


def test_a_late_task_queue_answers_503_when_declared_critical(client, settings):
    settings.FILIERE_HEALTH_CRITICAL = ["database", "disk", "clamd", "task_queue"]
    _old_ready_task(timedelta(minutes=20))

    assert client.get("/health/").status_code == 503


def test_a_task_deferred_to_later_is_not_late(client):
    task = _old_ready_task(timedelta(hours=2))
    DBTaskResult.objects.filter(pk=task.pk).update(run_after=timezone.now() + timedelta(hours=1))

    checks = client.get("/health/").json()["checks"]

    assert checks["task_queue"] == {
        "status": "ok",
        "critical": False,
        "ready": 0,
        "oldest_ready_age_seconds": 0.0,
        "max_age_seconds": 300.0,
    }


def test_a_full_disk_answers_503(client, settings):
    settings.FILIERE_HEALTH_MIN_FREE_BYTES = 10**18

    response = client.get("/health/")

    assert response.status_code == 503
    assert response.json()["checks"]["disk"]["status"] == "fail"


def test_the_checks_cost_two_queries(client, django_assert_num_queries):
    with django_assert_num_queries(2):
        client.get("/health/")


def test_signed_in_staff_without_a_second_factor_are_not_sent_to_set_one_up(client):
    sign_in(client, user_with_role(Role.STAFF, with_totp=False))

    response = client.get("/health/")

    assert response.status_code == 200


def test_only_reading_is_allowed(client):
    assert client.post("/health/").status_code == 405


def test_the_proxy_s_plain_http_probe_is_not_sent_to_https(client, settings):
    settings.SECURE_SSL_REDIRECT = True

    assert client.get("/health/").status_code == 200
    assert client.get("/metrics").status_code == 200
    assert client.get(reverse("ui:home")).status_code == 301


def test_a_probe_addressed_to_the_server_s_own_address_is_answered(client):
    # The proxy asks 10.0.0.3:8000, which is no public host name of the platform.
    response = client.get("/health/", HTTP_HOST="10.0.0.3:8000")

    assert response.status_code == 200
