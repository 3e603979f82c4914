"""Registrations arriving at once never exceed the capacity (a lock on the event's row; on
PostgreSQL ``select_for_update``, on SQLite immediate transactions)."""

import threading

import pytest
from django.db import connection, connections

from filiere.errors import ServiceError
from filiere.events import services
from filiere.events.models import Registration, RegistrationStatus
from tests.accounts.factories import UserFactory
from tests.events.factories import event


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_simultaneous_registrations_never_exceed_the_capacity():
    day = event(capacity=3)
    users = [UserFactory() for _ in range(8)]
    barrier = threading.Barrier(len(users))
    problems = []

    def register(user):
        try:
            barrier.wait()
            services.register(event=day, user=user)
        except ServiceError as error:  # pragma: no cover - reported below
            problems.append(error.code)
        except Exception as error:  # pragma: no cover - reported below
            problems.append(repr(error))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=register, args=(u,)) for u in users]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert problems == []
    statuses = list(Registration.objects.filter(event=day).values_list("status", flat=True))
    assert statuses.count(RegistrationStatus.REGISTERED) == 3
    assert statuses.count(RegistrationStatus.WAITLISTED) == 5
    assert connection.vendor in ("postgresql", "sqlite")
