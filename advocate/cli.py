"""The command line: parse, call the core, print, pick the exit code. Nothing else lives here.

Every core error is an AdvocateError; ``_run`` prints it as one line on stderr and exits 1.
Usage errors (a missing or malformed option) are Typer's and exit 2.
"""

import functools
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from advocate import __version__
from advocate.errors import AdvocateError

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
templates_app = typer.Typer(
    help="The letters: list, show, preview, check, copy to edit.", no_args_is_help=True, rich_markup_mode=None
)
data_app = typer.Typer(
    help="The data: what it is, how old, whose; update it from upstream or reset it.",
    no_args_is_help=True,
    rich_markup_mode=None,
)
app.add_typer(reps_app, name="reps")
app.add_typer(templates_app, name="templates")
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
    from advocate.opendata import store

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


def _people_table(people: list[dict[str, Any]], title: str | None = None) -> None:
    from rich.console import Console
    from rich.table import Table

    from advocate.lookup.views import contact_summary, role_line

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
    zip_code: Zip = None,
    state: State = None,
    district: District = None,
    constituency: Constituency = None,
    council: Council = None,
    postcode: Postcode = None,
    wahlkreis: Wahlkreis = None,
    department: Department = None,
    circo: Circo = None,
    as_json: Json = False,
) -> None:
    """Find the lawmakers for a place: ZIP, constituency, council, PLZ, postcode or département."""
    from advocate.lookup import lookup
    from advocate.lookup import views as listing
    from advocate.opendata import store

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
    from advocate.lookup import people as reps
    from advocate.lookup import views as listing
    from advocate.opendata import store

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
    from advocate.lookup import people as reps
    from advocate.lookup import views as listing

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
    from advocate.lookup import people as reps
    from advocate.lookup import views as listing
    from advocate.opendata import store

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


# ---------------------------------------------------------------- write


def interactive() -> bool:
    """Prompt only when a person is at the keyboard; scripts get an error naming the flag."""
    return sys.stdin.isatty() and sys.stderr.isatty()


FORMATS = ("text", "letter", "eml", "mailto", "call", "json")


