"""The command line: parse, call the core, print, pick the exit code. Nothing else lives here.

One module per command group (reps, write, batch, templates, data), ``common`` for the error-to-exit
mapping and shared options, ``views`` for the terminal views. Commands import the core lazily,
inside the function, so that `advocate reps lookup` loads only what a lookup needs.
"""

from typing import Annotated

import typer

from advocate import __version__
from advocate.cli import batch, data, log, reps, style, templates, write

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
app.add_typer(reps.app, name="reps")
app.add_typer(templates.app, name="templates")
app.add_typer(data.app, name="data")
app.command("write")(write.write)
app.command("batch")(batch.batch)
app.add_typer(log.app, name="log")
app.command("followup")(log.followup)


def _version(value: bool) -> None:
    if value:
        print(f"advocate {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")
    ] = False,
) -> None:
    """Write to your own lawmakers about the persecution of gay and bisexual men in Chechnya."""


style.conventions(app)


def main() -> None:
    app()
