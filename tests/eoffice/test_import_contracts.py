"""The import contracts of ARCHITECTURE.md hold, and fail on a violation.

- ``lint-imports`` (pyproject.toml ``[tool.importlinter]``: layers, independence, eoffice imports no app)
  passes on the real code, and fails on a copy of the code with a deliberate violation;
- no module uses a private name (``_x``) of another project module: neither ``from a.b import _x`` nor
  ``b._x`` on an imported module. ``python tests/eoffice/test_import_contracts.py`` lists them.

No database: the checks read the source.
"""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("eoffice", "workflow", "signing", "documents", "onestop", "meetings", "complaints")
# Scripts that import the apps; tests may reach into what they test and are not scanned.
SCRIPTS = ("bench",)
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


# ---- private names across modules ---------------------------------------------------------------------


def _is_private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def _module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _is_project_module(name: str, root: Path) -> bool:
    if name.split(".")[0] not in PACKAGES:
        return False
    base = root.joinpath(*name.split("."))
    return base.with_suffix(".py").is_file() or (base / "__init__.py").is_file()


def _resolve(node: ast.ImportFrom, module: str, is_package: bool) -> str:
    if not node.level:
        return node.module or ""
    parts = module.split(".")
    base = parts if is_package else parts[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join([*base, node.module] if node.module else base)


def _dotted(node: ast.expr) -> list[str] | None:
    names: list[str] = []
    while isinstance(node, ast.Attribute):
        names.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    names.append(node.id)
    return names[::-1]


def private_uses(path: Path, root: Path = ROOT) -> list[str]:
    """``file:line: name`` for each private name of another project module that ``path`` uses."""
    module = _module_name(path, root)
    is_package = path.name == "__init__.py"
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: list[str] = []
    bound: dict[str, str] = {}  # local name -> project module it stands for (any scope: names rarely clash)
    rel = path.relative_to(root)

    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if not _is_project_module(alias.name, root):
                    continue
                if alias.asname:
                    bound[alias.asname] = alias.name
                else:
                    bound[alias.name.split(".")[0]] = alias.name.split(".")[0]
                hidden = [p for p in alias.name.split(".")[1:] if _is_private(p)]
                if hidden:
                    found.append(f"{rel}:{node.lineno}: {alias.name}")
        elif isinstance(node, ast.ImportFrom):
            source = _resolve(node, module, is_package)
            if not _is_project_module(source, root) or source == module:
                continue
            for alias in node.names:
                target = f"{source}.{alias.name}"
                if _is_private(alias.name):
                    found.append(f"{rel}:{node.lineno}: {target}")
                elif _is_project_module(target, root):
                    bound[alias.asname or alias.name] = target

    for node in ast.walk(tree):
        if not isinstance(node, ast.Attribute) or not isinstance(node.ctx, ast.Load):
            continue
        names = _dotted(node)
        if not names or names[0] not in bound:
            continue
        current = bound[names[0]]
        for name in names[1:]:
            if _is_project_module(f"{current}.{name}", root):
                current = f"{current}.{name}"
                continue
            if _is_private(name) and current != module:
                found.append(f"{rel}:{node.lineno}: {current}.{name}")
            break
    return sorted(set(found), key=lambda s: (s.split(":")[0], int(s.split(":")[1]), s))


def scanned_files(root: Path = ROOT) -> list[Path]:
    files = []
    for top in (*PACKAGES, *SCRIPTS):
        files += [p for p in sorted((root / top).rglob("*.py")) if "migrations" not in p.parts]
    return files


def all_private_uses(root: Path = ROOT) -> list[str]:
    return [line for path in scanned_files(root) for line in private_uses(path, root)]


def test_no_module_uses_a_private_name_of_another_module():
    assert all_private_uses() == []


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("from documents.reports import _Row\n", ["documents.reports._Row"]),
        ("from documents import reports\nreports._lines([])\n", ["documents.reports._lines"]),
        ("import documents.reports\ndocuments.reports._text('')\n", ["documents.reports._text"]),
        ("import documents.reports as r\nr._Measure\n", ["documents.reports._Measure"]),
        ("from .reports import _Row\n", ["documents.reports._Row"]),
        ("from documents.reports import Row, __all__\nimport json\njson._default_encoder\n", []),
        ("from documents.reports import Row\nRow._private\n", []),  # a class's own business
    ],
)
def test_private_uses_finds_imports_and_attributes(tmp_path, source, expected):
    (tmp_path / "documents").mkdir()
    (tmp_path / "documents" / "__init__.py").write_text("")
    (tmp_path / "documents" / "reports.py").write_text("class Row: ...\n")
    (tmp_path / "documents" / "user.py").write_text(source)
    uses = private_uses(tmp_path / "documents" / "user.py", tmp_path)
    assert [line.split(": ", 1)[1] for line in uses] == expected