@app.command("write")
@_run
def write(
    country: Annotated[str | None, typer.Option("--country", "-c", help="US, GB (or UK), DE, FR or INTL.")] = None,
    zip_code: Zip = None,
    state: State = None,
    district: District = None,
    constituency: Constituency = None,
    council: Council = None,
    postcode: Postcode = None,
    wahlkreis: Wahlkreis = None,
    department: Department = None,
    circo: Circo = None,
    template: Template = None,
    name: Annotated[str | None, typer.Option("--name", help="Your name; it signs the letter.")] = None,
    address: Annotated[str | None, typer.Option("--address", help="Your street address (offices check it).")] = None,
    city: Annotated[str | None, typer.Option("--city", help="Your town or city.")] = None,
    sender_postcode: Annotated[
        str | None, typer.Option("--my-postcode", help="Your postcode, if not --zip/--postcode.")
    ] = None,
    email: Annotated[str | None, typer.Option("--email", help="Your e-mail, for a reply.")] = None,
    personal: Annotated[
        str | None, typer.Option("--personal", help="Your own paragraph (why this matters to you).")
    ] = None,
    personal_file: Annotated[
        typer.FileText | None,
        typer.Option("--personal-file", help="Read your own paragraph from a file (- for stdin)."),
    ] = None,
    to: Annotated[
        list[str] | None, typer.Option("--to", help="Write to this id instead (repeatable), e.g. icc-otp.")
    ] = None,
    to_name: Annotated[str | None, typer.Option("--to-name", help="Write to someone not in the data.")] = None,
    to_email: Annotated[str | None, typer.Option("--to-email", help="Their e-mail (with --to-name).")] = None,
    to_address: Annotated[
        str | None, typer.Option("--to-address", help="Their postal address (with --to-name).")
    ] = None,
    language: Annotated[str | None, typer.Option("--lang", help="Letter language for --to-name: en, de or fr.")] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="text, letter, eml, mailto, call or json.")] = "text",
    out: Annotated[Path | None, typer.Option("--out", help="Folder for .eml drafts (default: here).")] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite existing draft files.")] = False,
    open_draft: Annotated[bool, typer.Option("--open", help="Open each draft in your mail program.")] = False,
) -> None:
    """Write a letter to your lawmakers (or --to anyone in the data). Prints it or writes drafts; never sends."""
    from advocate.drafts import draft as drafts
    from advocate.opendata import store
    from advocate.templates import render

    if fmt not in FORMATS:
        raise typer.BadParameter(f"{fmt!r} is not one of {', '.join(FORMATS)}", param_hint="--format")
    if (to_email or to_address) and not to_name:
        raise typer.BadParameter("--to-email and --to-address go with --to-name", param_hint="--to-name")
    area = {
        "zip_code": zip_code,
        "state": state,
        "district": district,
        "constituency": constituency,
        "council": council,
        "postcode": postcode,
        "wahlkreis": wahlkreis,
        "department": department,
        "circo": circo,
    }
    asked = {"--country": country, "--template": template, "--name": name}
    flag_to_area = {
        "--zip": "zip_code",
        "--district": "district",
        "--constituency": "constituency",
        "--postcode": "postcode",
        "--wahlkreis": "wahlkreis",
        "--circo": "circo",
    }
    if personal_file is not None:
        personal = personal_file.read()
    while True:
        try:
            if asked["--template"] is None:
                from advocate.templates.letters import all_letters

                names = sorted({x.name for x in all_letters()})
                raise drafts.MissingInput("--template", "Which letter?", names)
            if to_name:
                recipients = [drafts.custom_recipient(to_name, to_email, to_address)]
            else:
                recipients = drafts.find_recipients(asked["--country"], list(to or []), asked["--template"], **area)
            if not asked["--name"]:
                raise drafts.MissingInput("--name", "Your name (it signs the letter)?")
            break
        except drafts.MissingInput as missing:
            if not interactive():
                raise
            answer = typer.prompt(
                missing.question + (f" [{'/'.join(missing.choices)}]" if missing.choices else ""),
                err=True,
                prompt_suffix=" ",
            )
            if missing.flag in flag_to_area:
                key = flag_to_area[missing.flag]
                area[key] = (
                    int(answer) if key in ("district", "wahlkreis", "circo") and answer.strip().isdigit() else answer
                )
            else:
                asked[missing.flag] = answer
    if personal is None and interactive():
        personal = typer.prompt(
            "Your own paragraph — why this matters to you (optional, Enter to skip):",
            default="",
            show_default=False,
            err=True,
            prompt_suffix=" ",
        )
    sender = render.sender_context(
        name=asked["--name"], address=address, city=city, email=email, postcode=sender_postcode or zip_code or postcode
    )
    if any(drafts.is_embassy(p) for p in recipients) and (address or email or city or sender_postcode):
        err(
            "Warning: this letter goes to a Russian embassy — to the state it is about. Your address, town, "
            "postcode and e-mail were left out; the embassy letter needs no more than your name."
        )
    results = drafts.make(recipients, asked["--template"], sender, personal or "", language)
    for key in sorted({store.dataset_for(p["country"]) for p in recipients if p["country"] != "CUSTOM"}):
        warn_stale(key)
    _emit(results, fmt, out or Path("."), force, open_draft)
    if not (personal or "").strip():  # after the output, so a failed write stays one error line
        err(
            "Hint: offices weigh a personal letter far more than an identical one — add a line of your own "
            "with --personal."
        )


