"""Data several tests share, loaded once and rolled back after them."""

from contextlib import contextmanager

from django.db import transaction


@contextmanager
def rolled_back_after(django_db_blocker):
    """A transaction around data that several tests share, rolled back when
    they are done: like Django's ``setUpTestData``. Each test's own transaction
    is a savepoint inside it, so what a test writes is undone after that test
    and the shared data after the last one."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
