"""`advocate reps`: lookup, show, search, list."""

import sys
from typing import Annotated, Any

import typer

from advocate.cli.common import (
    Circo,
    Constituency,
    Council,
    Country,
    Department,
    District,
    Json,
    Postcode,
    State,
    Wahlkreis,
    Zip,
    err,
    on_terminal,
    print_json,
    run,
    styled,
    warn_stale,
)

app = typer.Typer(help="Find lawmakers and recipients.", no_args_is_help=True, rich_markup_mode=None)


@app.command("lookup")
@run
def reps_lookup(
    country: Country,
    zip_code: Zip = None,
    state: State = None,
    district: District = None,
    constituency: Constituency = None,
    council: Council = None,
    postcode: Postcode = None,
    wahlkreis: Wahlkreis = None,
    department: Department = None,
    circo: Circo = None,
    government: Annotated[
        bool, typer.Option("--government", help="The country's ministries instead (foreign and interior).")
    ] = False,
    as_json: Json = False,
) -> None:
    """Find the lawmakers for a place: ZIP, constituency, council, PLZ, postcode or département."""
    from advocate.lookup import lookup, views
    from advocate.opendata import store

    if government:  # README "Ministries": the curated foreign and interior ministries
        return _ministries(country, as_json)
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
        from advocate.cli.views import show

        show(views.result_text(result, bold=styled()))
    else:
        sys.stdout.write(views.result_text(result))


def _ministries(country: str, as_json: bool) -> None:
    from advocate.lookup import views
    from advocate.lookup.people import lookup_government
    from advocate.opendata import store

    result = lookup_government(country)
    warn_stale(store.dataset_for(country))
    if as_json:
        print_json(result.as_json())
    else:
        sys.stdout.write(views.result_text(result))


@app.command("show")
@run
def reps_show(
    person_id: Annotated[str, typer.Argument(help="An id from lookup or search.")], as_json: Json = False
) -> None:
    """Show one person or office by id, with every channel the data holds."""
    from advocate.lookup import people, views
    from advocate.opendata import store

    person = people.show(person_id)
    key = store.dataset_for(person["country"])
    warn_stale(key)
    as_of = store.meta(key).get("as_of")
    if as_json:
        print_json(people.with_as_of(person, as_of))
    else:
        from advocate.templates.greeting import form_lines

        entry = store.office_entry(person["id"], person["country"])
        forms = "".join(f"  {line}\n" for line in form_lines(person, entry))
        text = views.person_text(person) + "\n" + views.offices_text(person) + forms + views.as_of_line(as_of) + "\n"
        sys.stdout.write(text)


@app.command("search")
@run
def reps_search(
    text: Annotated[str, typer.Argument(help="Part of a name, e.g. 'nadler'.")],
    country: Annotated[str | None, typer.Option("--country", "-c", help="Only this country.")] = None,
    as_json: Json = False,
) -> None:
    """Search people by name across all countries (case and accents don't matter)."""
    from advocate.lookup import people

    found = people.search(text, country)
    _print_people(found, as_json, f"No one found for {text!r}.")


@app.command("list")
@run
def reps_list(
    country: Country,
    state: Annotated[str | None, typer.Option("--state", help="Only this state / Land / département.")] = None,
    as_json: Json = False,
) -> None:
    """List everyone in one country's data."""
    from advocate.lookup import people
    from advocate.opendata import store

    found = people.all_people(country, state)
    warn_stale(store.dataset_for(country))
    _print_people(found, as_json, f"No one found in {country.upper()}" + (f" for --state {state}." if state else "."))


def _print_people(found: list[Any], as_json: bool, none: str) -> None:
    """People as JSON, blocks on a terminal, or lines; the one rule for an empty result, with --json or without:
    a line on stderr, exit 1."""
    from advocate.lookup import views

    if as_json:
        print_json(found)
    if not found:
        err(none)
        raise typer.Exit(code=1)
    if as_json:
        return
    if on_terminal():
        from advocate.cli.views import show

        show(views.people_blocks(found, bold=styled()))
    else:
        sys.stdout.write(views.people_text(found))