def _emit(results, fmt: str, out: Path, force: bool, open_draft: bool) -> None:
    from advocate.drafts import draft as drafts

    if fmt == "json":
        print_json([drafts.as_json(d) for d in results])
        return
    done = [drafts.deliver(d, fmt, out, force) for d in results]
    for delivery in done:
        if delivery.note:
            err(delivery.note)
        if open_draft and delivery.target:
            from advocate.drafts.opener import open_draft as launch

            if not launch(delivery.target):
                err(f"No mail program to open it with; open it yourself: {delivery.target}")
    separator = "\n" + "-" * 72 + "\n\n" if fmt in ("text", "letter", "call") else ""
    sys.stdout.write(separator.join(delivery.text for delivery in done))


# ---------------------------------------------------------------- batch


@app.command("batch")
@_run
def batch(
    csv_file: Annotated[
        Path | None, typer.Argument(help="Attendee CSV: name, country, zip/postcode, … (see README).")
    ] = None,
    template: Template = None,
    out: Annotated[
        Path | None, typer.Option("--out", help="Output folder (for jsonl: a file, or - for stdout).")
    ] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="txt, eml, html or jsonl.")] = "txt",
    country: Annotated[str | None, typer.Option("--country", "-c", help="Country for rows without one.")] = None,
    ambiguous: Annotated[
        str, typer.Option("--ambiguous", help="error (default) or all: write to every candidate.")
    ] = "error",
    paper: Annotated[str, typer.Option("--paper", help="A4 or Letter, for --format html.")] = "A4",
    limit: Annotated[int | None, typer.Option("--limit", min=1, help="Only the first N rows (a quick look).")] = None,
    check: Annotated[bool, typer.Option("--check", help="Validate every row; write nothing.")] = False,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Print what would be written; write nothing.")] = False,
    force: Annotated[
        bool, typer.Option("--force", help="Write into a folder holding other files or another run.")
    ] = False,
    stop_on_error: Annotated[bool, typer.Option("--stop-on-error", help="Stop at the first row that fails.")] = False,
    encoding: Annotated[str | None, typer.Option("--encoding", help="CSV encoding if not UTF-8, e.g. cp1252.")] = None,
    sample: Annotated[
        bool, typer.Option("--sample", help="Write a 5-attendee sample CSV (to CSV_FILE or ./attendees.csv).")
    ] = False,
    jobs: Annotated[int, typer.Option("--jobs", "-j", min=0, help="Worker processes (0: one per core, up to 2).")] = 0,
) -> None:
    """Letters for everyone at an event: one letter per attendee and lawmaker, from a CSV. Never sends."""
    from advocate.batch import run as core
    from advocate.errors import InputProblem

    if sample:
        from advocate.atomic import write_atomic
        from advocate.resources import PACKAGE_DIR

        target = csv_file or Path("attendees.csv")
        write_atomic(target, (PACKAGE_DIR / "sample_attendees.csv").read_bytes(), force=force)
        print(target)
        return
    if csv_file is None:
        raise InputProblem("give the attendee CSV (or --sample to write one to start from)")
    if template is None:
        raise InputProblem("--template is missing; see `advocate templates list`")
    if fmt not in core.FORMATS:
        raise typer.BadParameter(f"{fmt!r} is not one of {', '.join(core.FORMATS)}", param_hint="--format")
    if ambiguous not in ("error", "all"):
        raise typer.BadParameter("use error or all", param_hint="--ambiguous")
    if paper not in ("A4", "Letter"):
        raise typer.BadParameter("use A4 or Letter", param_hint="--paper")
    to_stdout = fmt == "jsonl" and (out is None or str(out) == "-")
    stream, created = None, None  # created: a jsonl file this run made, removed again if the run fails
    if fmt == "jsonl" and out is not None and not to_stdout and not out.is_dir():
        if not (check or dry_run):  # those write nothing, not even an empty file
            stream, created = core.open_jsonl(out, force)
        out = None
    opts = core.Options(
        template=template,
        fmt=fmt,
        out=None if to_stdout else out,
        country=country,
        ambiguous=ambiguous,
        paper=paper,
        limit=limit,
        check=check,
        dry_run=dry_run,
        force=force,
        stop_on_error=stop_on_error,
        jobs=_jobs(jobs, csv_file),
        encoding=encoding,
    )
    progress_bar = None
    if sys.stderr.isatty() and not (check or dry_run):
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        progress_bar = Progress(
            TextColumn("rows"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[rate]}"),
            TimeRemainingColumn(),
            console=Console(stderr=True),
            transient=True,
        )
    try:
        if progress_bar is not None:
            with progress_bar:
                task = progress_bar.add_task("rows", total=core.count_rows(csv_file, encoding), rate="")

                def advance(n: int) -> None:
                    progress_bar.advance(task, n)
                    speed = progress_bar.tasks[0].speed
                    if speed:
                        progress_bar.update(task, rate=f"{speed:,.0f} rows/s")

                summary = core.run(csv_file, opts, stdout=stream or sys.stdout, errors_out=err, progress=advance)
        else:
            summary = core.run(csv_file, opts, stdout=stream or sys.stdout, errors_out=err)
    except AdvocateError:
        if stream is not None and created is not None:
            stream.close()
            created.unlink(missing_ok=True)
        raise
    finally:
        if stream is not None:
            stream.close()
    for line in summary.warnings:
        err(f"Warning: {line}")
    from advocate.opendata import store

    warn_stale(*sorted({store.dataset_for(cc) for cc in summary.countries}))
    if dry_run:
        for name in summary.planned:
            print(name)
    _batch_summary(summary, opts)
    if summary.failed:
        raise typer.Exit(code=1)


