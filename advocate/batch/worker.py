"""One attendee row into letters (and, one file per letter, onto disk); the worker processes for big files."""

import hashlib
import json
import os
import re
import signal
import stat
import sys
from collections import OrderedDict
from collections.abc import Iterable, Iterator
from functools import partial
from pathlib import Path
from typing import Any

from advocate.atomic import write_new
from advocate.batch import csvin
from advocate.batch.attendees import area_for, map_header, read_row
from advocate.batch.options import Done, Options
from advocate.drafts import draft as drafts
from advocate.drafts.recipients import lawmakers
from advocate.drafts.text import as_postal
from advocate.errors import AdvocateError, InputProblem, OutputProblem, RowProblem
from advocate.records import Person
from advocate.templates import letters as templates
from advocate.templates import render
from advocate.templates.fast import Compiled, compile_letter
from advocate.text import slug

CHUNK = 200  # rows a worker takes at a time
PLACES = 4096  # lookups kept for rows from the same place


class Worker:
    """Turns one row into letters and, for the one-file-per-letter formats, writes them.

    ``resume``: False (a new run: write every letter), True (an interrupted run of the same batch: keep a
    letter file that is there) or "compare" (--force over a run made from other data or templates: keep a
    file whose bytes are the new letter's, rewrite the others)."""

    def __init__(self, opts: Options, header: list[str], resume: bool | str) -> None:
        self.opts, self.width, self.resume = opts, len(header), resume
        self.known, self.extra, _ = map_header(header)
        self.letters = templates.family(opts.template)
        self.keys = sorted({k for x in self.letters for rule in x.meta["suits"] for k in rule})
        self.variants: dict[tuple[Any, ...], templates.Letter] = {}
        self.recipients: dict[tuple[str, str], dict[str, Any]] = {}
        self.places: OrderedDict[tuple[Any, ...], list[Person] | str] = OrderedDict()
        self.fixed: dict[tuple[str, str], str] = {}
        self.compiled: dict[Path, Compiled | None] = {}
        self.dates: dict[tuple[Path, str], str] = {}  # one date for the whole run
        self.dumps = json.JSONEncoder(ensure_ascii=False).encode
        self.to = fixed_recipients(opts.to, self.letters, opts.template) if opts.to else None

    def pick(self, person: Person) -> templates.Letter:
        key = tuple(person.get(k) for k in self.keys)
        if key not in self.variants:
            self.variants[key] = templates.pick(self.opts.template, person, letters=self.letters)
        return self.variants[key]

    def recipient(self, person: Person, letter: templates.Letter) -> dict[str, Any]:
        key = (person["id"], letter.language)
        if key not in self.recipients:
            self.recipients[key] = render.recipient_context(person, letter.language)
        return self.recipients[key]

    def people(self, country: str, area: dict[str, Any]) -> list[Person]:
        if self.to is not None:
            return self.to
        key = (country.upper(), *sorted(area.items()))
        found = self.places.get(key)
        if found is None:
            try:
                found = lawmakers(country, area, every_district=self.opts.ambiguous == "all", row=True)
            except AdvocateError as problem:
                found = as_columns(str(problem))
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
            whole = drafts.as_json(d, brief=True)
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
        if row.problem is not None:
            done.problem = row.problem
            return done
        try:
            name, made, email, personal = self.render(row)
        except AdvocateError as problem:
            done.problem = str(problem)
            return done
        done.name = name
        done.personal = personal_key(personal)
        for d in made:
            self.emit(done, d, email)
        return done

    def render(self, row: csvin.Row) -> tuple[str, list[drafts.Draft], str, str]:
        default = self.opts.country or ("INTL" if self.to is not None else None)
        parsed = read_row(row, self.width, self.known, self.extra, default)
        v = parsed["values"]
        people = self.to if self.to is not None else self.people(parsed["country"], area_for(parsed["country"], v))
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
        for person in people:  # render every letter of the row before writing any
            letter = self.pick(person)
            who = drafts.sender_for(person, sender)
            if drafts.is_embassy(person):  # a foreign state: the attendee's name only, nothing personal
                personal, attendee = "", {}
            else:
                personal, attendee = v.get("personal", ""), parsed["attendee"]
            if letter.path not in self.compiled:
                self.compiled[letter.path] = compile_letter(letter)
            fast = self.compiled[letter.path]
            mine = drafts.personal_for(person, personal)  # the one rule for a foreign state (drafts.draft)
            make_ctx = partial(render.context, letter, person, who, mine, attendee, self.recipient(person, letter))
            if fast is not None:
                date = self.dates.get((letter.path, person["country"]))
                if date is None:
                    date = self.dates[(letter.path, person["country"])] = render.letter_date(letter, person)
                subject, body = fast.fill(person["id"], date, fast.values(who, mine, attendee), make_ctx)
            else:
                subject, body = render.render(letter, make_ctx())
            made.append(drafts.Draft(person, letter, subject, body, who))
        return v["name"], made, email, v.get("personal", "")

    def emit(self, done: Done, d: drafts.Draft, from_email: str) -> None:
        opts, rid, cc = self.opts, d.recipient["id"], d.recipient["country"]
        if opts.fmt in ("jsonl", "html"):
            pages = 1
            if opts.fmt == "jsonl":
                text = self.json_line(done, d)
            else:
                from advocate.drafts.html import html_letter

                text, pages = html_letter(d, opts.paper)
            done.texts.append(text)
            file = "-" if opts.out is None else f"letters.{opts.fmt}"
            done.entries.append((rid, d.recipient["name"], opts.fmt, file, _sha(text.encode("utf-8")), cc, pages))
            return
        if opts.fmt == "eml" and d.email:
            from advocate.drafts.eml import build_eml

            sender = (done.name, from_email) if from_email and not drafts.is_embassy(d.recipient) else None
            data, suffix, channel = (
                build_eml([(d.recipient["name"], d.email)], d.subject, d.body, sender),
                ".eml",
                "email",
            )
        else:
            data, suffix, channel = as_postal(d).encode("utf-8"), ".txt", "post"
        file = f"{done.number:05d}-{slug(done.name, 40)}-{rid}{suffix}"
        done.entries.append((rid, d.recipient["name"], channel, file, _sha(data), cc, 1))
        if opts.check or opts.dry_run or opts.out is None:
            return
        path = opts.out / file
        if self.resume and _same(path, data if self.resume == "compare" else None):
            done.kept += 1
        else:
            write_new(path, data)
            done.written += 1
            done.new.append(file)


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def personal_key(text: str) -> int | None:
    """The personal paragraph as the originality count compares it: case and spacing ignored; None if empty."""
    words = text.casefold().split()
    if not words:
        return None
    return int.from_bytes(hashlib.blake2b(" ".join(words).encode("utf-8"), digest_size=8).digest(), "big")


