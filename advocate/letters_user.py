"""The user's own letters folder: start a letter from a bundled one, never overwriting."""

import re
from pathlib import Path

from . import templates
from .errors import OutputProblem, TemplateProblem
from .files import write_atomic
from .resources import user_letters_dir

_NAME = re.compile(r"^[a-z0-9][a-z0-9-]{0,40}$")


def new_letter(name: str, source: str | None = None) -> list[Path]:
    """Copy every variant of bundled letter ``source`` (default ``name``) to the user folder as ``name``."""
    if not _NAME.match(name):
        raise TemplateProblem(
            f"{name!r} is not a letter name; use lowercase letters, digits and dashes, e.g. my-letter"
        )
    origin = [x for x in templates.family(source or name) if x.origin == "bundled"]
    if not origin:
        raise TemplateProblem(f"no bundled letter called {source or name!r}; see `advocate templates list`")
    folder = user_letters_dir()
    written = []
    for letter in origin:
        suffix = letter.path.name[len(letter.name) :]  # ".en-us.j2"
        target = folder / f"{name}{suffix}"
        if target.exists():
            raise OutputProblem(f"{target} already exists; edit it, or choose another name")
        text = letter.path.read_text(encoding="utf-8")
        if name != letter.name:
            text = re.sub(r"(?m)^name:\s*\S+\s*$", f"name: {name}", text, count=1)
        write_atomic(target, text.encode("utf-8"))
        written.append(target)
    return written