def _jobs(asked: int, csv_file: Path) -> int:
    """Worker processes: as asked, or for a file of more than about 2,000 rows one per core (up to 2)."""
    import os

    if asked:
        return asked
    big = csv_file.is_file() and csv_file.stat().st_size > 400_000
    return min(2, os.cpu_count() or 1) if big else 1


def _batch_summary(s, opts) -> None:
    by_country: dict[str, list[str]] = {}
    for (cc, channel), n in sorted(s.by.items()):
        by_country.setdefault(cc, []).append(f"{n} {channel}")
    where = "" if opts.check or opts.dry_run or opts.out is None else f" in {opts.out}"
    done = "checked" if opts.check else "would be written" if opts.dry_run else "written"
    letters = f"{s.letters} letters {done}{where}"
    if s.kept:
        letters += f" ({s.kept} were already there from an earlier run)"
    lines = [f"{s.attendees} of {s.rows} attendees done; {letters}."]
    if by_country:
        lines.append("By country: " + "; ".join(f"{cc}: {', '.join(v)}" for cc, v in by_country.items()) + ".")
    if s.failed:
        where_errors = f"; see {opts.out / 'errors.csv'}" if opts.out and not (opts.check or opts.dry_run) else ""
        lines.append(f"{s.failed} row(s) failed{where_errors}.")
    if sys.stderr.isatty():
        from rich.console import Console
        from rich.table import Table

        table = Table(title="Batch", title_justify="left", show_header=False)
        table.add_column()
        table.add_column()
        table.add_row("Attendees", f"{s.attendees} of {s.rows}")
        table.add_row(f"Letters {done}", str(s.letters) + (f" ({s.kept} already there)" if s.kept else ""))
        for cc, values in by_country.items():
            table.add_row(f"  {cc}", ", ".join(values))
        table.add_row("Rows failed", str(s.failed) + (" — see errors.csv" if s.failed and where else ""))
        if where:
            table.add_row("Folder", str(opts.out))
        Console(stderr=True).print(table)
        return
    for line in lines:
        err(line)


# ---------------------------------------------------------------- templates