_FLAG = re.compile(r"--(state|district|constituency|council|wahlkreis|circo|department|zip|postcode)\b( XX)?")


def as_columns(message: str) -> str:
    """A lookup's message for an attendee row: batch has columns where `write` has flags."""
    return _FLAG.sub(lambda m: f"a {m[1]} column", message)


def fixed_recipients(ids: tuple[str, ...], letters: list[templates.Letter], template: str) -> list[Person]:
    """The --to recipients of every letter: international ones (lawmakers come from each attendee's place)."""
    from advocate.lookup import people as reps

    found = []
    for rid in ids:
        person = reps.show(rid)
        if person.get("country") != "INTL":
            raise InputProblem(
                f"--to {rid}: batch writes to each attendee's own lawmakers by place; --to takes an "
                "international recipient (advocate reps list --country INTL)"
            )
        if not any(templates.suits(x, person) for x in letters):
            raise InputProblem(f"letter {template!r} is not for {rid}; see `advocate templates list`")
        if person not in found:
            found.append(person)
    return found


def _same(path: Path, data: bytes | None) -> bool:
    """A regular file (never a symbolic link) at ``path``, holding ``data`` when given."""
    try:
        if not stat.S_ISREG(os.lstat(path).st_mode):
            return False  # a link or anything else is replaced, never followed
        if data is None:
            return True
        with open(path, "rb") as f:
            return f.read(len(data) + 1) == data
    except OSError:
        return False


# ---------------------------------------------------------------- worker processes

_WORKER: Worker | None = None
_PARENT = 0
PR_SET_PDEATHSIG = 1  # linux/prctl.h


def _die_with(parent: int) -> None:
    """Ask Linux to SIGKILL this process when its parent dies; elsewhere _work checks the parent."""
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(1)


def _init(opts: Options, header: list[str], resume: bool | str, parent: int) -> None:
    global _WORKER, _PARENT
    _PARENT = parent
    _die_with(parent)
    _WORKER = Worker(opts, header, resume)


def _work(chunk: list[csvin.Row], part: str | None = None) -> list[Done]:
    """One chunk's rows; with ``part``, their jsonl text goes into that file rather than back through the pipe."""
    assert _WORKER is not None
    if os.getppid() != _PARENT:  # orphaned (no PR_SET_PDEATHSIG here): stop, write nothing more
        os._exit(1)
    done = [_WORKER(row) for row in chunk]
    if part is not None and done:
        with open(part, "w", encoding="utf-8", newline="") as f:
            for d in done:
                f.write("".join(d.texts))
                d.texts = []
        done[-1].part = part
    return done


def _chunks(rows: Iterable[csvin.Row], size: int) -> Iterator[list[csvin.Row]]:
    chunk: list[csvin.Row] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def in_processes(
    rows: Iterable[csvin.Row], opts: Options, header: list[str], resume: bool | str, parts: str | None = None
) -> Iterator[Done]:
    """Rows rendered by ``opts.jobs`` processes, in order, with a bounded number of chunks in flight.
    A worker that dies (killed, out of memory) is one OutputProblem; the letters written so far stay, so
    the same command run again finishes the batch.

    ``parts``: a folder where each chunk's jsonl text is written by its worker (.letters.jsonl.N.part), for
    the main process to append in order (Output.add), instead of sending every letter through the pipe."""
    import multiprocessing
    from concurrent.futures import Future, ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    context = multiprocessing.get_context(method)
    initargs = (opts, header, resume, os.getpid())
    pool = ProcessPoolExecutor(opts.jobs, mp_context=context, initializer=_init, initargs=initargs)
    try:
        pending: list[Future[list[Done]]] = []
        for seq, chunk in enumerate(_chunks(rows, CHUNK)):
            part = None if parts is None else os.path.join(parts, f".letters.jsonl.{seq:06d}.part")
            pending.append(pool.submit(_work, chunk, part))
            if len(pending) >= 2 * opts.jobs:
                yield from pending.pop(0).result()
        for future in pending:
            yield from future.result()
    except BrokenProcessPool:
        raise OutputProblem(
            "a worker process died (killed, or out of memory); the letters written so far are kept: "
            "run the same command again to finish"
        ) from None
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
