"""Letters for everyone at an event, from a CSV of attendees — safe to re-run after an interruption.

Every file is written atomically (temp file + rename). A state file in the output folder records
what the run was made from (the CSV, the letter files, the options), so re-running the same
command completes exactly the missing letters, and a changed CSV or letter is noticed.

Rows are read as a stream; with ``jobs > 1`` they are rendered and written by worker processes in
chunks, while this process keeps the order of the manifest, errors.csv and single-file output.
"""

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any

from advocate.batch import csvin
from advocate.batch.attendees import map_header
from advocate.batch.folder import Folder, Output, refuse_inputs
from advocate.batch.logbook import Logbook
from advocate.batch.options import FORMATS, Options, Summary
from advocate.batch.state import state_of
from advocate.batch.worker import Worker, in_processes
from advocate.errors import AdvocateError, InputProblem, OutputProblem

SAMPLE = "sample_attendees.csv"  # in the package folder
BIG_FILE = 400_000  # bytes, about 2,000 rows: worth a second process


def run(
    csv_path: Path,
    opts: Options,
    *,
    stdout: IO[str] | None = None,
    progress: Callable[[int], None] | None = None,
    errors_out: Callable[[str], None] | None = None,
    log_as: Path | None = None,
) -> Summary:
    """Write the batch; returns what happened. Raises AdvocateError only for problems with the whole run.

    ``log_as``: the output folder or file to key the local record's entries by (None: record nothing)."""
    if opts.fmt not in FORMATS:
        raise InputProblem(f"--format {opts.fmt!r} is not one of {', '.join(FORMATS)}")
    table, rows = csvin.open_table(csv_path, opts.encoding)
    _, _, warnings = map_header(table.header)
    worker = Worker(opts, table.header, resume=False)  # checks the letter exists before anything is written
    summary = Summary(out=opts.out, warnings=warnings)
    writing = not (opts.check or opts.dry_run)
    if writing and opts.out is None and opts.fmt != "jsonl":
        raise InputProblem("give --out FOLDER for the letters")
    folder = Folder(opts.out, opts.force) if writing and opts.out is not None else None
    state: dict[str, Any] = {}
    if folder is not None:
        refuse_inputs(folder.out, [csv_path, *(x.path for x in worker.letters)])
        state = state_of(csv_path, worker.letters, opts)
    logbook = None
    if writing and log_as is not None:
        logbook = Logbook(opts, log_as, worker.letters, state or state_of(csv_path, worker.letters, opts))
    output: Output | None = None
    try:
        resume = folder.open(state) if folder is not None else False
        worker.resume = resume
        output = Output(opts, table.header, summary, stdout if writing else None, merge=resume is True)
        _write(output, opts, table.header, rows, worker, resume, csv_path, progress, errors_out, logbook)
        if folder is not None:
            folder.finish(state, output)
    except (OutputProblem, KeyboardInterrupt):
        if folder is not None:  # a full disk, a dead worker, Ctrl-C: the same command finishes the run
            folder.clean_parts()
        if logbook is not None:
            logbook.close(keep=True, quiet=True)  # the whole letters stay: so do their entries
        raise
    except BaseException:
        if folder is not None:  # bad input (or a bug): nothing of this run stays behind
            folder.roll_back()
        if logbook is not None:
            logbook.close(keep=False, quiet=True)
        raise
    finally:
        if folder is not None:
            folder.release()
    if logbook is not None:
        logbook.close(keep=True)  # after the run: a record that cannot be written leaves the letters be
    return summary


def _write(
    output: Output,
    opts: Options,
    header: list[str],
    rows: Iterator[csvin.Row],
    worker: Worker,
    resume: bool | str,
    csv_path: Path,
    progress: Callable[[int], None] | None,
    errors_out: Callable[[str], None] | None,
    logbook: Logbook | None = None,
) -> None:
    limited = _limited(rows, opts.limit)
    in_workers = opts.jobs > 1 and not opts.stop_on_error
    results = in_processes(limited, opts, header, resume) if in_workers else (worker(row) for row in limited)
    complete = False
    try:
        for done in results:
            output.add(done)
            if logbook is not None:
                logbook.add(done)
            if done.problem is not None and errors_out is not None:
                errors_out(f"{csv_path}:{done.line}: row {done.number}: {done.problem}")
            if progress is not None:
                progress(1)
            if done.problem is not None and opts.stop_on_error:
                break  # a stop asked for: manifest.csv and errors.csv still cover the rows done
        complete = True
    finally:
        close = getattr(results, "close", None)
        if close is not None:
            close()  # the worker processes stop now, not when a traceback is freed
        output.close(complete)


def refuse_input_as_out(path: Path, csv_path: Path, template: str) -> None:
    """``--format jsonl --out FILE``: the file may be neither the CSV nor a letter (checked before it is opened)."""
    from advocate.templates import letters as templates

    refuse_inputs(path, [csv_path, *(x.path for x in templates.family(template))])


def log_target(folder: Path | None, single: Path | None) -> Path | None:
    """What a batch's record entries are keyed by: its folder, or its one jsonl file (not /dev/null)."""
    if single is not None and single.exists() and not single.is_file():
        return None
    return folder or single


def _limited(rows: Iterator[csvin.Row], limit: int | None) -> Iterator[csvin.Row]:
    for count, row in enumerate(rows):
        if limit is not None and count >= limit:
            return
        yield row


def count_rows(csv_path: Path, encoding: str | None = None) -> int | None:
    """Rows in the file, for a progress bar (one quick pass; None if it cannot be read)."""
    try:
        _, rows = csvin.open_table(csv_path, encoding)
        return sum(1 for _ in rows)
    except AdvocateError:
        return None


def jobs_for(asked: int, csv_file: Path) -> int:
    """Worker processes: as asked, or for a file of more than about 2,000 rows one per core (up to 2)."""
    if asked:
        return asked
    big = csv_file.is_file() and csv_file.stat().st_size > BIG_FILE
    return min(2, os.cpu_count() or 1) if big else 1


def targets(fmt: str, out: Path | None, writing: bool) -> tuple[Path | None, Path | None]:
    """(the output folder, the one jsonl file to open): jsonl goes to stdout (no --out, or -), to a file, or
    into a folder; a run that writes nothing (``writing`` false) opens no file, not even an empty one."""
    if fmt == "jsonl" and (out is None or str(out) == "-"):
        return None, None
    if fmt == "jsonl" and out is not None and not out.is_dir():
        return None, out if writing else None
    return out, None


def write_sample(target: Path | None, force: bool = False) -> Path:
    """Write the 5-attendee sample CSV (to ``target`` or ./attendees.csv); returns where."""
    from advocate.atomic import write_atomic
    from advocate.resources import PACKAGE_DIR

    path = target or Path("attendees.csv")
    write_atomic(path, (PACKAGE_DIR / SAMPLE).read_bytes(), force=force)
    return path
