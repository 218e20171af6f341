"""`advocate templates`: list, show, preview, check, new."""

import sys
from pathlib import Path
from typing import Annotated

import typer

from advocate.cli.common import (
    Circo,
    Constituency,
    Council,
    Department,
    District,
    Json,
    Postcode,
    State,
    Wahlkreis,
    Zip,
    err,
    print_json,
    run,
)

app = typer.Typer(
    help="The letters: list, show, preview, check, copy to edit.", no_args_is_help=True, rich_markup_mode=None
)


@app.command("list")
@run
def templates_list(as_json: Json = False) -> None:
    """List the letters: name, languages, who they suit, and whether yours or bundled."""
    from advocate.errors import error_line
    from advocate.templates import letters

    found, problems = letters.readable_letters()
    if as_json:
        print_json([letters.as_json(x) for x in found])
    else:
        for name, variants in letters.families(found).items():
            mark = " (yours)" if any(x.origin == "user" for x in variants) else ""
            kinds = ", ".join(letters.kind(x) for x in variants)
            title, suits = variants[0].meta["title"], letters.suits_text(variants)
            sys.stdout.write(f"{name:<18} {kinds:<24} {title} — for {suits}{mark}\n")
    for problem in problems:  # every broken letter, after the good ones
        err(error_line(problem))
    if problems:
        raise typer.Exit(code=1)


@app.command("show")
@run
def templates_show(
    name: Annotated[str, typer.Argument(help="A letter name or variant, e.g. crackdown or crackdown.de.")],
) -> None:
    """Print a letter's template file as it is."""
    from advocate.templates.letters import variants

    for letter in variants(name):  # the path to stderr: `templates show x > copy.j2` is the file itself
        err(f"# {letter.path}")
        sys.stdout.write(letter.path.read_text(encoding="utf-8"))


@app.command("preview")
@run
def templates_preview(
    name: Annotated[str, typer.Argument(help="A letter name or variant.")],
    country: Annotated[str | None, typer.Option("--country", "-c", help="Preview for a real recipient here…")] = None,
    zip_code: Zip = None,
    state: State = None,
    district: District = None,
    constituency: Constituency = None,
    council: Council = None,
    postcode: Postcode = None,
    wahlkreis: Wahlkreis = None,
    department: Department = None,
    circo: Circo = None,
    rep: Annotated[str | None, typer.Option("--rep", help="…or for this id.")] = None,
    personal: Annotated[str | None, typer.Option("--personal", help="A sample paragraph of your own.")] = None,
) -> None:
    """Render a letter with a sample sender (and a sample recipient unless one is given)."""
    from advocate.drafts.preview import preview
    from advocate.lookup import lookup, people
    from advocate.templates.letters import variants

    letters = variants(name)
    if rep:
        found = [people.show(rep)]
    elif country:
        opts = {"zip_code": zip_code, "state": state, "district": district, "constituency": constituency,
                "council": council, "postcode": postcode, "wahlkreis": wahlkreis, "department": department,
                "circo": circo}  # fmt: skip
        found = lookup(country, **{k: v for k, v in opts.items() if v is not None}).people
    else:
        found = []
    sys.stdout.write(preview(name, letters, found, personal or ""))


@app.command("check")
@run
def templates_check(
    paths: Annotated[list[Path] | None, typer.Argument(help="Letter files (default: every letter in use).")] = None,
) -> None:
    """Check letters: front matter, syntax, unknown variables, a trial render. Exit 1 with FILE:LINE lines."""
    from advocate.templates.check import check_files

    count, problems = check_files(paths or [])
    for line in problems:
        err(line)
    if problems:
        raise typer.Exit(code=1)
    print(f"{count} letter(s) OK")


@app.command("new")
@run
def templates_new(
    name: Annotated[str, typer.Argument(help="Name of your letter (lowercase-dashed).")],
    source: Annotated[str | None, typer.Option("--from", help="Bundled letter to start from (default: NAME).")] = None,
) -> None:
    """Copy a bundled letter into your letters folder to edit. Never overwrites."""
    from advocate.templates.user import new_letter

    for path in new_letter(name, source):
        print(path)
