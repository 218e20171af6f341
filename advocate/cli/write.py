"""`advocate write`: one letter to your lawmakers (or anyone in the data), printed or as drafts."""

import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from advocate.cli import common
from advocate.cli.common import (
    Circo,
    Constituency,
    Council,
    Department,
    District,
    Postcode,
    State,
    Template,
    Wahlkreis,
    Zip,
    bad_choice,
    err,
    print_json,
    run,
    warn_stale,
)

FORMATS = ("text", "letter", "eml", "mailto", "call", "json")
SEPARATED = ("text", "letter", "call")  # printed one after another with a line between
ALIASES = {"txt": "text", "jsonl": "json"}
NO_ADDRESS = (
    "Warning: no street address (--address): offices check that a letter comes from someone they represent, "
    "and may set aside one without an address."
)
PRESIDING = (
    "Note: {name} is {title}, who serves the whole chamber: the letter asks only that they pass your concern to "
    "the Government (curated: {source})."
)


@run
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
    to_salutation: Annotated[
        str | None, typer.Option("--to-salutation", help="The greeting for --to-name, e.g. 'Dear Minister'.")
    ] = None,
    language: Annotated[str | None, typer.Option("--lang", help="Letter language for --to-name: en, de or fr.")] = None,
    include_personal: Annotated[
        bool,
        typer.Option("--include-personal", help="Keep your own paragraph in a letter to a foreign state's embassy."),
    ] = False,
    fmt: Annotated[str, typer.Option("--format", "-f", help="text, letter, eml, mailto, call or json.")] = "text",
    out: Annotated[Path | None, typer.Option("--out", help="Folder for .eml drafts (default: here).")] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite existing draft files.")] = False,
    open_draft: Annotated[bool, typer.Option("--open", help="Open each draft in your mail program.")] = False,
    no_log: Annotated[bool, typer.Option("--no-log", help="Do not add these letters to the local record.")] = False,
) -> None:
    """Write a letter to your lawmakers (or --to anyone in the data). Prints it or writes drafts; never sends."""
    from advocate.drafts import draft as drafts
    from advocate.drafts.draft import custom_recipient
    from advocate.opendata import store

    fmt = bad_choice(fmt, FORMATS, "--format", ALIASES)
    language = bad_choice(language, ("en", "de", "fr"), "--lang") if language else None
    template = template.strip().lower() if template else None
    if (to_email or to_address or to_salutation) and not to_name:
        raise typer.BadParameter("--to-email, --to-address and --to-salutation go with --to-name",
                                 param_hint="--to-name")  # fmt: skip
    area: dict[str, Any] = {
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
    if personal_file is not None:
        if personal is not None:
            raise typer.BadParameter("give --personal or --personal-file, not both", param_hint="--personal-file")
        personal = personal_file.read()
    custom = (lambda: custom_recipient(to_name, to_email, to_address, to_salutation)) if to_name else None
    mine = {"address": address, "city": city, "email": email, "postcode": sender_postcode}
    if common.interactive():
        from advocate.cli import ask

        recipients, template, name = ask.who_and_what(country, template, name, area, to or [], custom)
        mine = ask.details(mine, area, recipients)
        address, city, email, sender_postcode = mine["address"], mine["city"], mine["email"], mine["postcode"]
        if personal is None and (include_personal or not all(drafts.is_foreign_state(p) for p in recipients)):
            personal = ask.paragraph()  # not asked for a foreign state's embassy: it would be left out
        if not address and not (to or to_name) and store.dataset_for(recipients[0]["country"]) != "intl":
            err(NO_ADDRESS)
    else:
        recipients, template, name = _complete(country, template, name, area, to or [], custom)
    if to and recipients:
        from advocate.drafts.recipients import outside_note

        note = outside_note(recipients, area)
        if note:
            err(note)
    if not to and not to_name and recipients:
        from advocate.drafts.recipients import vacancy_note

        note = vacancy_note(recipients[0]["country"], area)
        if note:
            err(note)
    sender = drafts.sender(name, address, city, email, sender_postcode, area)
    warning = drafts.embassy_warning(recipients, address, email, city, sender_postcode)
    if warning:
        err(warning)
    for note in drafts.foreign_state_notes(recipients, personal or "", include_personal):
        err(note)
    results = drafts.make(recipients, template, sender, personal or "", language, include_personal)
    for key in sorted({store.dataset_for(p["country"]) for p in recipients if p["country"] != "CUSTOM"}):
        ours = [p for p in recipients if p["country"] != "CUSTOM" and store.dataset_for(p["country"]) == key]
        warn_stale(key, members=any(p.get("chamber") != "government" for p in ours))
    written = _emit(results, fmt, out or Path("."), force, open_draft)
    if written and not no_log:  # after the letters are out: the record is opened only now
        from advocate.cli.log import record_written

        record_written(written)
    for d in results:  # after the output, so a failed write stays one error line
        if d.recipient.get("office") == "presiding_officer":
            p = d.recipient
            entry = store.office_entry(p["id"], p["country"]) or {}
            err(PRESIDING.format(name=p["name"], title=p.get("office_title"), source=entry.get("source_url")))
    hint = drafts.hint(recipients, personal or "")
    if hint:
        err(hint)


def _complete(
    country: str | None, template: str | None, name: str | None, area: dict[str, Any], to: list[str], custom: Any
) -> tuple[list[Any], str, str]:
    """Recipients, letter and signer from the flags alone (scripts): a missing one is an error naming its flag."""
    from advocate.drafts.recipients import find_recipients
    from advocate.errors import MissingInput

    if template is None:
        from advocate.templates.letters import readable_letters

        raise MissingInput("--template", "Which letter?", sorted({x.name for x in readable_letters()[0]}))
    recipients = [custom()] if custom else find_recipients(country, to, template, **area)
    if not (name or "").strip():
        raise MissingInput("--name", "Your name (it signs the letter)?")
    return recipients, template, (name or "").strip()


def _emit(results: list[Any], fmt: str, out: Path, force: bool, open_draft: bool) -> list[tuple[Any, Any]]:
    from advocate.drafts import draft as drafts
    from advocate.drafts.deliver import deliver

    if fmt == "json":
        print_json([drafts.as_json(d) for d in results])
        return []  # to stdout, nothing on disk: not recorded
    done = [deliver(d, fmt, out, force) for d in results]
    for delivery in done:
        if delivery.note:
            err(delivery.note)
    if open_draft:
        _open(results, done, fmt)
    separator = "\n" + "-" * 72 + "\n\n" if fmt in SEPARATED else ""
    text = separator.join(delivery.text for delivery in done)
    if fmt in SEPARATED and common.on_terminal():
        from advocate.text import wrap

        text = wrap(text, common.letter_width())
    sys.stdout.write(text)
    return list(zip(results, done, strict=True))


def _open(results: list[Any], done: list[Any], fmt: str) -> None:
    """Open each draft, and say what was opened, what was not, and why."""
    from advocate.drafts.opener import open_draft as launch

    if fmt not in ("eml", "mailto"):
        err(f"Nothing opened: --open opens e-mail drafts, and --format {fmt} makes none (use --format eml or mailto).")
        return
    for d, delivery in zip(results, done, strict=True):
        who = d.recipient["name"]
        if not delivery.target:
            err(f"Not opened: {who} has no e-mail address in the data; send it by post or their contact form.")
        elif launch(delivery.target):
            err(f"Opened the draft to {who} in your mail program.")
        else:
            err(f"Not opened: {who}: {_why_not()}; open it yourself: {delivery.target}")


def _why_not() -> str:
    import shutil

    if sys.platform not in ("win32", "darwin") and not shutil.which("xdg-open"):
        return "no program to open drafts with (xdg-open is not installed)"
    return "the program that opens drafts failed to start"
