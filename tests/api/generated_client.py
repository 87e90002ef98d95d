"""The typed Python client an integrator generates from the API's schema, made
once per test session with openapi-python-client (a test-only dependency).

``generated_client`` (a session fixture: a test module imports it, ``from
tests.api.generated_client import generated_client``) gives a
``GeneratedClient``: the generator's output, and the package put on
``sys.path`` as ``marmot_client``, so tests and the end-to-end script import it
as an integrator would (``from marmot_client import AuthenticatedClient``).
"""

import importlib
import os
import pkgutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from django.core.management import call_command
from django.test import Client

PACKAGE = "marmot_client"
# The generator and ruff (which it runs on what it writes) live beside the
# interpreter in the virtualenv.
BIN = Path(sys.executable).parent


@dataclass(frozen=True)
class GeneratedClient:
    schema: Path  # the schema it was generated from (YAML)
    package_dir: Path  # .../marmot_client, its parent on sys.path
    output: str  # what the generator printed (stdout and stderr)
    returncode: int

    @property
    def module_names(self) -> list[str]:
        return [PACKAGE] + [
            info.name
            for info in pkgutil.walk_packages([str(self.package_dir)], f"{PACKAGE}.")
        ]


def generate_client(directory: Path) -> GeneratedClient:
    """Write the schema (as ``manage.py spectacular`` does) into ``directory``
    and generate the client package from it, as the docs tell integrators."""
    schema = directory / "schema.yaml"
    call_command("spectacular", "--file", str(schema))
    package_dir = directory / PACKAGE
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
    result = subprocess.run(  # noqa: S603 (our own executable, fixed arguments)
        [
            str(BIN / "openapi-python-client"),
            "generate",
            "--path",
            str(schema),
            "--meta",
            "none",
            "--output-path",
            str(package_dir),
        ],
        capture_output=True,
        text=True,
        env=env,
        cwd=directory,
        check=False,
        timeout=300,
    )
    return GeneratedClient(
        schema=schema,
        package_dir=package_dir,
        output=result.stdout + result.stderr,
        returncode=result.returncode,
    )


@pytest.fixture(scope="session")
def generated_client(tmp_path_factory):
    """The generated client, importable as ``marmot_client`` for the session."""
    client = generate_client(tmp_path_factory.mktemp("generated"))
    sys.path.insert(0, str(client.package_dir.parent))
    importlib.invalidate_caches()
    yield client
    sys.path.remove(str(client.package_dir.parent))
    for name in [n for n in sys.modules if n.split(".")[0] == PACKAGE]:
        del sys.modules[name]


class DjangoTransport(httpx.BaseTransport):
    """An httpx transport that hands each request to Django's test client, so
    the generated client talks to this process's app and test database (and
    every answer passes the schema check of ``tests.api.schema_validation``),
    with no server, port or thread."""

    def __init__(self):
        self.django = Client()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        headers = {
            name: value
            for name, value in request.headers.items()
            if name.lower() not in ("host", "content-length", "content-type")
        }
        answer = self.django.generic(
            request.method,
            request.url.raw_path.decode(),
            data=request.read(),
            content_type=request.headers.get("content-type", ""),
            headers=headers,
        )
        body = (
            b"".join(answer.streaming_content) if answer.streaming else answer.content
        )
        return httpx.Response(
            answer.status_code, headers=list(answer.items()), content=body
        )


def httpx_args() -> dict:
    """What an integrator's script passes as ``httpx_args`` to the generated
    ``Client``/``AuthenticatedClient`` to reach the app in-process."""
    return {"transport": DjangoTransport()}
