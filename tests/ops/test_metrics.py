"""/metrics: the Prometheus text, for the allowed addresses and the token only."""

import pytest
from django.core import mail
from django.core.mail import send_mail
from django.db import OperationalError, connection
from prometheus_client.parser import text_string_to_metric_families

from filiere.calls.services.design import update_call
from filiere.ops.models import MailFailure
from tests.calls.apply_factories import pdf_bytes, upload
from tests.calls.design_factories import DesignCallFactory
from tests.factories import user_with_role

from .conftest import ELSEWHERE

pytestmark = pytest.mark.django_db


def _families(response) -> dict:
    return {f.name: f for f in text_string_to_metric_families(response.content.decode())}


def _value(family, **labels) -> float:
    return next(
        s.value for s in family.samples if all(s.labels.get(k) == v for k, v in labels.items())
    )


def test_loopback_reads_the_metrics_in_prometheus_text_format(client):
    client.get("/health/")

    response = client.get("/metrics")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain; version=0.0.4")
    assert response["Cache-Control"] == "no-store"
    families = _families(response)
    requests = families["filiere_http_requests"]
    assert _value(requests, method="GET", route="ops:health", status="2xx") >= 1
    assert "filiere_http_request_duration_seconds" in families
    assert _value(families["filiere_database_up"]) == 1
    assert _value(families["filiere_tasks_ready"]) == 0
    assert _value(families["filiere_mail_failures"]) == 0


def test_every_scanned_file_kind_is_counted(client):
    families = _families(client.get("/metrics"))

    kinds = {s.labels["file"] for s in families["filiere_scans_pending"].samples}
    assert kinds >= {
        "calls.document.file",
        "calls.message.attachment",
        "calls.call.rules_pdf",
        "awards.agreement.signed_copy",
        "awards.paymentproof.file",
        "awards.report.file",
    }


def test_a_path_no_route_answers_is_counted_under_one_label(client):
    client.get("/no/such/page/12345/")

    families = _families(client.get("/metrics"))

    assert _value(families["filiere_http_requests"], route="unmatched", status="4xx") >= 1
    assert "/no/such/page/12345/" not in client.get("/metrics").content.decode()


def test_a_failed_mail_is_recorded_and_counted(client, settings, closed_port):
    settings.EMAIL_BACKEND = "filiere.ops.mail.RecordingEmailBackend"
    settings.FILIERE_EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = closed_port

    with pytest.raises(ConnectionRefusedError):
        send_mail("Subject", "Body", None, ["someone@example.org"])
    assert send_mail("Subject", "Body", None, ["other@example.org"], fail_silently=True) == 0

    failures = list(MailFailure.objects.values_list("messages", "error"))
    assert failures == [(1, "ConnectionRefusedError"), (1, "ConnectionRefusedError")]
    assert _value(_families(client.get("/metrics"))["filiere_mail_failures"]) == 2


def test_a_mail_that_goes_is_handed_to_the_real_backend(settings):
    settings.EMAIL_BACKEND = "filiere.ops.mail.RecordingEmailBackend"
    settings.FILIERE_EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

    assert send_mail("Subject", "Body", None, ["someone@example.org"]) == 1

    assert [m.to for m in mail.outbox] == [["someone@example.org"]]
    assert not MailFailure.objects.exists()


def test_other_addresses_get_404(client):
    assert client.get("/metrics", REMOTE_ADDR=ELSEWHERE).status_code == 404


def test_an_allowed_network_reads_them(client, settings):
    settings.FILIERE_METRICS_ALLOWED_IPS = ["203.0.113.0/24"]

    assert client.get("/metrics", REMOTE_ADDR=ELSEWHERE).status_code == 200
    assert client.get("/metrics").status_code == 404  # loopback is no longer listed


def test_the_token_opens_them_from_anywhere(client, settings):
    settings.FILIERE_MONITORING_TOKEN = "scrape-token-0123456789"

    ok = client.get(
        "/metrics", REMOTE_ADDR=ELSEWHERE, HTTP_AUTHORIZATION="Bearer scrape-token-0123456789"
    )
    wrong = client.get("/metrics", REMOTE_ADDR=ELSEWHERE, HTTP_AUTHORIZATION="Bearer nope")

    assert ok.status_code == 200
    assert wrong.status_code == 404


def test_no_token_configured_means_no_bearer_gets_in(client, settings):
    settings.FILIERE_MONITORING_TOKEN = ""

    response = client.get("/metrics", REMOTE_ADDR=ELSEWHERE, HTTP_AUTHORIZATION="Bearer ")

    assert response.status_code == 404


def test_through_an_undeclared_proxy_loopback_is_not_trusted(client, settings):
    # A proxy on the same machine forwards everyone from 127.0.0.1.
    settings.FILIERE_TRUSTED_PROXY_COUNT = 0

    response = client.get("/metrics", HTTP_X_FORWARDED_FOR=ELSEWHERE)

    assert response.status_code == 404


def test_behind_a_declared_proxy_the_forwarded_address_decides(client, settings):
    settings.FILIERE_TRUSTED_PROXY_COUNT = 1

    assert client.get("/metrics", HTTP_X_FORWARDED_FOR=ELSEWHERE).status_code == 404
    assert client.get("/metrics", HTTP_X_FORWARDED_FOR="127.0.0.1").status_code == 200


def test_a_database_that_fails_gives_database_up_zero(client):
    def refuse(execute, sql, params, many, context):
        raise OperationalError("down")

    with connection.execute_wrapper(refuse):
        response = client.get("/metrics")

    assert response.status_code == 200
    families = _families(response)
    assert _value(families["filiere_database_up"]) == 0
    assert "filiere_tasks_ready" not in families


def test_a_file_waiting_for_the_antivirus_is_counted_and_a_missing_file_is_not(
    client, django_capture_on_commit_callbacks
):
    DesignCallFactory()  # no rules PDF: its status says "pending", but there is no file
    call = DesignCallFactory()
    with django_capture_on_commit_callbacks(execute=True):  # no scanner: the file stays pending
        update_call(
            call=call, by=user_with_role("staff"), data={}, rules_pdf=upload("r.pdf", pdf_bytes())
        )

    families = _families(client.get("/metrics"))

    assert _value(families["filiere_scans_pending"], file="calls.call.rules_pdf") == 1
    assert _value(families["filiere_scans_failed"], file="calls.call.rules_pdf") == 0
    assert _value(families["filiere_scans_pending"], file="calls.document.file") == 0
