"""Fixtures for every test module (shared helpers that are not fixtures live in tests/helpers.py)."""

from pathlib import Path

import pytest

from tests.helpers import TODAY


@pytest.fixture(autouse=True)
def isolated(home, monkeypatch):
    """Every test gets its own ADVOCATE_HOME, a pinned date and a plain, fixed-width terminal."""
    from advocate.opendata import store

    monkeypatch.setenv("ADVOCATE_HOME", str(home))
    monkeypatch.setenv("ADVOCATE_TODAY", TODAY)
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("TERMINAL_WIDTH", "100")
    monkeypatch.setenv("_TYPER_FORCE_DISABLE_TERMINAL", "1")
    store.load.cache_clear()
    yield
    store.load.cache_clear()


@pytest.fixture(scope="session", autouse=True)
def _one_click_command():
    """Build the Click command of the app once per session, not in every ``CliRunner.invoke`` (~10 ms each,
    a fifth of the quick suite). The command is stateless: each invocation makes its own context."""
    import typer.testing

    build = typer.testing._get_command  # fails loudly if a Typer upgrade renames it
    built = {}

    def cached(app):
        if id(app) not in built:
            built[id(app)] = (app, build(app))  # the app is kept so its id is never reused
        return built[id(app)][1]

    typer.testing._get_command = cached
    yield
    typer.testing._get_command = build


@pytest.fixture
def cli():
    """Run the CLI in-process: cli(*args) → result with exit_code, stdout, stderr."""
    from typer.testing import CliRunner

    from advocate.cli import app

    runner = CliRunner()

    def run(*args, input=None):
        return runner.invoke(app, list(args), input=input, catch_exceptions=False)

    return run


@pytest.fixture
def home(tmp_path) -> Path:
    """The user folder every test gets (ADVOCATE_HOME, set by ``isolated``)."""
    return tmp_path / "home"
