"""Letters for everyone at an event, from a CSV of attendees — safe to re-run after an interruption.

Every file is written atomically (temp file + rename). A state file in the output folder records
what the run was made from (the CSV, the letter files, the options), so re-running the same
command completes exactly the missing letters, and a changed CSV or letter is noticed.

Rows are read as a stream; with ``jobs > 1`` they are rendered and written by worker processes in
chunks, while this process keeps the order of the manifest, errors.csv and single-file output.
"""

import hashlib
import json
import os
import re
from collections import Counter, OrderedDict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import IO, Any

from advocate.atomic import write_atomic, write_new
from advocate.batch import csvin
from advocate.batch.attendees import RowProblem, area_for, map_header, read_row
from advocate.drafts import draft as drafts
from advocate.errors import AdvocateError, InputProblem, OutputProblem
from advocate.templates import letters as templates
from advocate.templates import render
from advocate.templates.fast import Compiled, compile_letter
from advocate.text import slug

STATE = ".advocate-batch.json"
FORMATS = ("txt", "eml", "html", "jsonl")
CHUNK = 200  # rows a worker takes at a time
PLACES = 4096  # lookups kept for rows from the same place


@dataclass
class Options:
    template: str
    fmt: str = "txt"
    out: Path | None = None
    country: str | None = None
    ambiguous: str = "error"  # or "all"
    paper: str = "A4"
    limit: int | None = None
    check: bool = False
    dry_run: bool = False
    force: bool = False
    stop_on_error: bool = False
    encoding: str | None = None
    jobs: int = 1


@dataclass
class Summary:
    rows: int = 0
    attendees: int = 0
    letters: int = 0
    written: int = 0
    kept: int = 0  # already there from an interrupted run
    failed: int = 0
    by: Counter[tuple[str, str]] = field(default_factory=Counter)
    countries: set[str] = field(default_factory=set)
    out: Path | None = None
    warnings: list[str] = field(default_factory=list)
    planned: list[str] = field(default_factory=list)  # --dry-run: files that would be written


@dataclass
class Done:
    """What one row produced, sent back from a worker."""

    number: int
    line: int
    fields: list[str]
    name: str = ""
    problem: str | None = None
    entries: list[tuple[str, str, str, str, str, str]] = field(default_factory=list)  # id, name, channel, file, sha, cc
    text: str = ""  # jsonl or html for the single output file
    written: int = 0
    kept: int = 0


# ---------------------------------------------------------------- rendering one row


