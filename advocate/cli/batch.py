"""`advocate batch`: letters for everyone at an event, from a CSV of attendees."""

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from advocate.cli.common import Template, bad_choice, err, run, warn_stale

ALIASES = {"txt": "txt", "text": "txt", "json": "jsonl"}

if TYPE_CHECKING:
    from advocate.batch.options import Options, Summary


FOREIGN_STATE = (
    "Note: letters to a Russian embassy carry each attendee's name only — no address, e-mail or own paragraph, "
    "which could identify relatives or people who have fled."
)


@run
def batch(
    csv_file: Annotated[
        Path | None, typer.Argument(help="Attendee CSV: name, country, zip/postcode, … (see README).")
    ] = None,
    template: Template = None,
    out: Annotated[
        str | None,
        typer.Option(
            "--out",
            help="Output folder (default: <csv name>-letters beside the CSV); for jsonl: a file, a folder, "
            "or - for stdout (the default).",
        ),
    ] = None,
    to: Annotated[
        list[str] | None,
        typer.Option("--to", help="Write every attendee's letter to this international recipient (repeatable)."),
    ] = None,
    fmt: Annotated[
        str, typer.Option("--format", "-f", help="text (or txt), eml, html or json (JSON lines; or jsonl).")
    ] = "text",
    country: Annotated[str | None, typer.Option("--country", "-c", help="Country for rows without one.")] = None,
    ambiguous: Annotated[
        str, typer.Option("--ambiguous", help="error (default) or all: write to every candidate.")
    ] = "error",
    paper: Annotated[str, typer.Option("--paper", help="A4 or Letter, for --format html.")] = "A4",
    limit: Annotated[int | None, typer.Option("--limit", min=1, help="Only the first N rows (a quick look).")] = None,
    check: Annotated[
        bool, typer.Option("--check", help="Validate every row; write only errors.csv (beside the CSV).")
    ] = False,
    errors: Annotated[Path | None, typer.Option("--errors", help="With --check: where errors.csv goes.")] = None,
    split: Annotated[int | None, typer.Option("--split", min=1, help="html: letters per HTML file.")] = None,
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
    no_log: Annotated[bool, typer.Option("--no-log", help="Do not add these letters to the local record.")] = False,
) -> None:
    """Letters for everyone at an event: one letter per attendee and lawmaker, from a CSV. Never sends."""
    from advocate.batch import run as core
    from advocate.batch.options import FORMATS, Options
    from advocate.errors import InputProblem
    from advocate.opendata import store

    if sample:
        print(core.write_sample(csv_file, force))
        return
    if csv_file is None:
        raise InputProblem("give the attendee CSV (or --sample to write one to start from)")
    if template is None:
        raise InputProblem("--template is missing; see `advocate templates list`")
    fmt = bad_choice(fmt, FORMATS, "--format", ALIASES)
    ambiguous = bad_choice(ambiguous, ("error", "all"), "--ambiguous")
    paper = bad_choice(paper, ("A4", "Letter"), "--paper")
    folder, single = core.targets(fmt, out, writing=not (check or dry_run), csv_file=csv_file)
    opts = Options(
        template=template,
        fmt=fmt,
        out=folder,
        country=country,
        ambiguous=ambiguous,
        paper=paper,
        limit=limit,
        check=check,
        dry_run=dry_run,
        force=force,
        stop_on_error=stop_on_error,
        jobs=core.jobs_for(jobs, csv_file),
        encoding=encoding,
        to=tuple(to or ()),
        errors=errors if check else None,
        split=split,
    )
    if single is not None:
        core.refuse_input_as_out(single, csv_file, template)
    log_as = None if no_log else core.log_target(folder, single)  # jsonl to stdout or /dev/null: not recorded
    if opts.to:
        from advocate.drafts.draft import is_foreign_state
        from advocate.lookup.people import show

        if any(is_foreign_state(show(rid)) for rid in opts.to):
            err(FOREIGN_STATE)
    try:
        summary = _run(csv_file, opts, single, force, log_as)
    except KeyboardInterrupt:
        err("Interrupted. Run the same command to finish: the letters written so far are kept.")
        raise typer.Exit(code=130) from None
    for line in summary.warnings:
        _warn(line)
    warn_stale(*sorted({store.dataset_for(cc) for cc in summary.countries}))
    if dry_run:
        for name in summary.planned:
            print(name)
    _summary(summary, opts)
    if summary.failed:
        raise typer.Exit(code=1)


