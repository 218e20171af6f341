"""The README is a test: its set-up commands and its examples with their real output."""

import re
import shlex

from tests.helpers import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def blocks(kind):
    return re.findall(rf"```{kind}\n(.*?)```", README, flags=re.S)


def test_setup_is_two_commands_and_ci_runs_the_same_test_command():
    install, tests = blocks("sh")[:2]
    assert install.count("\n") == 1 and tests.count("\n") == 1
    assert "pip install -e '.[test]'" in install and "advocate write" in install
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert tests.strip() in ci.splitlines()


def test_the_main_job_runs(cli):
    install = blocks("sh")[0]
    args = shlex.split(install.split(".venv/bin/advocate", 1)[1])
    r = cli(*args)
    assert r.exit_code == 0, r.output
    assert r.stdout.count("\nSubject: ") + r.stdout.startswith("Subject: ") == 3
    for name in ("Senator Schumer", "Senator Gillibrand", "Representative Nadler"):
        assert f"Dear {name}," in r.stdout


def test_console_examples_print_what_the_readme_shows(cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    examples = blocks("console")
    assert len(examples) >= 4
    for block in examples:
        command, *expected = block.rstrip("\n").split("\n")
        assert command.startswith("$ advocate ")
        r = cli(*shlex.split(command[len("$ advocate ") :]))
        assert r.exit_code == 0, (command, r.output)
        shown = r.stdout + r.stderr  # a console shows both
        if expected and expected[-1] == "…":
            assert shown.startswith("\n".join(expected[:-1]) + "\n"), command
        else:
            assert shown == "\n".join(expected) + "\n", command


def test_every_other_sh_block_is_the_development_block_and_its_commands_run():
    """Examples with output are `console` blocks (run above); the one other `sh` block holds the development
    commands: the checks are the ones .ci/run makes, and the scripts start (`--help`)."""
    import subprocess
    import sys

    others = blocks("sh")[2:]
    assert len(others) == 1, "a new sh block: make it a console block with its real output, or run it here"
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    for line in others[0].strip().splitlines():
        command = line.split("  #", 1)[0].strip()
        for part in (p.strip() for p in command.split("&&")):
            argv = shlex.split(part)
            if argv[0].endswith(("/ruff", "/mypy")):
                assert part in ci, part
            else:
                assert argv[0] == ".venv/bin/python", part
                script = [sys.executable, *argv[1:3]] if argv[1] == "-m" else [sys.executable, argv[1]]
                done = subprocess.run([*script, "--help"], cwd=ROOT, capture_output=True, text=True, timeout=60)
                assert done.returncode == 0 and "usage" in done.stdout.lower(), (part, done.stderr)
