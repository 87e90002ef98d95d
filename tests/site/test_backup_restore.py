"""The backup and restore in docs/operations.md work: `pg_dump -Fc` of the
database, `pg_restore --clean --if-exists` into a fresh database, and the rows
are all there. Runs on PostgreSQL with the client tools installed (as in CI,
which sets DATABASE_URL to PostgreSQL); skipped on SQLite."""

import os
import shutil
import subprocess
import uuid

import pytest
from django.db import connection

from tests.workstreams.factories import ActionFactory, ProgressUpdateFactory
from workstreams.models import Action, ProgressUpdate, Workplan, Workstream

TOOLS = ("pg_dump", "pg_restore", "createdb", "dropdb", "psql")

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="backup and restore are for PostgreSQL (set DATABASE_URL)",
    ),
    pytest.mark.skipif(
        not all(shutil.which(tool) for tool in TOOLS),
        reason="PostgreSQL client tools (pg_dump, pg_restore, ...) not installed",
    ),
]

TABLES = [Workstream, Workplan, Action, ProgressUpdate]


def client_args_and_env() -> tuple[list[str], dict]:
    """Connection options for the PostgreSQL client tools, from Django's."""
    settings = connection.settings_dict
    args = []
    if settings.get("HOST"):
        args += ["--host", settings["HOST"]]
    if settings.get("PORT"):
        args += ["--port", str(settings["PORT"])]
    if settings.get("USER"):
        args += ["--username", settings["USER"]]
    env = dict(os.environ)
    if settings.get("PASSWORD"):
        env["PGPASSWORD"] = settings["PASSWORD"]
    return args, env


def run(command: list[str], env: dict) -> None:
    # Our own fixed commands, arguments from Django's connection settings.
    result = subprocess.run(command, env=env, capture_output=True, text=True)  # noqa: S603
    assert result.returncode == 0, result.stderr


def row_counts(args: list[str], env: dict, database: str) -> dict[str, int]:
    counts = {}
    for model in TABLES:
        table = model._meta.db_table
        result = subprocess.run(  # noqa: S603 - fixed command, as in run()
            ["psql", *args, "--dbname", database, "--tuples-only", "--no-align"]
            + ["--command", f'SELECT count(*) FROM "{table}"'],  # noqa: S608 - from _meta
            env=env,
            capture_output=True,
            text=True,
        )
        assert result.returncode == 0, result.stderr
        counts[table] = int(result.stdout.strip())
    return counts


def test_dump_and_restore_keep_every_row(tmp_path):
    for action in ActionFactory.create_batch(3):
        ProgressUpdateFactory.create_batch(2, action=action)
    expected = {model._meta.db_table: model.objects.count() for model in TABLES}
    assert expected[Action._meta.db_table] == 3
    assert expected[ProgressUpdate._meta.db_table] == 6

    args, env = client_args_and_env()
    source = connection.settings_dict["NAME"]
    dump = tmp_path / "marmot.dump"
    run(["pg_dump", *args, "-Fc", "--file", str(dump), source], env)
    assert dump.stat().st_size > 0

    scratch = f"marmot_restore_{uuid.uuid4().hex[:12]}"
    run(["createdb", *args, scratch], env)
    try:
        run(
            ["pg_restore", *args, "--clean", "--if-exists", "--no-owner"]
            + ["--dbname", scratch, str(dump)],
            env,
        )
        assert row_counts(args, env, scratch) == expected
        # Restoring again over the restored copy (the documented way to roll
        # back a live database) works too.
        run(
            ["pg_restore", *args, "--clean", "--if-exists", "--no-owner"]
            + ["--dbname", scratch, str(dump)],
            env,
        )
        assert row_counts(args, env, scratch) == expected
    finally:
        run(["dropdb", *args, "--if-exists", scratch], env)
