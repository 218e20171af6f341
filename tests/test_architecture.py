"""The layers of the package (docs/architecture.md): every import points down, and only the CLI knows
typer and rich. Lazy imports inside functions count as much as those at the top of a module."""

import ast
from pathlib import Path

import pytest

from tests.helpers import ROOT

PACKAGE = ROOT / "advocate"
# Lower imports nothing from higher. The base modules (errors, text, atomic, resources, places, records)
# are rank 0; each subpackage has its rank; drafts may use templates, templates never drafts.
RANKS = {"importer": 1, "opendata": 2, "record": 3, "lookup": 3, "templates": 4, "drafts": 5, "batch": 6, "cli": 7}


def layer(module: str) -> str:
    """advocate.lookup.people → lookup; advocate.errors → (base)."""
    if module == "advocate.__main__":  # `python -m advocate` is the CLI
        return "cli"
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in RANKS else "(base)"


def rank(module: str) -> int:
    return RANKS.get(layer(module), 0)


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path: Path) -> list[tuple[int, str]]:
    """(line, imported module) for every import in the file, relative ones resolved."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = package.split(".")
            if node.level:
                base = base[: len(base) - node.level + 1]
                target = ".".join([*base, node.module] if node.module else base)
            else:
                target = node.module or ""
            found.append((node.lineno, target))
            # `from advocate import cli` imports the module advocate.cli
            found += [(node.lineno, f"{target}.{alias.name}") for alias in node.names if target == "advocate"]
    return found


def modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def upward() -> list[str]:
    wrong = []
    for path in modules():
        here = module_name(path)
        for line, target in imports(path):
            if target.startswith("advocate.") and rank(target) > rank(here):
                wrong.append(f"{path.relative_to(ROOT)}:{line}: {layer(here)} imports {target}")
    return wrong


def test_every_import_points_down():
    assert upward() == []


def test_only_the_cli_imports_typer_or_rich():
    found = [
        f"{path.relative_to(ROOT)}:{line}: {target}"
        for path in modules()
        if layer(module_name(path)) != "cli"
        for line, target in imports(path)
        if target.split(".")[0] in ("typer", "rich", "click")
    ]
    assert found == []


@pytest.mark.parametrize(
    ("module", "line"),
    [
        ("opendata/store.py", "from advocate.cli import app"),
        ("batch/run.py", "from advocate.cli.common import err"),
        ("lookup/people.py", "from advocate.templates import render"),
        ("lookup/views.py", "def f():\n    from advocate.drafts import text"),
        ("opendata/info.py", "from advocate.lookup import people"),
    ],
)
def test_an_upward_import_is_found(module, line, monkeypatch, tmp_path):
    """The check itself can fail: core importing the CLI, lookup importing templates or drafts (even lazily),
    opendata importing lookup."""
    copy = tmp_path / "advocate"
    path = copy / module
    path.parent.mkdir(parents=True)
    path.write_text((PACKAGE / module).read_text(encoding="utf-8") + f"\n\n{line}\n", encoding="utf-8")
    monkeypatch.setattr(f"{__name__}.ROOT", tmp_path)
    monkeypatch.setattr(f"{__name__}.PACKAGE", copy)
    assert len(upward()) == 1
