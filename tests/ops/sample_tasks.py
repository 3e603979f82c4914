"""A task for the tests: it logs a line and writes an audit entry, as real tasks do."""

import logging

from django_tasks import task

from filiere.audit.services import record

logger = logging.getLogger("filiere.tests.ops")


@task()
def log_and_audit(word: str) -> None:
    logger.warning("the task says %s", word)
    record(actor=None, action="ops.test.task", data={"word": word})