@templates_app.command("list")
@_run
def templates_list(as_json: Json = False) -> None:
    """List the letters: name, languages, who they suit, and whether yours or bundled."""
    from advocate.templates.letters import all_letters

    letters = all_letters()
    if as_json:
        print_json(
            [
                {
                    "name": x.name,
                    "variant": x.variant,
                    "language": x.language,
                    "origin": x.origin,
                    "title": x.meta["title"],
                    "description": x.meta["description"],
                    "suits": x.meta["suits"],
                    "path": str(x.path),
                }
                for x in letters
            ]
        )
        return
    families: dict[str, list[Any]] = {}
    for x in letters:
        families.setdefault(x.name, []).append(x)
    for name, variants in families.items():
        mark = " (yours)" if any(x.origin == "user" for x in variants) else ""
        kinds = ", ".join(x.variant.removeprefix(name).lstrip(".") or x.language for x in variants)
        sys.stdout.write(f"{name:<18} {kinds:<24} {variants[0].meta['title']}{mark}\n")


@templates_app.command("show")
@_run
def templates_show(
    name: Annotated[str, typer.Argument(help="A letter name or variant, e.g. crackdown or crackdown.de.")],
) -> None:
    """Print a letter's template file as it is."""

    for letter in _variants(name):
        sys.stdout.write(f"# {letter.path}\n" + letter.path.read_text(encoding="utf-8") + "\n")


def _variants(name: str):
    from advocate.templates import letters as templates

    if "." in name:
        found = [x for x in templates.family(name.split(".")[0]) if x.variant == name]
        if not found:
            from advocate.errors import TemplateProblem

            raise TemplateProblem(f"no letter file {name}.j2; see `advocate templates list`")
        return found
    return templates.family(name)


@templates_app.command("preview")
@_run
def templates_preview(
    name: Annotated[str, typer.Argument(help="A letter name or variant.")],
    country: Annotated[str | None, typer.Option("--country", "-c", help="Preview for a real recipient here…")] = None,
    zip_code: Zip = None,
    district: District = None,
    constituency: Constituency = None,
    postcode: Postcode = None,
    rep: Annotated[str | None, typer.Option("--rep", help="…or for this id.")] = None,
    personal: Annotated[str | None, typer.Option("--personal", help="A sample paragraph of your own.")] = None,
) -> None:
    """Render a letter with a sample sender (and a sample recipient unless one is given)."""
    from advocate.drafts import draft as drafts
    from advocate.lookup import lookup
    from advocate.lookup import people as reps
    from advocate.templates import letters as templates
    from advocate.templates import render

    sender = render.sender_context(**render.SAMPLE_SENDER)
    variants = _variants(name)
    if rep:
        people = [reps.show(rep)]
    elif country:
        opts = {"zip_code": zip_code, "district": district, "constituency": constituency, "postcode": postcode}
        people = lookup(country, **{k: v for k, v in opts.items() if v is not None}).people
    else:
        people = []
    chunks = []
    for letter in variants:
        targets = [p for p in people if templates.suits(letter, p)] if people else [_sample_for(letter)]
        for person in targets:
            subject, body = render.render(letter, render.context(letter, person, sender, personal or ""))
            d = drafts.Draft(person, letter, subject, body, sender)
            chunks.append(f"# {letter.variant} → {person['name']}\n" + drafts.as_text(d))
    if not chunks:
        from advocate.errors import TemplateProblem

        raise TemplateProblem(f"letter {name!r} is not meant for the recipients found; try --rep ID")
    sys.stdout.write(("\n" + "-" * 72 + "\n\n").join(chunks))


def _sample_for(letter):
    from advocate.lookup import people as reps

    rule = letter.meta["suits"][0] if letter.meta["suits"] else {}
    if rule.get("id"):
        return reps.show(rule["id"])
    if rule.get("custom"):
        return {"id": "custom", "name": "Sam Sample", "country": "CUSTOM", "role": "", "body": "", "channels": {}}
    samples = {"US": "us-N000002", "GB": "gb-4514", "DE": "de-1043330", "FR": "fr-PA1008"}
    return reps.show(samples.get(str(rule.get("country", "")).upper(), "us-N000002"))


