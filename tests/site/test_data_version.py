"""The data version (marmot.site.data_version, ADR 15): every kind of write to
the programme's tables moves it, at once and again after the commit; reads,
sessions and sign-in attempts do not."""

import pytest
from django.db import connection, transaction
from django.test import Client

from marmot.site.data_version import data_version, is_data_write
from tests.workstreams.factories import OrganisationFactory, UserFactory
from workstreams.models import Organisation


@pytest.mark.parametrize(
    ("sql", "writes"),
    [
        ('INSERT INTO "workstreams_action" ("title") VALUES (%s)', True),
        ('  update "indicators_indicatorvalue" SET "value" = 1', True),
        ('DELETE FROM "workstreams_progressupdate" WHERE id = 1', True),
        ('TRUNCATE "indicators_assessment", "indicators_trend"', True),
        ("TRUNCATE TABLE indicators_trend", True),
        ('SELECT "id" FROM "workstreams_action"', False),
        # the importers' merges: PostgreSQL's data-modifying WITH
        (
            'WITH merged AS (INSERT INTO "indicators_indicatorvalue" AS t ("a")'
            ' SELECT "a" FROM staging s ON CONFLICT ("a") DO UPDATE SET "a" = 1'
            " RETURNING 1) SELECT count(*) FROM merged",
            True,
        ),
        ("WITH gone AS (DELETE FROM indicators_trend t RETURNING 1) SELECT 1", True),
        ("WITH x AS (SELECT 1) SELECT * FROM x", False),
        ('WITH s AS (DELETE FROM "django_session" RETURNING 1) SELECT 1', False),
        ('MERGE INTO "indicators_trend" t USING s ON t.id = s.id', True),
        ("SELECT nextval(to_regclass('marmot_data_version'))", False),
        ('UPDATE "django_session" SET "expire_date" = now()', False),
        ('INSERT INTO "axes_accessattempt" ("username") VALUES (%s)', False),
        ("UPDATE marmot_data_version SET value = value + 1 WHERE id = 1", False),
        ('UPDATE "auth_user" SET "last_login" = %s WHERE "auth_user"."id" = %s', False),
        ('UPDATE "auth_user" SET "last_login" = %s, "first_name" = %s', True),
    ],
)
def test_which_statements_are_data_writes(sql, writes):
    assert is_data_write(sql) is writes


@pytest.mark.django_db
def test_every_kind_of_write_moves_it_at_once():
    seen = [data_version()]

    def moved():
        seen.append(data_version())
        return seen[-1] != seen[-2]

    organisation = OrganisationFactory(name="Luton Foodbank")
    assert moved()  # save (insert)
    organisation.name = "Luton Food Bank"
    organisation.save()
    assert moved()  # save (update)
    Organisation.objects.filter(pk=organisation.pk).update(name="LFB")
    assert moved()  # queryset update: no signals
    Organisation.objects.bulk_create([Organisation(name="Age Concern Luton")])
    assert moved()  # bulk insert: no signals
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {Organisation._meta.db_table} SET name = %s WHERE id = %s",  # noqa: S608
            ["renamed", organisation.pk],
        )
    assert moved()  # raw SQL
    Organisation.objects.all().delete()
    assert moved()  # delete
    assert list(Organisation.objects.all()) == []
    assert not moved()  # reads never move it


@pytest.mark.django_db
def test_it_moves_again_after_the_commit_once_per_transaction(
    django_capture_on_commit_callbacks,
):
    before = data_version()
    capture = django_capture_on_commit_callbacks(execute=True)
    with capture as callbacks, transaction.atomic():
        OrganisationFactory.create_batch(3)
        inside = data_version()
    assert inside > before
    assert len(callbacks) == 1  # three writes, one move after the commit
    assert data_version() > inside


@pytest.mark.django_db
def test_a_rolled_back_savepoint_does_not_lose_the_move_after_commit(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks() as callbacks, transaction.atomic():
        try:
            with transaction.atomic():
                OrganisationFactory()
                raise RuntimeError
        except RuntimeError:
            pass
        OrganisationFactory()
    assert len(callbacks) == 1


@pytest.mark.django_db
def test_signing_in_and_browsing_do_not_move_it():
    user = UserFactory(username="reader")
    user.set_password("a-long-passphrase-1")
    user.save()
    client = Client()
    client.get("/")
    before = data_version()
    client.post("/accounts/login/", {"username": "reader", "password": "wrong"})
    client.get("/")
    assert data_version() == before
    signed_in = client.post(
        "/accounts/login/", {"username": "reader", "password": "a-long-passphrase-1"}
    )
    assert signed_in.status_code == 302  # signed in: last_login stamped
    client.get("/")
    assert data_version() == before
