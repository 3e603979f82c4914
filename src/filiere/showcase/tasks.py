"""Background work of the showcase (django-tasks; run ``manage.py db_worker``): the antivirus
scan of an uploaded image, enqueued once the upload's transaction has committed."""

from __future__ import annotations

from django_tasks import task

from filiere.calls import events

from . import services
from .events import ImageUploaded


@task()
def scan_image(image_id: int) -> str:
    return services.scan_image(image_id=image_id)


@events.handles(ImageUploaded)
def _scan_image(event: ImageUploaded) -> None:
    scan_image.enqueue(image_id=event.image_id)
