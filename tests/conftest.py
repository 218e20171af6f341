import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
RAW = Path(os.environ.get("ADVOCATE_RAW_DATA", ROOT.parent / "shared" / "data"))
TODAY = "2026-11-24"


@pytest.fixture(autouse=True)
def isolated(tmp_path, monkeypatch):
    """Every test gets its own ADVOCATE_HOME, a pinned date and a plain, fixed-width terminal."""
    from advocate.opendata import store

    monkeypatch.setenv("ADVOCATE_HOME", str(tmp_path / "home"))
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


def need_raw():
    if not (RAW / "README.md").is_file():
        pytest.skip(f"raw open data not found at {RAW} (set ADVOCATE_RAW_DATA); CI has it beside the clone")
    return RAW
