"""Services publish events; the work that follows (scans, receipts, e-mails) runs only once their
transaction has committed, through the handlers that calls/tasks.py registers."""

import dataclasses

import pytest
from django.db import transaction

from filiere.calls import events


@dataclasses.dataclass(frozen=True)
class Happened:
    value: int


@pytest.fixture
def handled():
    seen: list[int] = []
    events.handles(Happened)(lambda event: seen.append(event.value))
    yield seen
    events._handlers.pop(Happened)


def test_every_event_has_its_handler_once_django_is_ready():
    kinds = [getattr(events, name) for name in events.__all__]
    published = [kind for kind in kinds if dataclasses.is_dataclass(kind)]
    assert len(published) == 8
    assert all(kind in events._handlers for kind in published)


@pytest.mark.django_db
def test_the_handler_runs_after_the_commit(handled, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            events.publish(Happened(1))
        assert handled == []  # the test's own transaction has not committed yet
    assert handled == [1]


@pytest.mark.django_db
def test_nothing_follows_a_change_that_was_rolled_back(handled, django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        events.publish(Happened(2))
        raise RuntimeError("the service failed after publishing")
    assert callbacks == []
    assert handled == []


def test_an_event_without_handler_is_refused_where_it_is_published():
    with pytest.raises(LookupError, match="Happened"):
        events.publish(Happened(3))
