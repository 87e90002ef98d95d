"""The data version (marmot.site.data_version, ADR 15): every kind of write to
the programme's tables moves it, at once and again after the commit, whichever
path sends it (the ORM, raw SQL, the admin, a service, an import command);
reads, sessions, sign-in attempts, API tokens and the mail queue do not."""

import io

import pytest
from django.core import mail
from django.core.mail import send_mail
from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from indicators.models import Area, IndicatorValue
from marmot import roles
from marmot.site.data_version import data_version, is_data_write
from marmot.site.page_cache import CACHE_SECONDS
from tests.conftest import user_with_role
from tests.indicators.area_fixtures import AREAS_CSV, areas_world
from tests.indicators.factories import AreaFactory
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
        # SQLite's conflict clauses (bulk_create(ignore_conflicts=True) there)
        ('INSERT OR IGNORE INTO "workstreams_organisation" ("name") VALUES', True),
        ('REPLACE INTO "indicators_trend" ("value_id") VALUES (%s)', True),
        ('UPDATE OR ROLLBACK "indicators_trend" SET "label" = %s', True),
        # a comment before the statement (a hand-written data fix)
        ('/* fix */ UPDATE "indicators_indicatorvalue" SET "value" = 1', True),
        ('-- fix\n  DELETE FROM "workstreams_action" WHERE id = 1', True),
        ("-- SELECT only\nSELECT 1", False),
        # API tokens and the mail queue: nothing a page shows
        ('INSERT INTO "knox_authtoken" ("digest") VALUES (%s)', False),
        ('DELETE FROM "knox_authtoken" WHERE "knox_authtoken"."expiry" < %s', False),
        ('INSERT INTO "mailer_message" ("message_data") VALUES (%s)', False),
        ('UPDATE "mailer_message" SET "priority" = %s WHERE "priority" = %s', False),
        ('INSERT INTO "mailer_messagelog" ("result") VALUES (%s)', False),
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
    Organisation.objects.bulk_create(
        [Organisation(name="Luton Rotary")], ignore_conflicts=True
    )
    assert moved()  # SQLite: INSERT OR IGNORE; PostgreSQL: ON CONFLICT DO NOTHING
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
def test_signing_in_and_browsing_do_not_move_it(settings):
    settings.AXES_ENABLED = True  # a failed sign-in is recorded (axes' tables)
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


@pytest.mark.django_db
def test_an_admin_edit_and_an_admin_bulk_delete_move_it(admin_client):
    area = AreaFactory(name="Luton", code="E06000032")
    OrganisationFactory.create_batch(2)
    before = data_version()
    edited = admin_client.post(
        reverse("admin:indicators_area_change", args=[area.pk]),
        {"name": "Luton borough", "code": area.code, "area_type": area.area_type},
    )
    assert edited.status_code == 302
    assert Area.objects.get(pk=area.pk).name == "Luton borough"
    after_edit = data_version()
    assert after_edit > before
    deleted = admin_client.post(
        reverse("admin:workstreams_organisation_changelist"),
        {
            "action": "delete_selected",
            "post": "yes",
            "_selected_action": list(Organisation.objects.values_list("pk", flat=True)),
        },
    )
    assert deleted.status_code == 302
    assert not Organisation.objects.exists()
    assert data_version() > after_edit


@pytest.mark.django_db
def test_an_api_write_through_a_service_moves_it():
    client = APIClient()
    client.force_authenticate(user_with_role(roles.OFFICER))
    before = data_version()
    response = client.post(
        "/api/v1/organisations/", {"name": "By script", "kind": "nhs"}, format="json"
    )
    assert response.status_code == 201
    assert data_version() > before


@pytest.mark.django_db
def test_an_import_command_moves_it():
    areas_world(import_file=False)
    before = data_version()
    call_command("import_fingertips", str(AREAS_CSV), "--quiet", stdout=io.StringIO())
    assert IndicatorValue.objects.exists()
    assert data_version() > before


@pytest.mark.django_db
def test_api_tokens_issued_used_and_revoked_do_not_move_it():
    officer = user_with_role(roles.OFFICER, username="scripts")
    officer.set_password("a-long-passphrase-1")
    officer.save()
    before = data_version()
    client = APIClient()
    issued = client.post(
        "/api/v1/auth/token/",
        {"username": "scripts", "password": "a-long-passphrase-1"},
        format="json",
    )
    assert issued.status_code == 200
    client.credentials(HTTP_AUTHORIZATION=f"Token {issued.json()['token']}")
    assert client.get("/api/v1/organisations/").status_code == 200
    assert client.post("/api/v1/auth/logout/").status_code == 204
    assert data_version() == before


@pytest.mark.django_db
def test_queueing_and_sending_mail_do_not_move_it(settings):
    settings.EMAIL_BACKEND = "mailer.backend.DbBackend"
    settings.MAILER_EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    before = data_version()
    send_mail("Reminder", "Your update is due.", None, ["chair@example.org"])
    call_command("send_mail", verbosity=0)
    call_command("retry_deferred", verbosity=0)  # an UPDATE, even of no row
    assert [message.subject for message in mail.outbox] == ["Reminder"]
    assert data_version() == before


@pytest.mark.django_db
def test_its_limits_it_reads_statements_not_their_effect():
    """Module docstring, "Its limits": a write that matches no row still moves
    it; one sent past Django's cursor (the driver's own) is not seen, and only
    the cache entries' expiry bounds it."""
    organisation = OrganisationFactory(name="Luton Foodbank")
    before = data_version()
    Organisation.objects.filter(pk=organisation.pk + 1000).update(name="nobody")
    assert data_version() > before
    before = data_version()
    with connection.cursor() as cursor:
        cursor.cursor.execute(
            f"UPDATE {Organisation._meta.db_table} SET name = 'unseen'"  # noqa: S608
            f" WHERE id = {organisation.pk:d}"
        )
    organisation.refresh_from_db()
    assert organisation.name == "unseen"
    assert data_version() == before
    assert CACHE_SECONDS <= 5 * 60