def _warn(line: str) -> None:
    err(f"Warning: {line}")


def _originality(s: "Summary") -> str | None:
    if not s.attendees or not (s.no_personal or s.identical):
        return None
    return (
        f"Personal paragraphs: {s.no_personal} of {s.attendees} left empty, {s.identical} identical to another's "
        "(offices count identical letters as one; see the README)."
    )


def _run(csv_file: Path, opts: "Options", single: Path | None, force: bool, log_as: Path | None) -> "Summary":
    from advocate.batch import run as core
    from advocate.batch.folder import jsonl_file

    with jsonl_file(single, force) as stream:
        if sys.stderr.isatty() and not (opts.check or opts.dry_run):
            from advocate.cli.views import rows_bar

            bar, advance = rows_bar(core.count_rows(csv_file, opts.encoding))
            with bar:
                summary = core.run(
                    csv_file,
                    opts,
                    stdout=stream or sys.stdout,
                    errors_out=err,
                    progress=advance,
                    warn=_warn,
                    log_as=log_as,
                )
        else:
            summary = core.run(csv_file, opts, stdout=stream or sys.stdout, errors_out=err, warn=_warn, log_as=log_as)
    return summary


def _summary(s: "Summary", opts: "Options") -> None:
    by_country: dict[str, list[str]] = {}
    for (cc, channel), n in sorted(s.by.items()):
        by_country.setdefault(cc, []).append(f"{n} {channel}")
    where = "" if opts.check or opts.dry_run or opts.out is None else f" in {opts.out}"
    done = "checked" if opts.check else "would be written" if opts.dry_run else "written"
    if sys.stderr.isatty():
        from advocate.cli.views import summary_table

        rows = [("Attendees", f"{s.attendees} of {s.total or s.rows}" + _limit_note(s, opts)),
                (f"Letters {done}", str(s.letters) + (f" ({s.kept} already there)" if s.kept else ""))]  # fmt: skip
        rows += [(f"  {cc}", ", ".join(values)) for cc, values in by_country.items()]
        rows.append(("Rows failed", str(s.failed) + (" — see errors.csv" if s.failed and where else "")))
        if where:
            rows.append(("Folder", str(opts.out)))
        if opts.check and opts.errors is not None:
            rows.append(("Errors", str(opts.errors)))
        original = _originality(s)
        if original:
            rows.append(("Personal paragraphs", f"{s.no_personal} empty, {s.identical} identical"))
        summary_table(rows)
        return
    letters = f"{s.letters} letters {done}{where}"
    if s.kept:
        letters += f" ({s.kept} were already there from an earlier run)"
    lines = [f"{s.attendees} of {s.total or s.rows} attendees done{_limit_note(s, opts)}; {letters}."]
    if by_country:
        lines.append("By country: " + "; ".join(f"{cc}: {', '.join(v)}" for cc, v in by_country.items()) + ".")
    if s.failed:
        where_errors = f"; see {opts.out / 'errors.csv'}" if opts.out and not (opts.check or opts.dry_run) else ""
        if opts.check and opts.errors is not None:
            where_errors = f"; see {opts.errors}"
        lines.append(f"{s.failed} row(s) failed{where_errors}.")
    original = _originality(s)
    if original:
        lines.append(original)
    for line in lines:
        err(line)


def _limit_note(s: "Summary", opts: "Options") -> str:
    return f" (--limit {opts.limit}: the first {s.rows} rows)" if s.total else ""
