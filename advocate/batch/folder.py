"""The output folder of a batch: what only the main process writes (manifest, errors, one-file output),
the state file that makes a re-run resume, and the one jsonl file a run may create — and removes again
when the run fails or is interrupted."""

import hashlib
import json
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from advocate.atomic import write_atomic
from advocate.batch import csvin
from advocate.batch.options import Done, Options, Summary
from advocate.errors import OutputProblem
from advocate.templates import letters as templates

STATE = ".advocate-batch.json"


MANIFEST = ["row", "attendee", "recipient_id", "recipient_name", "channel", "file", "sha256", "page"]


class Output:
    """What only the main process writes, in row order: manifest.csv, errors.csv, letters.jsonl/html
    (``--split N``: letters-001.html, … with N letters each); ``--check`` writes errors.csv only."""

    def __init__(self, opts: Options, header: list[str], summary: Summary, stdout: IO[str] | None) -> None:
        self.opts, self.header, self.summary, self.stdout = opts, header, summary, stdout
        self.out = opts.out if not (opts.check or opts.dry_run) else None
        self.files: dict[str, IO[str]] = {}
        self.html: str | None = None  # the HTML file being filled …
        self.html_letters = self.html_pages = 0  # … how many letters and pages it holds so far
        if opts.check and opts.errors is not None:
            self._errors_file()
        if self.out is not None:
            self._open("manifest.csv").write(csvin.as_csv_line(MANIFEST))
            if opts.fmt == "jsonl":
                self._open("letters.jsonl")

    def _open(self, name: str) -> IO[str]:
        assert self.out is not None
        try:
            self.files[name] = (self.out / f".{name}.part").open("w", encoding="utf-8", newline="")
        except OSError as err:
            raise OutputProblem(f"cannot write into {self.out}: {err.strerror}") from None
        return self.files[name]

    def _errors_file(self) -> IO[str]:
        errors = self.files.get("errors.csv")
        if errors is None:
            if self.out is not None:
                errors = self._open("errors.csv")
            else:  # --check: errors.csv beside the CSV (or --errors FILE), nothing else
                path = self.opts.errors
                assert path is not None
                try:
                    errors = self.files["errors.csv"] = path.with_name(f".{path.name}.part").open(
                        "w", encoding="utf-8", newline=""
                    )
                except OSError as err:
                    raise OutputProblem(f"cannot write {path}: {err.strerror}") from None
            errors.write(csvin.as_csv_line(["row", "line", "reason", *self.header]))
        return errors

    def _html_target(self, pages: int) -> tuple[str, int]:
        """The HTML file a letter of ``pages`` pages goes into, and the page it starts on there."""
        split = self.opts.split
        if self.html is None or (split and self.html_letters >= split):
            if self.html is not None:
                self._close_html()
            self.summary.files += 1
            self.html = f"letters-{self.summary.files:03d}.html" if split else "letters.html"
            self.html_letters = self.html_pages = 0
            if self.out is not None:
                from advocate.drafts.html import html_head

                self._open(self.html).write(html_head(self.opts.paper))
        self.html_letters += 1
        self.html_pages += pages
        return self.html, self.html_pages - pages + 1

    def _close_html(self) -> None:
        if self.html is not None and self.html in self.files:
            from advocate.drafts.html import html_tail

            self.files[self.html].write(html_tail())

    def add(self, done: Done) -> None:
        self._add(done)
        if done.part is not None:  # the last row of a worker's chunk: the chunk's letters, in order
            self._append(done.part)

    def _add(self, done: Done) -> None:
        s = self.summary
        s.rows += 1
        if done.problem is not None:
            s.failed += 1
            if self.out is not None or (self.opts.check and self.opts.errors is not None):
                self._errors_file().write(
                    csvin.as_csv_line([str(done.number), str(done.line), done.problem, *done.fields])
                )
            return
        s.attendees += 1
        s.written += done.written
        s.kept += done.kept
        if done.personal is None:
            s.no_personal += 1
        else:
            s.personal[done.personal] += 1
        manifest = self.files.get("manifest.csv")
        html = self.opts.fmt == "html"
        for i, (rid, rname, channel, file, sha, cc, pages) in enumerate(done.entries):
            s.letters += 1
            s.by[(cc, channel)] += 1
            s.countries.add(cc)
            page = ""
            if pages > 1:
                s.long_rows.append(done.number)
            if html:
                file, first = self._html_target(pages)
                page = str(first)
                if self.out is not None and not (self.opts.check or self.opts.dry_run):
                    self.files[file].write(done.texts[i])
            if self.opts.dry_run:
                s.planned.append(file)
            if manifest is not None:
                manifest.write(csvin.as_csv_line([str(done.number), done.name, rid, rname, channel, file, sha, page]))
        if done.texts and not html and not self.opts.check and not self.opts.dry_run:
            target = self.files.get("letters.jsonl") or self.stdout
            if target is not None:
                target.write("".join(done.texts))
                if target is self.stdout:
                    s.written += len(done.entries)

    def jsonl_target(self) -> IO[str] | None:
        """The jsonl file, when it is a real file that worker processes' part files can be appended to."""
        target = self.files.get("letters.jsonl") or self.stdout
        if self.opts.fmt != "jsonl" or target is None or self.opts.check or self.opts.dry_run:
            return None
        try:
            target.fileno()
        except (OSError, AttributeError, ValueError):
            return None
        return target

    def _append(self, part: str) -> None:
        """A worker's chunk of jsonl, appended in order and removed."""
        target = self.jsonl_target()
        assert target is not None
        target.flush()
        try:
            with open(part, "rb") as f:
                size = os.fstat(f.fileno()).st_size
                offset = 0
                while offset < size:
                    sent = os.sendfile(target.fileno(), f.fileno(), offset, size - offset)
                    if not sent:
                        break
                    offset += sent
        except OSError as err:
            raise OutputProblem(f"cannot write the letters: {err.strerror}") from None
        finally:
            os.unlink(part)

    def close(self, complete: bool) -> None:
        self._close_html()
        for name, f in self.files.items():
            f.close()
            if name == "errors.csv" and self.out is None and self.opts.errors is not None:
                part = self.opts.errors.with_name(f".{self.opts.errors.name}.part")
                if complete:
                    os.replace(part, self.opts.errors)
                else:
                    part.unlink(missing_ok=True)
            elif complete and self.out is not None:
                os.replace(self.out / f".{name}.part", self.out / name)
        if complete and self.out is not None and "errors.csv" not in self.files:
            (self.out / "errors.csv").unlink(missing_ok=True)  # from an earlier run; every row succeeded now


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


_LETTER_FILE = re.compile(r"^(\d{5,}-[a-z0-9-]*-[A-Za-z0-9-]+\.(txt|eml)|letters-\d{3,}\.html)$")


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


@contextmanager
def jsonl_file(path: Path | None, force: bool) -> Iterator[IO[str] | None]:
    """The file ``--format jsonl --out FILE`` writes to (None: none to open). A file this run created is
    removed again if the run raises — an error, or Ctrl-C (KeyboardInterrupt) — so a failed run leaves nothing."""
    if path is None:
        yield None
        return
    stream, created = open_jsonl(path, force)
    try:
        yield stream
    except BaseException:
        stream.close()
        if created is not None:
            created.unlink(missing_ok=True)
        raise
    finally:
        stream.close()
