"""Arrows run one way (ADR 30): `marmot` (core) <- `indicators` <- `workstreams`.

Read from the source, so a new import anywhere in a package is caught, however
deep in a function it hides."""

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# URL aggregation is where the core meets the apps, by design.
CORE_URL_AGGREGATION = {
    ROOT / "marmot" / "urls.py",
    ROOT / "marmot" / "api" / "urls.py",
}


def imported_packages(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


def offences(package: str, forbidden: set[str], exempt=frozenset()) -> list[str]:
    found = []
    for path in sorted((ROOT / package).rglob("*.py")):
        if path in exempt:
            continue
        for name in sorted(imported_packages(path) & forbidden):
            found.append(f"{path.relative_to(ROOT)} imports {name}")
    return found


@pytest.mark.parametrize(
    ("package", "forbidden", "exempt"),
    [
        ("marmot", {"indicators", "workstreams"}, CORE_URL_AGGREGATION),
        ("indicators", {"workstreams"}, frozenset()),
    ],
)
def test_arrows_run_one_way(package, forbidden, exempt):
    assert offences(package, forbidden, exempt) == []


def test_the_check_sees_an_import_inside_a_function(tmp_path):
    module = tmp_path / "m.py"
    module.write_text("def f():\n    from workstreams.models import Action\n")
    assert imported_packages(module) == {"workstreams"}


LOAD = re.compile(r"{%\s*load\s+(.*?)\s*%}")
# The tag libraries an app's templates may load, besides Django's and core's.
MAY_LOAD = {
    "marmot": set(),
    "indicators": {"indicators"},
    "workstreams": {"indicators", "workstreams"},
}


def template_owner(path: Path) -> str:
    """The app a template belongs to by its folder; core otherwise."""
    parts = path.relative_to(ROOT / "templates").parts
    return next(
        (app for app in ("workstreams", "indicators") if app in parts), "marmot"
    )


def app_libraries(app: str) -> set[str]:
    return {p.stem for p in (ROOT / app / "templatetags").glob("[!_]*.py")}


def test_templates_load_tags_one_way():
    """The arrows hold in templates too: core's templates load no app's tag
    library, indicators' none of workstreams'."""
    found = []
    for path in sorted((ROOT / "templates").rglob("*")):
        if not path.is_file():
            continue
        allowed = MAY_LOAD[template_owner(path)]
        loaded = {
            name for names in LOAD.findall(path.read_text()) for name in names.split()
        }
        for app in {"indicators", "workstreams"} - allowed:
            for name in sorted(loaded & app_libraries(app)):
                found.append(f"{path.relative_to(ROOT)} loads {app}'s {name}")
    assert found == []


def test_no_test_module_imports_another():
    """Shared builders live in conftest.py or fixtures modules, never in a
    test module another one imports (a test module is for pytest to run)."""
    found = []
    for path in sorted((ROOT / "tests").rglob("*.py")):
        tree = ast.parse(path.read_text(), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module:
                modules = [node.module]
            elif isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            else:
                continue
            for module in modules:
                if module.startswith("tests.") and any(
                    part.startswith("test_") for part in module.split(".")
                ):
                    found.append(f"{path.relative_to(ROOT)} imports {module}")
    assert found == []
