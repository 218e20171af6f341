"""Shared bits of the benchmark scripts: alternate runs, medians, the Typer floor app."""

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

FLOOR_APP = """
import typer

app = typer.Typer()


@app.command()
def hello() -> None:
    print("hello")


@app.command()
def bye() -> None:
    print("bye")


app()
"""


def bin_dir() -> Path:
    """The folder of the running venv's scripts (advocate, mailmerge)."""
    return Path(sys.executable).parent


def floor_command(tmp: Path) -> list[str]:
    app = tmp / "floor_app.py"
    app.write_text(FLOOR_APP, encoding="utf-8")
    return [sys.executable, str(app), "hello"]


def bench_env() -> dict[str, str]:
    """The environment for measured runs: bytecode caching on, as for anyone who installed advocate
    (a shell with PYTHONDONTWRITEBYTECODE=1 would otherwise recompile every module on every run)."""
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def run_once(cmd: list[str], cwd: Path, stdin: bytes | None = None) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, cwd=cwd, input=stdin, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True,
                   env=bench_env())  # fmt: skip
    return time.perf_counter() - start


def alternate(commands: dict[str, list[str]], runs: int, cwd: Path, warmup: int = 2) -> dict[str, float]:
    """Median wall time (seconds) of each command, runs interleaved so machine noise hits all alike."""
    for _ in range(warmup):
        for cmd in commands.values():
            run_once(cmd, cwd)
    samples: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, cmd in commands.items():
            samples[name].append(run_once(cmd, cwd))
    return {name: statistics.median(values) for name, values in samples.items()}