@templates_app.command("check")
@_run
def templates_check(
    paths: Annotated[list[Path] | None, typer.Argument(help="Letter files (default: every letter in use).")] = None,
) -> None:
    """Check letters: front matter, syntax, unknown variables, a trial render. Exit 1 with FILE:LINE lines."""
    from advocate.errors import TemplateProblem
    from advocate.templates import letters as templates
    from advocate.templates import render

    problems: list[str] = []
    letters = []
    if paths:
        for path in paths:
            try:
                letters.append(templates.read(path, "user"))
            except TemplateProblem as problem:
                problems.append(str(problem))
    else:
        letters = templates.all_letters()
    for letter in letters:
        problems += render.check(letter)
    for line in problems:
        err(line)
    if problems:
        raise typer.Exit(code=1)
    print(f"{len(letters)} letter(s) OK")


@templates_app.command("new")
@_run
def templates_new(
    name: Annotated[str, typer.Argument(help="Name of your letter (lowercase-dashed).")],
    source: Annotated[str | None, typer.Option("--from", help="Bundled letter to start from (default: NAME).")] = None,
) -> None:
    """Copy a bundled letter into your letters folder to edit. Never overwrites."""
    from advocate.templates.user import new_letter

    for path in new_letter(name, source):
        print(path)


# ---------------------------------------------------------------- data


@data_app.command("info")
@_run
def data_info(as_json: Json = False) -> None:
    """Show each dataset: members, as-of date, valid-until, copy in use, source, licence and credit."""
    from advocate.lookup import views as listing
    from advocate.opendata import info as datainfo

    infos = datainfo.info()
    if as_json:
        print_json(infos)
    else:
        sys.stdout.write(listing.datasets_text(infos))


Countries = Annotated[
    list[str] | None,
    typer.Option("--country", "-c", metavar="CC", help="Only this country (repeatable): US, GB (or UK), DE, FR, INTL."),
]


@data_app.command("update")
@_run
def data_update(
    countries: Countries = None,
    sources: Annotated[
        list[str] | None,
        typer.Option("--source", metavar="NAME=URL", help="Download source NAME from URL instead (repeatable)."),
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Download and check, list who left and joined; replace nothing.")
    ] = False,
    as_json: Json = False,
) -> None:
    """Download the latest data from its upstream sources, check it, and use it if it passes."""
    import contextlib

    from advocate.opendata import update

    overrides = update.parse_sources(sources or [])
    keys = update.select(countries or [], overrides)
    bar, report = _download_bar() if sys.stderr.isatty() else (contextlib.nullcontext(), None)
    with bar:
        outcomes = update.update(keys, overrides, dry_run=dry_run, progress=report)
    if as_json:
        print_json([o.as_json() for o in outcomes])
    for o in outcomes:
        if o.status == "failed":
            err(f"Error: {o.message}")
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
    if any(o.status == "failed" for o in outcomes):
        raise typer.Exit(code=1)


def _download_bar() -> tuple[Any, Any]:
    """A Rich progress bar on stderr, and the callback that feeds it."""
    from rich.console import Console
    from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TransferSpeedColumn

    bar = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        DownloadColumn(),
        TransferSpeedColumn(),
        console=Console(stderr=True),
        transient=True,
    )
    tasks: dict[str, Any] = {}

    def report(name: str, received: int, total: int | None) -> None:
        if name not in tasks:
            tasks[name] = bar.add_task(name, total=total)
        bar.update(tasks[name], completed=received, total=total)

    return bar, report


@data_app.command("reset")
@_run
def data_reset(countries: Countries = None) -> None:
    """Delete your updated copies (all, or --country): the bundled data answers again."""
    from advocate.opendata import store, update

    keys = sorted({store.dataset_for(c) for c in countries}, key=store.DATASETS.index) if countries else store.DATASETS
    for line in update.reset(keys):
        print(line)


def main() -> None:
    app()
