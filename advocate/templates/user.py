"""The user's own letters folder: start a letter from a bundled one, never overwriting."""

import re
from pathlib import Path

from advocate.atomic import write_atomic
from advocate.errors import OutputProblem, TemplateProblem
from advocate.resources import bundled, user_letters_dir
from advocate.templates import letters as templates

_NAME = re.compile(r"^[a-z0-9][a-z0-9-]{0,40}$")


def new_letter(name: str, source: str | None = None) -> list[Path]:
    """Copy every variant of bundled letter ``source`` (default ``name``) to the user folder as ``name``."""
    if not _NAME.match(name):
        raise TemplateProblem(
            f"{name!r} is not a letter name; use lowercase letters, digits and dashes, e.g. my-letter"
        )
    source = source or name
    templates.family(source)  # an unknown name fails here, listing the letters there are
    # The bundled files themselves: a user file overriding one variant must not drop that variant.
    found = (templates.read(p, "bundled") for p in sorted(bundled("letters").glob(f"{source}.*{templates.SUFFIX}")))
    origin = [x for x in found if x.name == source]
    if not origin:
        raise TemplateProblem(f"no bundled letter called {source!r}; see `advocate templates list`")
    folder = user_letters_dir()
    targets = [folder / f"{name}{letter.path.name[len(letter.name) :]}" for letter in origin]  # ".en-us.j2"
    for target in targets:  # check all first, so a refusal leaves no half-made copy
        if target.exists():
            raise OutputProblem(f"{target} already exists; edit it, or choose another name")
    written = []
    for letter, target in zip(origin, targets, strict=True):
        text = letter.path.read_text(encoding="utf-8")
        if name != letter.name:
            text = re.sub(r"(?m)^name:\s*\S+\s*$", f"name: {name}", text, count=1)
        write_atomic(target, text.encode("utf-8"))
        written.append(target)
    return written
