"""What every command shares: the error-to-exit mapping, the shared options, and small output helpers.

Every core error is an AdvocateError; ``run`` prints it as one line on stderr and exits 1.
Usage errors (a missing or malformed option) are Typer's and exit 2.
"""

import functools
import json
import sys
from collections.abc import Callable
from typing import Annotated, Any, ParamSpec, TypeVar

import typer

from advocate.errors import AdvocateError, error_line

P = ParamSpec("P")
R = TypeVar("R")


def err(line: str) -> None:
    print(line, file=sys.stderr)


def run(func: Callable[P, R]) -> Callable[P, R]:
    """Map AdvocateError to one line on stderr and exit 1 — the one place that does."""

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return func(*args, **kwargs)
        except AdvocateError as error:
            err(error_line(error))
            raise typer.Exit(code=1) from None
        except KeyboardInterrupt:
            err("Interrupted.")
            raise typer.Exit(code=130) from None

    return wrapper


def warn_stale(*keys: str, members: bool = True) -> None:
    from advocate.opendata import store

    for key in keys:
        line = store.stale_warning(key, members)
        if line:
            err(line)


def print_json(value: Any) -> None:
    sys.stdout.write(json.dumps(value, ensure_ascii=False, indent=2) + "\n")


def on_terminal() -> bool:
    return sys.stdout.isatty()


def interactive() -> bool:
    """Prompt only when a person is at the keyboard; scripts get an error naming the flag."""
    return sys.stdin.isatty() and sys.stderr.isatty()


def bad_choice(value: str, choices: tuple[str, ...], flag: str, aliases: dict[str, str] | None = None) -> str:
    """``value`` as one of ``choices`` (case does not matter; ``aliases`` are other spellings), else a
    usage error (exit 2)."""
    wanted = value.strip().casefold()
    wanted = (aliases or {}).get(wanted, wanted)
    for choice in choices:
        if choice.casefold() == wanted:
            return choice
    raise typer.BadParameter(f"{value!r} is not one of {', '.join(choices)}", param_hint=flag)


def letter_width() -> int:
    """Letters on a terminal wrap at its width, but never wider than 88 columns (lines stay readable)."""
    import shutil

    return max(20, min(shutil.get_terminal_size().columns, 88))


def styled() -> bool:
    """Bold and colour on stdout: on a terminal, unless NO_COLOR is set (https://no-color.org)."""
    import os

    return on_terminal() and not os.environ.get("NO_COLOR")


Country = Annotated[str, typer.Option("--country", "-c", help="US, GB (or UK), DE, FR or INTL.")]
Json = Annotated[bool, typer.Option("--json", help="Print JSON (schema in the README).")]

# The place options, shared by `reps lookup`, `write` and `templates preview`.
Zip = Annotated[str | None, typer.Option("--zip", help="US ZIP code (5 digits; ZIP+4 accepted).")]
State = Annotated[str | None, typer.Option("--state", help="US state code, e.g. NY.")]
District = Annotated[int | None, typer.Option("--district", help="US congressional district number.")]
Constituency = Annotated[str | None, typer.Option("--constituency", help="UK constituency name.")]
Council = Annotated[str | None, typer.Option("--council", help="UK local council name.")]
Postcode = Annotated[str | None, typer.Option("--postcode", help="German PLZ or French code postal.")]
Wahlkreis = Annotated[int | None, typer.Option("--wahlkreis", help="German Wahlkreis number.")]
Department = Annotated[str | None, typer.Option("--department", help="French département, e.g. 75, 2A.")]
Circo = Annotated[int | None, typer.Option("--circo", help="French circonscription number.")]
Template = Annotated[str | None, typer.Option("--template", "-t", help="Letter name (advocate templates list).")]
