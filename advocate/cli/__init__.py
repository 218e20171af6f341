"""The command line: parse, call the core, print, pick the exit code. Nothing else lives here.

One module per command group (reps, write, batch, templates, data, log), ``common`` for the error-to-exit
mapping and shared options, ``views`` for the terminal views. Commands import the core lazily, inside the
function, and ``main`` builds only the command that was asked for (``advocate reps lookup`` neither imports
nor builds write, batch or log), so that a lookup loads only what a lookup needs.
"""

import gc
import importlib
import os
import sys
from functools import cache
from typing import Annotated

import typer

from advocate import __version__

# Command name → (module under advocate.cli, attribute, a group of commands?), in the order --help lists them.
COMMANDS = {
    "reps": ("reps", "app", True),
    "templates": ("templates", "app", True),
    "data": ("data", "app", True),
    "write": ("write", "write", False),
    "batch": ("batch", "batch", False),
    "log": ("log", "app", True),
    "followup": ("log", "followup", False),
}


def _version(value: bool) -> None:
    if value:
        print(f"advocate {__version__}")
        raise typer.Exit()


def main_options(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")
    ] = False,
) -> None:
    """Write to your own lawmakers about the persecution of gay and bisexual men in Chechnya."""


@cache
def build(only: str | None = None) -> typer.Typer:
    """The app with every command, or with just ``only`` (what the others would add is never seen then)."""
    from advocate.cli import style

    app = typer.Typer(
        name="advocate",
        help="Write to your own lawmakers about the persecution of gay and bisexual men in Chechnya. "
        "Offline, from bundled open data. Nothing is ever sent for you.",
        no_args_is_help=True,
        add_completion=True,
        rich_markup_mode=None,
        pretty_exceptions_show_locals=False,
        context_settings={"help_option_names": ["-h", "--help"]},
    )
    for name, (module, attribute, group) in COMMANDS.items():
        if only in (None, name):
            target = getattr(importlib.import_module(f"advocate.cli.{module}"), attribute)
            if group:
                app.add_typer(target, name=name)
            else:
                app.command(name)(target)
    app.callback()(main_options)
    style.conventions(app)
    return app


def asked_for(args: list[str]) -> str | None:
    """The command a command line names first, when the app needs no other: not for top-level options,
    unknown names (their error suggests the others) or shell completion (which lists them all)."""
    if not args or args[0] not in COMMANDS or any(k.endswith("_COMPLETE") for k in os.environ):
        return None
    return args[0]


def __getattr__(name: str) -> typer.Typer:
    if name == "app":  # the whole app, for tests and tools: `from advocate.cli import app`
        return build()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def main() -> None:
    try:
        build(asked_for(sys.argv[1:]))()
    finally:
        # The process ends here. Python's last collections would walk every object start-up made (~25 ms,
        # an eighth of a lookup); objects outside reference cycles are still freed and closed as usual.
        gc.freeze()
