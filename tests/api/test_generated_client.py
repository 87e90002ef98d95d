"""The proof of issue 18's first half: the typed client openapi-python-client
generates from our schema comes out without warnings, passes ruff, and every
module of it imports (docs/api.md tells integrators to generate it so)."""

import importlib
import inspect
import subprocess

from tests.api.generated_client import BIN, generated_client  # noqa: F401


def test_the_generator_reports_nothing(generated_client):  # noqa: F811
    assert generated_client.returncode == 0, generated_client.output
    assert "warning" not in generated_client.output.lower(), generated_client.output
    assert "error" not in generated_client.output.lower(), generated_client.output


def test_the_generated_package_passes_ruff(generated_client):  # noqa: F811
    # ruff's own default rules (pyflakes and the syntax checks), not this
    # project's configuration: undefined names were the defect (issue 18).
    result = subprocess.run(  # noqa: S603 (our own executable, fixed arguments)
        [str(BIN / "ruff"), "check", "--isolated", "--no-cache", "--quiet", "."],
        cwd=generated_client.package_dir,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_generated_module_imports(generated_client):  # noqa: F811
    names = generated_client.module_names
    assert "marmot_client.api.actions.actions_partial_update" in names
    assert "marmot_client.models.action" in names
    for name in names:
        importlib.import_module(name)


def test_writes_send_json_and_nullable_links_are_optional(generated_client):  # noqa: F811
    """What the broken client got wrong: write modules built multipart bodies,
    and nullable nested objects were not ``X | None``."""
    partial_update = importlib.import_module(
        "marmot_client.api.actions.actions_partial_update"
    )
    models = importlib.import_module("marmot_client.models")
    parameters = inspect.signature(partial_update._get_kwargs).parameters
    headers = {"if_match": '"3"'} if "if_match" in parameters else {}
    kwargs = partial_update._get_kwargs(
        id=1, body=models.PatchedActionRequest(title="New title"), **headers
    )
    assert kwargs["json"] == {"title": "New title"}
    assert "files" not in kwargs and "data" not in kwargs
    assert kwargs["headers"]["Content-Type"] == "application/json"
    workstream = importlib.import_module("marmot_client.models.workstream")
    annotation = workstream.Workstream.__annotations__["current_workplan"]
    assert "None" in str(annotation)
