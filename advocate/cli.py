"""The command line: parse, call the core, print, pick the exit code. Nothing else lives here.

Every core error is an AdvocateError; ``_run`` prints it as one line on stderr and exits 1.
Usage errors (a missing or malformed option) are Typer's and exit 2.
"""

import functools
import json
import sys
from collections.abc import Callable
from typing import Annotated, Any, TypeVar

import typer

from . import __version__
from .errors import AdvocateError

app = typer.Typer(
    name="advocate",
    help="Write to your own lawmakers about the persecution of gay and bisexual men in Chechnya. "
    "Offline, from bundled open data. Nothing is ever sent for you.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
    pretty_exceptions_show_locals=False,
)
reps_app = typer.Typer(help="Find lawmakers and recipients.", no_args_is_help=True, rich_markup_mode=None)
data_app = typer.Typer(
    help="The bundled data: what it is, how old, whose.", no_args_is_help=True, rich_markup_mode=None
)
app.add_typer(reps_app, name="reps")
app.add_typer(data_app, name="data")

F = TypeVar("F", bound=Callable[..., Any])


def err(line: str) -> None:
    print(line, file=sys.stderr)


def _run(func: F) -> F:
    """Map AdvocateError to one line on stderr and exit 1 — the one place that does."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except AdvocateError as error:
            err(f"Error: {error}")
            raise typer.Exit(code=1) from None
        except KeyboardInterrupt:
            err("Interrupted.")
            raise typer.Exit(code=130) from None

    return wrapper  # type: ignore[return-value]


def warn_stale(*keys: str) -> None:
    from . import store

    for key in keys:
        line = store.stale_warning(key)
        if line:
            err(line)


def print_json(value: Any) -> None:
    sys.stdout.write(json.dumps(value, ensure_ascii=False, indent=2) + "\n")


def on_terminal() -> bool:
    return sys.stdout.isatty()


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


# ---------------------------------------------------------------- reps

Country = Annotated[str, typer.Option("--country", "-c", help="US, GB (or UK), DE, FR or INTL.")]
Json = Annotated[bool, typer.Option("--json", help="Print JSON (schema in the README).")]


def _people_table(people: list[dict[str, Any]], title: str | None = None) -> None:
    from rich.console import Console
    from rich.table import Table

    from .listing import contact_summary, role_line

    table = Table(title=title, show_lines=True, title_justify="left")
    for column in ("Name", "Role", "Contact", "ID"):
        table.add_column(column, overflow="fold")
    for p in people:
        table.add_row(p["name"], role_line(p), "\n".join(contact_summary(p)), p["id"])
    Console().print(table)


@reps_app.command("lookup")
@_run
def reps_lookup(
    country: Country,
    zip_code: Annotated[str | None, typer.Option("--zip", help="US ZIP code (5 digits; ZIP+4 accepted).")] = None,
    state: Annotated[str | None, typer.Option("--state", help="US state code, e.g. NY.")] = None,
    district: Annotated[int | None, typer.Option("--district", help="US congressional district number.")] = None,
    constituency: Annotated[str | None, typer.Option("--constituency", help="UK constituency name.")] = None,
    council: Annotated[str | None, typer.Option("--council", help="UK local council name.")] = None,
    postcode: Annotated[str | None, typer.Option("--postcode", help="German PLZ or French code postal.")] = None,
    wahlkreis: Annotated[int | None, typer.Option("--wahlkreis", help="German Wahlkreis number.")] = None,
    department: Annotated[str | None, typer.Option("--department", help="French département, e.g. 75, 2A.")] = None,
    circo: Annotated[int | None, typer.Option("--circo", help="French circonscription number.")] = None,
    as_json: Json = False,
) -> None:
    """Find the lawmakers for a place: ZIP, constituency, council, PLZ, postcode or département."""
    from . import listing, store
    from .lookup import lookup

    result = lookup(
        country,
        zip_code=zip_code,
        state=state,
        district=district,
        constituency=constituency,
        council=council,
        postcode=postcode,
        wahlkreis=wahlkreis,
        department=department,
        circo=circo,
    )
    warn_stale(store.dataset_for(country))
    if as_json:
        print_json(result.as_json())
    elif on_terminal():
        _people_table(result.people, listing.result_header(result))
        for note in result.notes:
            print(f"Note: {note}")
        if result.also:
            print("Also from your state (list mandates): " + ", ".join(p["name"] for p in result.also))
    else:
        sys.stdout.write(listing.result_text(result))


@reps_app.command("show")
@_run
def reps_show(
    person_id: Annotated[str, typer.Argument(help="An id from lookup or search.")], as_json: Json = False
) -> None:
    """Show one person or office by id, with every channel the data holds."""
    from . import listing, reps, store

    person = reps.show(person_id)
    warn_stale(store.dataset_for(person["country"]))
    if as_json:
        print_json(person)
    else:
        sys.stdout.write(listing.person_text(person) + "\n")
        for office in person["channels"].get("offices") or []:
            phone = f" — {office['phone']}" if office.get("phone") else ""
            sys.stdout.write(f"  office: {', '.join(office['lines'])}{phone}\n")


@reps_app.command("search")
@_run
def reps_search(
    text: Annotated[str, typer.Argument(help="Part of a name, e.g. 'nadler'.")],
    country: Annotated[str | None, typer.Option("--country", "-c", help="Only this country.")] = None,
    as_json: Json = False,
) -> None:
    """Search people by name across all countries (case and accents don't matter)."""
    from . import listing, reps

    found = reps.search(text, country)
    if as_json:
        print_json(found)
    elif not found:
        err(f"No one found for {text!r}.")
        raise typer.Exit(code=1)
    elif on_terminal():
        _people_table(found)
    else:
        sys.stdout.write(listing.people_text(found))


@reps_app.command("list")
@_run
def reps_list(
    country: Country,
    state: Annotated[str | None, typer.Option("--state", help="Only this state / Land / département.")] = None,
    as_json: Json = False,
) -> None:
    """List everyone in one country's data."""
    from . import listing, reps, store

    people = reps.all_people(country)
    if state:
        wanted = state.strip().casefold()
        people = [p for p in people if (p.get("state") or "").casefold() == wanted]
    warn_stale(store.dataset_for(country))
    if as_json:
        print_json(people)
    elif on_terminal():
        _people_table(people)
    else:
        sys.stdout.write(listing.people_text(people))


# ---------------------------------------------------------------- data


@data_app.command("info")
@_run
def data_info(as_json: Json = False) -> None:
    """Show each dataset: members, as-of date, valid-until, copy in use, source, licence and credit."""
    from . import datainfo, listing

    infos = datainfo.info()
    if as_json:
        print_json(infos)
    else:
        sys.stdout.write(listing.datasets_text(infos))


def main() -> None:
    app()