def test_a_module_may_use_its_own_private_names(tmp_path):
    (tmp_path / "signing").mkdir()
    (tmp_path / "signing" / "__init__.py").write_text("")
    (tmp_path / "signing" / "engine.py").write_text("from signing.engine import _x\n_x = 1\n")
    assert private_uses(tmp_path / "signing" / "engine.py", tmp_path) == []


# ---- Celery: a task imports its service inside its body ------------------------------------------------


def module_level_project_imports(path: Path) -> list[str]:
    """The project modules that ``path`` imports at import time (outside any function)."""
    found = []
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Import):
            found += [a.name for a in node.names if a.name.split(".")[0] in PACKAGES]
        elif isinstance(node, ast.ImportFrom):
            source = "." * node.level + (node.module or "")
            if node.level or source.split(".")[0] in PACKAGES:
                if source.endswith(".tasks") or all(a.name == "tasks" for a in node.names):
                    continue  # a sub-package's tasks module, registered through the app's (checked too)
                found.append(source)
    return found


@pytest.mark.parametrize("app", PACKAGES)
def test_tasks_import_their_services_inside_the_task(app):
    """ARCHITECTURE.md: services queue tasks (``transaction.on_commit``); a task imports its service in
    its body and calls it, so that importing the tasks module (Celery's autodiscovery) loads no service.
    An app's tasks module may import a sub-package's tasks module (documents.exchange.tasks), which keeps
    the same rule."""
    paths = sorted((ROOT / app).rglob("tasks.py"))
    if not paths:
        pytest.skip(f"{app} has no tasks")
    for path in paths:
        assert module_level_project_imports(path) == [], path


# ---- URLs through the app registry ---------------------------------------------------------------------


def test_each_app_mounts_its_urls_through_the_registry():
    from django.urls import reverse

    from eoffice import routes

    assert [r.prefix for r in routes.registered()] == [  # in the order of INSTALLED_APPS
        "work/",
        "signing/",
        "verify/",
        "documents/",
        "exchange/node/",
        "onestop/",
        "mot-cua/",
        "meetings/",
        "lich-cong-tac/",
        "complaints/",
        "don-thu/",
    ]
    assert all(r.urlconf.split(".")[0] in PACKAGES for r in routes.registered())
    assert reverse("public_verify", args=["abc"]) == "/verify/abc/"
    assert reverse("signing:verify") == "/signing/verify/"
    assert reverse("onestop_public:procedures") == "/mot-cua/"
    assert reverse("workflow:my_work") == "/work/"


def test_a_taken_url_prefix_is_refused():
    from eoffice import routes

    assert routes.register("work/", "workflow.urls").urlconf == "workflow.urls"  # the same again: no-op
    with pytest.raises(ValueError, match="already taken"):
        routes.register("work/", "somewhere.urls")
    assert len(routes.registered()) == 11


# ---- import-linter contracts ----------------------------------------------------------------------------


def _lint_imports(cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", "--no-logo"],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        env={"PYTHONPATH": str(cwd), "PATH": "/usr/bin:/bin", "COLUMNS": "200"},
    )


def test_the_contracts_hold():
    result = _lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.fixture(scope="module")
def code_copy(tmp_path_factory) -> Path:
    """The project's packages and contracts, copied to break them without touching the tree."""
    copy = tmp_path_factory.mktemp("contracts")
    for package in PACKAGES:
        shutil.copytree(ROOT / package, copy / package, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    shutil.copy(ROOT / "pyproject.toml", copy / "pyproject.toml")
    return copy


@pytest.mark.parametrize(
    ("module", "line", "contract"),
    [
        ("eoffice/violation.py", "from signing import views\n", "eoffice imports no business app"),
        ("eoffice/violation.py", "def f():\n    import documents.models\n", "eoffice imports no"),
        ("workflow/violation.py", "from documents import selectors\n", "Business apps -> documents"),
        ("workflow/violation.py", "import signing.services\n", "Business apps -> documents"),
        ("documents/violation.py", "from onestop import models\n", "Business apps -> documents"),
        ("documents/violation.py", "from meetings import rules\n", "Business apps -> documents"),
        ("meetings/violation.py", "from onestop import models\n", "independent of each other"),
        ("onestop/violation.py", "import meetings.selectors\n", "independent of each other"),
    ],
)
def test_a_violation_breaks_the_contracts(code_copy, module, line, contract):
    path = code_copy / module
    path.write_text(textwrap.dedent(line))
    try:
        result = _lint_imports(code_copy)
    finally:
        path.unlink()
    assert result.returncode != 0, result.stdout
    assert "BROKEN" in result.stdout
    broken = [row for row in result.stdout.splitlines() if row.endswith("BROKEN")]
    assert any(contract in row for row in broken), result.stdout
    assert module.replace("/", ".").removesuffix(".py") in result.stdout


def test_the_copy_passes_without_the_violation(code_copy):
    result = _lint_imports(code_copy)
    assert result.returncode == 0, result.stdout + result.stderr


if __name__ == "__main__":
    uses = all_private_uses()
    print("\n".join(uses))
    print(f"{len(uses)} private names of other modules used")