class Worker:
    """Turns one row into letters and, for the one-file-per-letter formats, writes them."""

    def __init__(self, opts: Options, header: list[str], resume: bool) -> None:
        self.opts, self.width, self.resume = opts, len(header), resume
        self.known, self.extra, _ = map_header(header)
        self.letters = templates.family(opts.template)
        self.keys = sorted({k for x in self.letters for rule in x.meta["suits"] for k in rule})
        self.variants: dict[tuple[Any, ...], templates.Letter] = {}
        self.recipients: dict[tuple[str, str], dict[str, Any]] = {}
        self.places: OrderedDict[tuple[Any, ...], list[dict[str, Any]] | str] = OrderedDict()
        self.fixed: dict[tuple[str, str], str] = {}
        self.compiled: dict[Path, Compiled | None] = {}
        self.dates: dict[tuple[Path, str], str] = {}  # one date for the whole run
        self.dumps = json.JSONEncoder(ensure_ascii=False).encode

    def pick(self, person: dict[str, Any]) -> templates.Letter:
        key = tuple(person.get(k) for k in self.keys)
        if key not in self.variants:
            self.variants[key] = templates.pick(self.opts.template, person, letters=self.letters)
        return self.variants[key]

    def recipient(self, person: dict[str, Any], letter: templates.Letter) -> dict[str, Any]:
        key = (person["id"], letter.language)
        if key not in self.recipients:
            self.recipients[key] = render.recipient_context(person, letter.language)
        return self.recipients[key]

    def people(self, country: str, area: dict[str, Any]) -> list[dict[str, Any]]:
        key = (country.upper(), *sorted(area.items()))
        found = self.places.get(key)
        if found is None:
            try:
                found = recipients_for(country, area, self.opts.ambiguous)
            except AdvocateError as problem:
                found = str(problem)
            self.places[key] = found
            if len(self.places) > PLACES:
                self.places.popitem(last=False)
        if isinstance(found, str):
            raise RowProblem(found)
        return found

    def json_line(self, done: Done, d: drafts.Draft) -> str:
        """One JSON object; the recipient's part, the same for every attendee, is encoded once."""
        key = (d.recipient["id"], d.letter.variant)
        fixed = self.fixed.get(key)
        if fixed is None:
            whole = letter_json(d)
            fixed = self.fixed[key] = json.dumps(
                {k: whole[k] for k in ("recipient", "template", "language")}, ensure_ascii=False
            )[1:-1]
        dumps = self.dumps
        return (
            f'{{"row": {done.number}, "attendee": {dumps(done.name)}, {fixed}, '
            f'"subject": {dumps(d.subject)}, "body": {dumps(d.body)}}}\n'
        )

    def __call__(self, row: csvin.Row) -> Done:
        done = Done(row.number, row.line, row.fields)
        try:
            name, made, email = self.render(row)
        except AdvocateError as problem:
            done.problem = str(problem)
            return done
        done.name = name
        for d in made:
            self.emit(done, d, email)
        return done

    def render(self, row: csvin.Row) -> tuple[str, list[drafts.Draft], str]:
        parsed = read_row(row, self.width, self.known, self.extra, self.opts.country)
        v = parsed["values"]
        people = self.people(parsed["country"], area_for(parsed["country"], v))
        email = v.get("email", "")
        if email:
            from advocate.drafts.eml import check_address

            try:
                email = check_address(email)
            except InputProblem:
                raise RowProblem(f"not a usable e-mail address: {email!r}") from None
        sender = render.sender_context(name=v["name"], address=v.get("address"), city=v.get("city"),
                                       postcode=v.get("zip"), email=email)  # fmt: skip
        made = []
        personal, attendee = v.get("personal", ""), parsed["attendee"]
        for person in people:  # render every letter of the row before writing any
            letter = self.pick(person)
            who = sender if not drafts.is_embassy(person) else {**dict.fromkeys(sender, ""), "name": sender["name"]}
            if letter.path not in self.compiled:
                self.compiled[letter.path] = compile_letter(letter)
            fast = self.compiled[letter.path]
            make_ctx = partial(render.context, letter, person, who, personal, attendee, self.recipient(person, letter))
            if fast is not None:
                date = self.dates.get((letter.path, person["country"]))
                if date is None:
                    date = self.dates[(letter.path, person["country"])] = render.letter_date(letter, person)
                subject, body = fast.fill(person["id"], date, fast.values(who, personal, attendee), make_ctx)
            else:
                subject, body = render.render(letter, make_ctx())
            made.append(drafts.Draft(person, letter, subject, body, who))
        return v["name"], made, email

    def emit(self, done: Done, d: drafts.Draft, from_email: str) -> None:
        opts, rid, cc = self.opts, d.recipient["id"], d.recipient["country"]
        if opts.fmt in ("jsonl", "html"):
            if opts.fmt == "jsonl":
                text = self.json_line(done, d)
            else:
                from advocate.drafts.html import html_letter

                text = html_letter(d)
            done.text += text
            file = "-" if opts.out is None else f"letters.{opts.fmt}"
            done.entries.append((rid, d.recipient["name"], opts.fmt, file, _sha(text.encode("utf-8")), cc))
            return
        if opts.fmt == "eml" and d.email:
            from advocate.drafts.eml import build_eml

            sender = (done.name, from_email) if from_email else None
            data, suffix, channel = (
                build_eml([(d.recipient["name"], d.email)], d.subject, d.body, sender),
                ".eml",
                "email",
            )
        else:
            data, suffix, channel = drafts.as_postal(d).encode("utf-8"), ".txt", "post"
        file = f"{done.number:05d}-{slug(done.name, 40)}-{rid}{suffix}"
        done.entries.append((rid, d.recipient["name"], channel, file, _sha(data), cc))
        if opts.check or opts.dry_run or opts.out is None:
            return
        path = opts.out / file
        if self.resume and path.is_file():
            done.kept += 1
        else:
            write_new(path, data)
            done.written += 1


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def recipients_for(country: str, area: dict[str, Any], ambiguous: str) -> list[dict[str, Any]]:
    from advocate.lookup import lookup

    if not any(v is not None for v in area.values()):
        raise RowProblem("no postcode, ZIP or constituency to look up")
    result = lookup(country, **area)
    if result.ambiguous and ambiguous != "all":
        names = ", ".join(d["id"] for d in result.districts)
        raise RowProblem(
            f"ambiguous: it lies in {len(result.districts)} districts ({names}); add a district/circo/wahlkreis "
            "column for this row, or use --ambiguous all"
        )
    if not result.people:
        where = "; ".join(d["name"] for d in result.districts) or "this place"
        raise RowProblem(f"no lawmaker in the data for {where} ({'; '.join(result.notes) or 'the seat is vacant'})")
    return result.people


