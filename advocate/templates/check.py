"""`templates check`: every letter (or the files named) read, checked and trial-rendered; FILE:LINE problems."""

from pathlib import Path

from advocate.errors import TemplateProblem
from advocate.templates import letters, render


def check_files(paths: list[Path]) -> tuple[int, list[str]]:
    """(letters checked, problem lines); no paths: every letter in use."""
    problems: list[str] = []
    found: list[letters.Letter] = []
    if paths:
        for path in paths:
            try:
                found.append(letters.read(path, "user"))
            except TemplateProblem as problem:
                problems.append(str(problem))
    else:
        found, problems = letters.readable_letters()
    for letter in found:
        problems += render.check(letter)
    return len(found), problems
