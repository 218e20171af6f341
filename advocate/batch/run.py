"""Letters for everyone at an event, from a CSV of attendees — safe to re-run after an interruption.

Every file is written atomically (temp file + rename). A state file in the output folder records
what the run was made from (the CSV, the letter files, the options), so re-running the same
command completes exactly the missing letters, and a changed CSV or letter is noticed.

Rows are read as a stream; with ``jobs > 1`` they are rendered and written by worker processes in
chunks, while this process keeps the order of the manifest, errors.csv and single-file output.
"""

import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any

from advocate.batch import csvin
from advocate.batch.attendees import map_header
from advocate.batch.folder import Folder, refuse_inputs
from advocate.batch.logbook import Logbook
from advocate.batch.options import FORMATS, Options, Summary
from advocate.batch.output import Output
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
    warn: Callable[[str], None] | None = None,
    log_as: Path | None = None,
) -> Summary:
    """Write the batch; returns what happened. Raises AdvocateError only for problems with the whole run.

    ``warn`` gets the header's warnings before any row is read (``errors_out`` the rows' problems);
    ``log_as``: the output folder or file to key the local record's entries by (None: record nothing)."""
    if opts.fmt not in FORMATS:
        raise InputProblem(f"--format {opts.fmt!r} is not one of {', '.join(FORMATS)}")
    table, rows = csvin.open_table(csv_path, opts.encoding)
    _, _, warnings = map_header(table.header)
    worker = Worker(opts, table.header, resume=False)  # checks the letter exists before anything is written
    summary = Summary(out=opts.out)
    if warn is not None:
        for line in warnings:
            warn(line)
    else:
        summary.warnings += warnings
    if opts.check and opts.errors is None:
        opts.errors = csv_path.with_name("errors.csv")
    if opts.check and opts.errors is not None and opts.errors.resolve() == csv_path.resolve():
        raise InputProblem(f"--errors {opts.errors} is the attendee CSV itself; give another file")
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
            _sync_folder(folder.out)
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
    counted: list[int] = []
    limited = _limited(rows, opts.limit, counted)
    in_workers = opts.jobs > 1 and not opts.stop_on_error
    parts = None
    if in_workers and output.jsonl_target() is not None:  # workers write their chunks to files of their own
        parts = str(opts.out) if opts.out is not None else tempfile.mkdtemp(prefix="advocate-batch-")
    results = in_processes(limited, opts, header, resume, parts) if in_workers else (worker(row) for row in limited)
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
        if parts is not None and opts.out is None:
            shutil.rmtree(parts, ignore_errors=True)
        elif parts is not None:
            for leftover in Path(parts).glob(".letters.jsonl.*.part"):
                leftover.unlink(missing_ok=True)
    summary = output.summary
    if counted:
        summary.total = counted[0]
    if summary.long_rows:
        rows_named = ", ".join(str(n) for n in sorted(set(summary.long_rows))[:20])
        more = ", …" if len(set(summary.long_rows)) > 20 else ""
        summary.warnings.append(
            f"{len(summary.long_rows)} letter(s) do not fit one page (row {rows_named}{more}): each prints on "
            "more pages, the next headed with the sender's name and page 2/2; a shorter personal paragraph "
            "keeps a letter on one page"
        )


def refuse_input_as_out(path: Path, csv_path: Path, template: str) -> None:
    """``--format jsonl --out FILE``: the file may be neither the CSV nor a letter (checked before it is opened)."""
    from advocate.templates import letters as templates

    refuse_inputs(path, [csv_path, *(x.path for x in templates.family(template))])


def log_target(folder: Path | None, single: Path | None) -> Path | None:
    """What a batch's record entries are keyed by: its folder, or its one jsonl file (not /dev/null)."""
    if single is not None and single.exists() and not single.is_file():
        return None
    return folder or single


def _sync_folder(folder: Path) -> None:
    """One fsync of the folder at the end makes every rename of the run durable (no fsync per letter file)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # a file system that cannot sync a folder: the files are still whole (temp file + rename)
    finally:
        os.close(fd)


def _limited(rows: Iterator[csvin.Row], limit: int | None, counted: list[int]) -> Iterator[csvin.Row]:
    """The first ``limit`` rows; when it stops early, ``counted`` gets the number of rows in the file."""
    for count, row in enumerate(rows):
        if limit is not None and count >= limit:
            counted.append(count + 1 + sum(1 for _ in rows))
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


def targets(fmt: str, out: str | None, writing: bool, csv_file: Path) -> tuple[Path | None, Path | None]:
    """(the output folder, the one jsonl file to open). Without --out the letters go to a folder named after
    the CSV (attendees.csv → attendees-letters/ beside it); jsonl goes to stdout (no --out, or -), to a file,
    or into a folder (one that exists, or a name ending in /) as letters.jsonl. A run that writes nothing
    (``writing`` false) opens no file, not even an empty one."""
    if fmt == "jsonl":
        if out is None or out == "-":
            return None, None
        path = Path(out)
        if out.endswith(("/", os.sep)) or path.is_dir():
            return path, None
        return None, path if writing else None
    if out is None:
        return csv_file.with_name(f"{csv_file.stem}-letters"), None
    return Path(out), None


def write_sample(target: Path | None, force: bool = False) -> Path:
    """Write the 5-attendee sample CSV (to ``target`` or ./attendees.csv); returns where."""
    from advocate.atomic import write_atomic
    from advocate.resources import PACKAGE_DIR

    path = target or Path("attendees.csv")
    if path.exists() and not force:
        raise OutputProblem(
            f"{path} already exists; give --sample another file name (advocate batch --sample new.csv) or add --force"
        )
    write_atomic(path, (PACKAGE_DIR / SAMPLE).read_bytes(), force=force)
    return path