def letter_json(d: drafts.Draft) -> dict[str, Any]:
    r = d.recipient
    ch = r.get("channels") or {}
    return {
        "recipient": {"id": r["id"], "name": r["name"], "country": r["country"], "email": d.email,
                      "contact_form": ch.get("contact_form"), "phone": ch.get("phone"), "postal": ch.get("postal")},
        "template": d.letter.name,
        "language": d.language,
        "subject": d.subject,
        "body": d.body,
    }  # fmt: skip


# ---------------------------------------------------------------- workers

_WORKER: Worker | None = None


def _init(opts: Options, header: list[str], resume: bool) -> None:
    global _WORKER
    _WORKER = Worker(opts, header, resume)


def _work(chunk: list[csvin.Row]) -> list[Done]:
    assert _WORKER is not None
    return [_WORKER(row) for row in chunk]


def _chunks(rows: Iterable[csvin.Row], size: int) -> Iterator[list[csvin.Row]]:
    chunk: list[csvin.Row] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _parallel(rows: Iterable[csvin.Row], opts: Options, header: list[str], resume: bool) -> Iterator[Done]:
    """Rows rendered by ``opts.jobs`` processes, in order, with a bounded number of chunks in flight."""
    import multiprocessing
    from concurrent.futures import Future, ProcessPoolExecutor

    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    context = multiprocessing.get_context(method)
    with ProcessPoolExecutor(opts.jobs, mp_context=context, initializer=_init, initargs=(opts, header, resume)) as pool:
        pending: list[Future[list[Done]]] = []
        for chunk in _chunks(rows, CHUNK):
            pending.append(pool.submit(_work, chunk))
            if len(pending) >= 2 * opts.jobs:
                yield from pending.pop(0).result()
        for future in pending:
            yield from future.result()


# ---------------------------------------------------------------- the run


def run(
    csv_path: Path,
    opts: Options,
    *,
    stdout: IO[str] | None = None,
    progress: Callable[[int], None] | None = None,
    errors_out: Callable[[str], None] | None = None,
) -> Summary:
    """Write the batch; returns what happened. Raises AdvocateError only for problems with the whole run."""
    if opts.fmt not in FORMATS:
        raise InputProblem(f"--format {opts.fmt!r} is not one of {', '.join(FORMATS)}")
    table, rows = csvin.open_table(csv_path, opts.encoding)
    _, _, warnings = map_header(table.header)
    worker = Worker(opts, table.header, resume=False)  # checks the letter exists before anything is written
    summary = Summary(out=opts.out, warnings=warnings)
    writing = not (opts.check or opts.dry_run)
    if writing and opts.out is None and opts.fmt != "jsonl":
        raise InputProblem("give --out FOLDER for the letters")
    resume = False
    if writing and opts.out is not None:
        resume = prepare_folder(opts.out, state_of(csv_path, worker.letters, opts), opts.force)
        worker.resume = resume
    output = Output(opts, table.header, summary, stdout if writing else None)
    limited = _limited(rows, opts.limit)
    parallel = opts.jobs > 1 and not opts.stop_on_error
    results = _parallel(limited, opts, table.header, resume) if parallel else (worker(row) for row in limited)
    complete = False
    try:
        for done in results:
            output.add(done)
            if done.problem is not None and errors_out is not None:
                errors_out(f"{csv_path}:{done.line}: row {done.number}: {done.problem}")
            if progress is not None:
                progress(1)
            if done.problem is not None and opts.stop_on_error:
                break  # a stop asked for: manifest.csv and errors.csv still cover the rows done
        complete = True
    finally:
        output.close(complete)
    return summary


