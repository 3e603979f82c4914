"""Put back in the queue the tasks a worker was running when it died (ExecStartPre of
filiere-worker@.service): ``python deploy/requeue_interrupted.py filiere-worker-1``.

django-tasks' db_worker marks a task RUNNING with its worker id when it takes it, and SUCCESSFUL
or FAILED when it ends. A worker killed in between (SIGKILL, out of memory, power) leaves the task
RUNNING for ever: nobody runs it again. Each worker of the layout has a fixed id, so when
``filiere-worker@N`` starts, a task still RUNNING under its id was cut by its previous life and is
made READY again. Delivery becomes at-least-once: a task cut after its e-mail left but before its
row said so (milliseconds) sends that e-mail again; the bench counts it.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path


def requeue(worker_id: str) -> int:
    from django.db import transaction
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    with transaction.atomic():
        cut = [
            row.pk
            for row in DBTaskResult.objects.select_for_update()
            .filter(status=TaskResultStatus.RUNNING)
            .only("pk", "worker_ids")
            if row.worker_ids and row.worker_ids[-1] == worker_id
        ]
        DBTaskResult.objects.filter(pk__in=cut).update(
            status=TaskResultStatus.READY, started_at=None
        )
    return len(cut)


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "filiere.settings")
    import django

    django.setup()
    count = requeue(argv[1])
    if count:
        print(f"{argv[1]}: {count} interrupted task(s) queued again")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
