"""The interactive path through a real pseudo-terminal (pexpect): what CliRunner cannot show — prompts as a
person sees them, Ctrl-C, a redirected stdout, the terminal's own width."""

import json
import os
import re
import shlex
import sys
from pathlib import Path

import pytest

pexpect = pytest.importorskip("pexpect")

WIDTH = 80


def spawn(home, *args: str, shell: str | None = None):
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES", "TERMINAL_WIDTH")}
    env["ADVOCATE_HOME"] = str(home)
    command = [str(Path(sys.executable).parent / "advocate"), *args]
    if shell is not None:  # e.g. "> out.txt": the command's stdout redirected, its stdin and stderr the terminal
        return pexpect.spawn("/bin/sh", ["-c", shlex.join(command) + " " + shell], env=env,
                             dimensions=(24, WIDTH), encoding="utf-8", timeout=30)  # fmt: skip
    return pexpect.spawn(command[0], command[1:], env=env, dimensions=(24, WIDTH), encoding="utf-8", timeout=30)


def answer(child, *pairs: tuple[str, str | None]) -> None:
    for expected, reply in pairs:
        child.expect(re.escape(expected))
        if reply is not None:
            child.sendline(reply)


def finish(child) -> str:
    child.expect(pexpect.EOF)
    child.close()
    return child.before.replace("\r\n", "\n")


def test_acceptance_1_a_typo_is_asked_again_at_once_and_german_letters_follow(home):
    child = spawn(home, "write")
    answer(child, ("Which country", "Germany"), ("Your postcode (PLZ)?", "10117"), ("Which letter?", "crackdwn"))
    child.expect("did you mean crackdown")
    child.expect(re.escape("Which letter?"))  # asked again before anything else
    child.sendline("crackdown")
    answer(child, ("Your name", "Alex Doe"), ("street address", ""), ("town or city", ""), ("e-mail", ""),
           ("own paragraph", ""))  # fmt: skip
    out = finish(child)
    assert child.exitstatus == 0, out
    assert out.count("Guten Tag ") >= 2 and "Mit freundlichen Grüßen\nAlex Doe\n10117\n" in out  # typed PLZ signs
    assert "Warning: no street address" in out
    letters = out[out.index("To: ") : out.index("Hint: ")].splitlines()
    assert len(letters) > 40 and all(len(line) <= WIDTH for line in letters)  # wrapped at 80 columns


def test_acceptance_2_redirected_stdout_holds_only_the_letters(home, tmp_path):
    target = tmp_path / "out.txt"
    child = spawn(home, "write", "-c", "DE", "--postcode", "10117", "-t", "crackdown", shell=f"> {target}")
    answer(child, ("Your name", "Alex Doe"), ("street address", ""), ("town or city", ""), ("e-mail", ""),
           ("own paragraph", ""))  # fmt: skip
    finish(child)
    assert child.exitstatus == 0
    text = target.read_text(encoding="utf-8")
    assert text.startswith("To: Hanna Steinmüller (Deutscher Bundestag)\n")
    for prompt in ("Your name", "Enter to skip", "Warning", "Hint"):
        assert prompt not in text


def test_ctrl_c_at_a_prompt_exits_130_saying_interrupted(home):
    child = spawn(home, "write")
    child.expect("Which country")
    child.sendintr()
    out = finish(child)
    assert child.exitstatus == 130 and "Interrupted" in out and "Aborted" not in out and "Traceback" not in out


def test_acceptance_3_lookup_at_80_columns_keeps_every_address_and_url_on_one_line(cli, home):
    found = json.loads(cli("reps", "lookup", "-c", "DE", "--postcode", "10117", "--json").stdout)
    wanted = set()
    for p in found["representatives"]:
        ch = p["channels"]
        web = ch.get("contact_form") or ch.get("website")  # the website is shown when there is no form
        wanted |= {x for x in ((ch.get("email") or {}).get("address"), web) if x}
    child = spawn(home, "reps", "lookup", "-c", "DE", "--postcode", "10117")
    out = finish(child)
    assert child.exitstatus == 0 and len(wanted) >= 6
    lines = out.splitlines()
    for value in wanted:
        assert any(value in line for line in lines), value  # whole on one line
    assert max(len(line) for line in lines) <= WIDTH  # so the terminal does not fold a line either


def test_acceptance_4_help_and_completion(home):
    for args in (["-h"], ["write", "-h"]):
        child = spawn(home, *args)
        out = finish(child)
        assert child.exitstatus == 0 and out.startswith("Usage: advocate")
    child = spawn(home, "--show-completion", "bash")
    out = finish(child)
    assert child.exitstatus == 0 and "complete " in out and "_advocate_completion" in out
