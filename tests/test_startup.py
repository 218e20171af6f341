"""Start-up: `main` builds only the command asked for, which behaves exactly as in the whole app, and a
lookup or a letter loads only the modules it needs (bench/startup.py measures the time)."""

import os
import subprocess
import sys

import pytest

from advocate import cli

MODULES = ("requests", "urllib3", "rich", "jinja2", "yaml", "sqlite3", "advocate.opendata.update",
           *(f"advocate.cli.{m}" for m in ("batch", "log", "write", "templates", "data", "ask")))  # fmt: skip
RUN = (
    "import sys\nfrom advocate.cli import main\nsys.argv = ['advocate', *sys.argv[1:]]\n"
    "try:\n    main()\nexcept SystemExit as e:\n    assert not e.code, e.code\n"
    "print('LOADED', sorted(m for m in {modules!r} if m in sys.modules))\n"
)


def loaded(home, *args: str) -> list[str]:
    env = {**os.environ, "ADVOCATE_HOME": str(home), "ADVOCATE_TODAY": "2026-11-24"}
    code = RUN.format(modules=MODULES)
    out = subprocess.run([sys.executable, "-c", code, *args], env=env, capture_output=True, text=True, check=True)
    return eval(out.stdout.rsplit("LOADED ", 1)[1])  # noqa: S307 - our own print of a list of names


def test_a_lookup_loads_no_other_command_and_no_heavy_library(home):
    assert loaded(home, "reps", "lookup", "--country", "US", "--zip", "10001", "--json") == []


def test_a_letter_loads_only_what_a_letter_needs(home):
    args = ("write", "--country", "US", "--zip", "10001", "--district", "12", "--template", "asylum",
            "--name", "Alex Doe", "--format", "text")  # fmt: skip
    loaded(home, *args)  # the first letter reads the front matter with YAML and keeps it
    assert loaded(home, *args) == ["advocate.cli.log", "advocate.cli.write", "jinja2", "sqlite3"]
    assert loaded(home, *args, "--no-log") == ["advocate.cli.write", "jinja2"]


def all_argvs() -> list[list[str]]:
    argvs = []
    for name, (_, _, group) in cli.COMMANDS.items():
        argvs += [[name, "--help"], [name, "--no-such-option"], [name]]
        if group:
            sub = cli.build(name).registered_groups[0].typer_instance
            assert sub is not None
            argvs += [[name, c.name or "", "--help"] for c in sub.registered_commands]
            argvs += [[name, "no-such-command"]]
    return argvs


@pytest.mark.parametrize("argv", all_argvs(), ids=" ".join)
def test_each_command_alone_behaves_as_in_the_whole_app(cli, argv):
    from typer.testing import CliRunner

    from advocate.cli import build

    alone = CliRunner().invoke(build(argv[0]), argv)
    whole = CliRunner().invoke(build(), argv)
    assert (alone.exit_code, alone.stdout, alone.stderr) == (whole.exit_code, whole.stdout, whole.stderr)


def test_only_a_command_name_first_builds_one_command(monkeypatch):
    assert cli.asked_for(["reps", "lookup"]) == "reps"
    assert cli.asked_for(["followup", "3"]) == "followup"
    for args in ([], ["--version"], ["-h"], ["rep", "lookup"], ["--help", "reps"]):
        assert cli.asked_for(args) is None, args
    monkeypatch.setenv("_ADVOCATE_COMPLETE", "complete_bash")
    assert cli.asked_for(["reps"]) is None
