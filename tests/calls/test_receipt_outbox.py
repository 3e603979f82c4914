"""With production's task queue (a table of the database), the receipt of a submission is queued
inside the submission's transaction: a process killed right after the commit cannot lose it
(before, it was queued by an after-commit callback that a killed app server never ran), and a
submission rolled back leaves no receipt behind."""

import pytest
from django.core import mail
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from filiere.calls.models import Submission
from filiere.calls.services.submission import submit_application
from filiere.calls.tasks import send_receipt

from .test_submission import complete_draft

pytestmark = pytest.mark.django_db


@pytest.fixture
def database_queue(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def receipts_queued() -> list[dict]:
    return [
        task.args_kwargs["kwargs"]
        for task in DBTaskResult.objects.filter(task_path=send_receipt.module_path)
    ]


def test_the_receipt_is_queued_with_the_submission_not_after_it(
    database_queue, django_capture_on_commit_callbacks
):
    application = complete_draft()
    # No after-commit callback is run: as if the process died once the transaction committed.
    with django_capture_on_commit_callbacks(execute=False), transaction.atomic():
        submission = submit_application(application=application, by=application.lead)
    assert receipts_queued() == [{"submission_id": submission.pk}]


def test_a_submission_rolled_back_leaves_no_receipt(database_queue):
    application = complete_draft()
    with pytest.raises(RuntimeError), transaction.atomic():
        submit_application(application=application, by=application.lead)
        raise RuntimeError("the request failed after the submission")
    assert not Submission.objects.exists()
    assert receipts_queued() == []


def test_a_queue_elsewhere_still_waits_for_the_commit(django_capture_on_commit_callbacks):
    # The suite's immediate backend stands for a queue outside the database.
    application = complete_draft()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        submit_application(application=application, by=application.lead)
    assert DBTaskResult.objects.count() == 0
    assert mail.outbox == []  # nothing sent before the commit
    for callback in callbacks:
        callback()
    assert application.lead.email in [to for message in mail.outbox for to in message.to]