def _limited(rows: Iterator[csvin.Row], limit: int | None) -> Iterator[csvin.Row]:
    for count, row in enumerate(rows):
        if limit is not None and count >= limit:
            return
        yield row


class Output:
    """What only the main process writes, in row order: manifest.csv, errors.csv, letters.jsonl/html."""

    def __init__(self, opts: Options, header: list[str], summary: Summary, stdout: IO[str] | None) -> None:
        self.opts, self.header, self.summary, self.stdout = opts, header, summary, stdout
        self.out = opts.out if not (opts.check or opts.dry_run) else None
        self.files: dict[str, IO[str]] = {}
        if self.out is not None:
            self._open("manifest.csv").write(
                csvin.as_csv_line(["row", "attendee", "recipient_id", "recipient_name", "channel", "file", "sha256"])
            )
            if opts.fmt in ("jsonl", "html"):
                single = self._open(f"letters.{opts.fmt}")
                if opts.fmt == "html":
                    from advocate.drafts.html import html_head

                    single.write(html_head(opts.paper))

    def _open(self, name: str) -> IO[str]:
        assert self.out is not None
        try:
            self.files[name] = (self.out / f".{name}.part").open("w", encoding="utf-8", newline="")
        except OSError as err:
            raise OutputProblem(f"cannot write into {self.out}: {err.strerror}") from None
        return self.files[name]

    def add(self, done: Done) -> None:
        s = self.summary
        s.rows += 1
        if done.problem is not None:
            s.failed += 1
            if self.out is not None:
                errors = self.files.get("errors.csv") or self._open("errors.csv")
                if errors.tell() == 0:
                    errors.write(csvin.as_csv_line(["row", "line", "reason", *self.header]))
                errors.write(csvin.as_csv_line([str(done.number), str(done.line), done.problem, *done.fields]))
            return
        s.attendees += 1
        s.written += done.written
        s.kept += done.kept
        manifest = self.files.get("manifest.csv")
        for rid, rname, channel, file, sha, cc in done.entries:
            s.letters += 1
            s.by[(cc, channel)] += 1
            s.countries.add(cc)
            if self.opts.dry_run:
                s.planned.append(file)
            if manifest is not None:
                manifest.write(csvin.as_csv_line([str(done.number), done.name, rid, rname, channel, file, sha]))
        if done.text and not self.opts.check and not self.opts.dry_run:
            target = self.files.get(f"letters.{self.opts.fmt}") or self.stdout
            if target is not None:
                target.write(done.text)
                if target is self.stdout:
                    s.written += len(done.entries)

    def close(self, complete: bool) -> None:
        if self.opts.fmt == "html" and "letters.html" in self.files:
            from advocate.drafts.html import html_tail

            self.files["letters.html"].write(html_tail())
        for name, f in self.files.items():
            f.close()
            if complete and self.out is not None:
                os.replace(self.out / f".{name}.part", self.out / name)
        if complete and self.out is not None and "errors.csv" not in self.files:
            (self.out / "errors.csv").unlink(missing_ok=True)  # from an earlier run; every row succeeded now


# ---------------------------------------------------------------- the output folder


