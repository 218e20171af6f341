"""`advocate data`: info, update, reset."""

import contextlib
import sys
from typing import Annotated

import typer

from advocate.cli.common import Json, err, print_json, run
from advocate.errors import error_line

app = typer.Typer(
    help="The data: what it is, how old, whose; update it from upstream or reset it.",
    no_args_is_help=True,
    rich_markup_mode=None,
)

Countries = Annotated[
    list[str] | None,
    typer.Option("--country", "-c", metavar="CC", help="Only this country (repeatable): US, GB (or UK), DE, FR, INTL."),
]


@app.command("info")
@run
def data_info(as_json: Json = False) -> None:
    """Show each dataset: members, as-of date, valid-until, copy in use, source, licence and credit."""
    from advocate.lookup import views
    from advocate.opendata import info

    infos = info.info()
    if as_json:
        print_json(infos)
    else:
        sys.stdout.write(views.datasets_text(infos))


@app.command("update")
@run
def data_update(
    countries: Countries = None,
    sources: Annotated[
        list[str] | None,
        typer.Option("--source", metavar="NAME=URL", help="Download source NAME from URL instead (repeatable)."),
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Download and check, list who left and joined; replace nothing.")
    ] = False,
    accept_changes: Annotated[
        bool,
        typer.Option(
            "--accept-changes",
            help="Install a copy even with e-mails or forms outside the allow-list (check them first).",
        ),
    ] = False,
    as_json: Json = False,
) -> None:
    """Download the latest data from its upstream sources, check it, and use it if it passes."""
    from advocate.opendata import contacts, update

    overrides = update.parse_sources(sources or [])
    keys = update.select(countries or [], overrides)
    if sys.stderr.isatty():
        from advocate.cli.views import download_bar

        bar, report = download_bar()
    else:
        bar, report = contextlib.nullcontext(), None
    with bar:
        outcomes = update.update(keys, overrides, dry_run=dry_run, progress=report, accept_changes=accept_changes)
    if as_json:
        print_json([o.as_json() for o in outcomes])
    for o in outcomes:
        if o.status == "failed":
            err(error_line(o.message))
        elif as_json:
            continue
        elif o.status == "skipped":
            print(o.message)
        else:
            done = "updated" if o.status == "updated" else "checked, nothing replaced (--dry-run)"
            change = f"{len(o.left)} left, {len(o.joined)} joined" if o.left or o.joined else "no one left or joined"
            print(f"{o.dataset}: {done} — {o.members} members, as of {o.as_of}; {change}")
            print("".join(f"  left: {p['name']} [{p['id']}]\n" for p in o.left), end="")
            print("".join(f"  joined: {p['name']} [{p['id']}]\n" for p in o.joined), end="")
            if o.changed:
                found = [contacts.Change(**c) for c in o.changed]
                print(f"  {contacts.summary(o.dataset, found)}:")
                print("".join(f"  changed: {c.line()}\n" for c in found), end="")
            print("".join(f"  note: {note}\n" for note in o.notes), end="")
    if any(o.status == "failed" for o in outcomes):
        raise typer.Exit(code=1)


@app.command("reset")
@run
def data_reset(countries: Countries = None) -> None:
    """Delete your updated copies (all, or --country): the bundled data answers again."""
    from advocate.opendata import store, update

    for line in update.reset(store.datasets_for(countries)):
        print(line)
