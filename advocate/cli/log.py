"""`advocate log` and `advocate followup`: the local record of letters written, replies, and reminders.

The record is one SQLite file in the user's folder (advocate.record); nothing leaves the machine. `write` and
`batch` add to it through ``record_written`` after the letters are out, so the file is opened only then.
"""

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from advocate.cli.common import err, interactive, print_json, run

if TYPE_CHECKING:
    from advocate.record import Log, Row

NoLog = Annotated[bool, typer.Option("--no-log", help="Do not add this letter to the local record.")]
Day = Annotated[str | None, typer.Option("--date", help="The date (YYYY-MM-DD; default today).")]
FOLLOWUP_FORMATS = ("eml", "text", "letter")

app = typer.Typer(
    help="The local record of the letters you wrote (no letter text, no address; nothing leaves this machine).",
    no_args_is_help=False,
)


def on_terminal() -> bool:
    return sys.stderr.isatty()


def _log() -> "Log":
    from advocate.record import log, open_log

    return open_log(timeout=log.TIMEOUT)


def _line(r: "Row") -> str:
    marks = (("follows", r.follows), ("sent", r.sent_on), ("replied", r.reply_on))
    status = "".join(f"  {word} {value}" for word, value in marks if value)
    return (f"{r.id:>4}  {r.written_at[:10]}  {r.template} ({r.language})  {r.recipient_name} [{r.recipient_id}]  "
            f"{r.channel}{status}")  # fmt: skip


def _show(rows: list["Row"], empty: str, as_json: bool) -> None:
    if as_json:
        print_json([r.as_dict() for r in rows])
    elif not rows:
        err(empty)
    else:
        sys.stdout.write("".join(_line(r) + "\n" for r in rows))


@app.callback(invoke_without_command=True)
@run
def show(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON: one object per letter.")] = False,
    since: Annotated[str | None, typer.Option("--since", help="Only letters written on or after YYYY-MM-DD.")] = None,
    to: Annotated[str | None, typer.Option("--to", help="Only letters to this recipient id.")] = None,
    template: Annotated[str | None, typer.Option("--template", "-t", help="Only this letter.")] = None,
) -> None:
    """The letters you wrote, newest first (id, date, letter, recipient, channel, sent, replied)."""
    if ctx.invoked_subcommand is not None:
        return
    with _log() as log:
        _show(log.list(since=since, to=to, template=template), f"No letters recorded in {log.path}.", as_json)


@app.command("sent")
@run
def sent(letter_id: Annotated[int, typer.Argument(metavar="ID", help="The letter's id.")], date: Day = None) -> None:
    """Mark a letter as sent (the follow-up counts 14 days from then)."""
    with _log() as log:
        print(_line(log.mark_sent(letter_id, date)))


@app.command("reply")
@run
def reply(letter_id: Annotated[int, typer.Argument(metavar="ID", help="The letter's id.")], date: Day = None) -> None:
    """Mark a letter as answered: it is no longer due for a follow-up."""
    with _log() as log:
        print(_line(log.mark_reply(letter_id, date)))


@app.command("forget")
@run
def forget(
    ids: Annotated[list[int] | None, typer.Argument(metavar="[ID]...", help="The letters to delete.")] = None,
    before: Annotated[str | None, typer.Option("--before", help="Delete every letter written before a date.")] = None,
) -> None:
    """Delete records: the letters given by id, or every letter written before a date (one of the two)."""
    if bool(ids) == (before is not None):
        raise typer.BadParameter("give either ids or --before DATE, not both or neither", param_hint="--before")
    with _log() as log:
        gone = log.forget(ids=ids, before=None) if ids else log.forget(before=before)
        print(f"Forgot {gone} letter{'s' if gone != 1 else ''}.")


@app.command("export")
@run
def export(file: Annotated[Path | None, typer.Argument(help="CSV file to write (default: stdout).")] = None) -> None:
    """Every letter as CSV, oldest first (for a spreadsheet)."""
    with _log() as log:
        if file is None:
            log.export_csv(sys.stdout)
            return
        count = log.export_csv(file)
    err(f"Wrote {count} letter{'s' if count != 1 else ''} to {file}.")


@run
def followup(
    letter_id: Annotated[int | None, typer.Argument(metavar="[ID]", help="Write the follow-up to this letter.")] = None,
    days: Annotated[int, typer.Option("--days", min=0, help="Due after this many days without a reply.")] = 14,
    fmt: Annotated[str, typer.Option("--format", "-f", help="eml, text or letter.")] = "text",
    template: Annotated[str, typer.Option("--template", "-t", help="The follow-up letter.")] = "reminder",
    name: Annotated[str | None, typer.Option("--name", help="Your name; it signs the letter.")] = None,
    address: Annotated[str | None, typer.Option("--address", help="Your street address.")] = None,
    city: Annotated[str | None, typer.Option("--city", help="Your town or city.")] = None,
    postcode: Annotated[str | None, typer.Option("--my-postcode", help="Your postcode.")] = None,
    email: Annotated[str | None, typer.Option("--email", help="Your e-mail, for a reply.")] = None,
    personal: Annotated[str | None, typer.Option("--personal", help="A line of your own.")] = None,
    out: Annotated[Path | None, typer.Option("--out", help="Folder for the .eml draft (default: here).")] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing draft file.")] = False,
    no_log: NoLog = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the letters due as JSON (without ID).")] = False,
) -> None:
    """Letters with no reply 14 days after they were sent (or written); with ID, write the follow-up letter."""
    from advocate.cli.common import bad_choice

    bad_choice(fmt, FOLLOWUP_FORMATS, "--format")
    with _log() as log:
        if letter_id is None:
            rows = log.due(days=days)
            _show(rows, f"No letters are due for a follow-up ({days} days without a reply).", as_json)
            if rows and not as_json:
                err("Write a follow-up with `advocate followup ID --format eml --name NAME`; "
                    "mark an answer with `advocate log reply ID`.")  # fmt: skip
            return
        row = log.get(letter_id)
    if as_json:
        from advocate.errors import InputProblem

        raise InputProblem("--json lists the letters due; leave it out to write the follow-up to a letter")
    if row.reply_on and template == "reminder":
        err(f"Note: letter {row.id} was answered on {row.reply_on}; `--template thanks-reply` thanks them for it.")
    from advocate.drafts import followup as core
    from advocate.drafts.deliver import deliver
    from advocate.drafts.draft import sender
    from advocate.errors import MissingInput

    if not name and interactive():
        name = typer.prompt("Your name (it signs the letter)?", err=True, prompt_suffix=" ")
    if not name:
        raise MissingInput("--name", "Your name (it signs the letter)?")
    d = core.make(row, sender(name, address, city, email, postcode), personal or "", template)
    done = deliver(d, fmt, out or Path("."), force)
    if done.note:
        err(done.note)
    sys.stdout.write(done.text)
    if not no_log:
        record_written([(d, done)], mention_due=False, follows=row.id)


def record_written(written: list[tuple[Any, Any]], mention_due: bool = True, follows: int | None = None) -> None:
    """Add the letters just written (draft, delivery pairs) to the record; on a terminal, say once how many
    letters are due for a follow-up. ``follows``: the letter these follow up (it is no longer due then)."""
    from advocate.drafts.followup import entries

    with _log() as log:
        log.record(entries(written, follows))
        if mention_due and on_terminal():
            due = len(log.due())
            if due:
                err(f"{due} letter{'s are' if due != 1 else ' is'} due for a follow-up (no reply in 14 days): "
                    "see `advocate followup`.")  # fmt: skip