def state_of(csv_path: Path, letters: list[templates.Letter], opts: Options) -> dict[str, Any]:
    digest = hashlib.sha256()
    with csv_path.open("rb") as f:
        while chunk := f.read(1 << 20):
            digest.update(chunk)
    letter_digest = hashlib.sha256()
    for letter in sorted(letters, key=lambda x: x.variant):
        letter_digest.update(letter.path.read_bytes())
    return {
        "advocate_batch": 1,
        "csv": str(csv_path.resolve()),
        "csv_sha256": digest.hexdigest(),
        "letters_sha256": letter_digest.hexdigest(),
        "options": {"template": opts.template, "format": opts.fmt, "country": opts.country,
                    "ambiguous": opts.ambiguous, "paper": opts.paper},
    }  # fmt: skip


def prepare_folder(out: Path, state: dict[str, Any], force: bool) -> bool:
    """Make ``out`` ready; True when it holds an interrupted run of this same batch (resume)."""
    if out.exists() and not out.is_dir():
        raise OutputProblem(f"{out} is a file, not a folder; give --out a folder")
    # A state file's temp file alone is a run killed before it began (mkdir, then the state file).
    entries = [p.name for p in out.iterdir() if not _state_part(p.name)] if out.is_dir() else []
    resume = False
    if entries:
        try:
            previous = json.loads((out / STATE).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            previous = None
        if previous is None:
            if not force:
                raise OutputProblem(
                    f"{out} is not empty and holds no earlier run of a batch; use an empty folder or --force"
                )
        elif previous == state:
            resume = True
        elif force:
            _clear_run(out)  # letters of the other run would otherwise stay beside the new ones
        else:
            changed = [k for k in ("csv_sha256", "letters_sha256", "options") if previous.get(k) != state.get(k)]
            named = {"csv_sha256": "the CSV", "letters_sha256": "the letter templates", "options": "the options"}
            raise OutputProblem(
                f"{out} holds an earlier run made from other input ({', '.join(named[c] for c in changed)} changed "
                "since); use --force to write over it, or another --out folder"
            )
    try:
        out.mkdir(parents=True, exist_ok=True)
        for leftover in out.glob(".*.part"):  # from a run that was killed mid-write
            leftover.unlink()
    except OSError as err:
        raise OutputProblem(f"cannot create {out}: {err.strerror}") from None
    write_atomic(out / STATE, json.dumps(state, indent=2).encode("utf-8"), force=True)
    return resume


_LETTER_FILE = re.compile(r"^\d{5,}-[a-z0-9-]*-[A-Za-z0-9-]+\.(txt|eml)$")


def _clear_run(out: Path) -> None:
    """Remove what an earlier batch wrote into ``out`` (its letters by their names, manifest, errors, letters.*)."""
    for path in out.iterdir():
        if _LETTER_FILE.match(path.name) or path.name in (
            "manifest.csv",
            "errors.csv",
            "letters.html",
            "letters.jsonl",
        ):
            try:
                path.unlink()
            except OSError as err:
                raise OutputProblem(f"cannot remove {path} from the earlier run: {err.strerror}") from None


def _state_part(name: str) -> bool:
    return name.startswith(f".{STATE}.") and name.endswith(".part")


def open_jsonl(path: Path, force: bool) -> tuple[IO[str], Path | None]:
    """Open a file (or /dev/null) for ``--format jsonl``; also returns the path if this call created it."""
    if path.is_file() and not force:
        raise OutputProblem(f"{path} already exists; use --force to overwrite it, or choose another --out")
    created = None if path.exists() else path
    try:
        return path.open("w", encoding="utf-8"), created
    except OSError as error:
        raise OutputProblem(f"cannot write {path}: {error.strerror or error}") from None


def count_rows(csv_path: Path, encoding: str | None = None) -> int | None:
    """Rows in the file, for a progress bar (one quick pass; None if it cannot be read)."""
    try:
        _, rows = csvin.open_table(csv_path, encoding)
        return sum(1 for _ in rows)
    except AdvocateError:
        return None
