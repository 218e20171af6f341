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
