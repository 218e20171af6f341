"""What only the main process writes into a batch's folder, in row order: manifest.csv, errors.csv and the
one-file outputs (letters.html, letters-NNN.html, letters.jsonl)."""

import csv
import os
from pathlib import Path
from typing import IO

from advocate.batch import csvin
from advocate.batch.options import Done, Options, Summary
from advocate.errors import OutputProblem

_NEW = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)


class Output:
    """What only the main process writes, in row order: manifest.csv, errors.csv, letters.jsonl/html
    (``--split N``: letters-001.html, … with N letters each); ``--check`` writes errors.csv only."""

    def __init__(
        self, opts: Options, header: list[str], summary: Summary, stdout: IO[str] | None, merge: bool = False
    ) -> None:
        self.opts, self.header, self.summary, self.stdout = opts, header, summary, stdout
        self.out = opts.out if not (opts.check or opts.dry_run) else None
        self.files: dict[str, IO[str]] = {}
        self.merge = merge and opts.limit is not None  # keep the earlier run's rows past the limit
        self.last = 0  # the last row done
        self.new: list[str] = []  # letter files this run wrote
        self.listed: set[str] = set()  # files in the manifest
        self.recipients: dict[str, set[str]] = {}  # dataset → recipient ids, for the state file
        self.html: str | None = None  # the HTML file being filled …
        self.html_letters = self.html_pages = 0  # … how many letters and pages it holds so far
        self.check_errors: IO[str] | None = None  # --check: errors.csv beside the CSV (or --errors FILE)
        if opts.check and opts.errors is not None:
            try:
                self.check_errors = self._check_part().open("w", encoding="utf-8", newline="")
            except OSError as err:
                raise OutputProblem(f"cannot write {opts.errors}: {err.strerror}") from None
            self.check_errors.write(csvin.safe_csv_line(["row", "line", "reason", *self.header]))
        if self.out is not None:
            self._write("manifest.csv", MANIFEST)
            if opts.fmt == "jsonl":
                self._open("letters.jsonl")

    def _check_part(self) -> Path:
        assert self.opts.errors is not None
        return self.opts.errors.with_name(f".{self.opts.errors.name}.part")

    def _open(self, name: str) -> IO[str]:
        assert self.out is not None
        try:  # O_EXCL and no link followed: a name planted meanwhile is refused, not written through
            fd = os.open(self.out / f".{name}.part", _NEW, 0o666)
            self.files[name] = os.fdopen(fd, "w", encoding="utf-8", newline="")
        except OSError as err:
            raise OutputProblem(f"cannot write into {self.out}: {err.strerror}") from None
        return self.files[name]

    def _write(self, name: str, text: str) -> None:
        try:
            (self.files.get(name) or self._open(name)).write(text)
        except OSError as err:  # a full disk, an I/O error: one line; the folder is cleaned by close()
            raise OutputProblem(f"cannot write {self.out and self.out / name}: {err.strerror or err}") from None

    def _error_row(self, values: list[str]) -> None:
        if self.check_errors is not None:
            self.check_errors.write(csvin.safe_csv_line(values))
            return
        if "errors.csv" not in self.files:
            self._write("errors.csv", csvin.safe_csv_line(["row", "line", "reason", *self.header]))
        self._write("errors.csv", csvin.safe_csv_line(values))

    def _html_target(self, pages: int) -> tuple[str, int]:
        """The HTML file a letter of ``pages`` pages goes into, and the page it starts on there."""
        split = self.opts.split
        if self.html is None or (split and self.html_letters >= split):
            self._close_html()
            self.summary.files += 1
            self.html = f"letters-{self.summary.files:03d}.html" if split else "letters.html"
            self.html_letters = self.html_pages = 0
            if self.out is not None:
                from advocate.drafts.html import html_head

                self._write(self.html, html_head(self.opts.paper))
        self.html_letters += 1
        self.html_pages += pages
        return self.html, self.html_pages - pages + 1

    def _close_html(self) -> None:
        if self.html is not None and self.html in self.files:
            from advocate.drafts.html import html_tail

            self._write(self.html, html_tail())

    def add(self, done: Done) -> None:
        self._add(done)
        if done.part is not None:  # the last row of a worker's chunk: the chunk's letters, in order
            self._append(done.part)

    def _add(self, done: Done) -> None:
        s = self.summary
        s.rows += 1
        self.last = done.number
        self.new += done.new
        if done.problem is not None:
            s.failed += 1
            if self.out is not None or self.check_errors is not None:
                self._error_row([str(done.number), str(done.line), done.problem, *done.fields])
            return
        s.attendees += 1
        s.written += done.written
        s.kept += done.kept
        if done.personal is None:
            s.no_personal += 1
        else:
            s.personal[done.personal] += 1
        manifest = self.out is not None
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
                done.entries[i] = (rid, rname, channel, file, sha, cc, pages)  # the file it went into (--split)
                if manifest:
                    self._write(file, done.texts[i])
            if self.opts.dry_run:
                s.planned.append(file)
            if manifest:
                self._write("manifest.csv", csvin.safe_csv_line([str(done.number), done.name, rid, rname, channel,
                                                                 file, sha, page]))  # fmt: skip
                self.listed.add(file)
                self.recipients.setdefault(_dataset(cc), set()).add(rid)
        if done.texts and not html and not self.opts.check and not self.opts.dry_run:
            if "letters.jsonl" in self.files:
                self._write("letters.jsonl", "".join(done.texts))
            elif self.stdout is not None:
                self.stdout.write("".join(done.texts))
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
        """A worker's chunk of jsonl, appended in order (sendfile) and removed."""
        target = self.jsonl_target()
        assert target is not None
        try:
            target.flush()
            with open(part, "rb") as f:
                size, offset = os.fstat(f.fileno()).st_size, 0
                while offset < size:
                    sent = os.sendfile(target.fileno(), f.fileno(), offset, size - offset)
                    if not sent:
                        break
                    offset += sent
        except OSError as err:
            raise OutputProblem(f"cannot write the letters: {err.strerror or err}") from None
        finally:
            os.unlink(part)

    def close(self, complete: bool) -> None:
        """Complete: the files take their names (a link there is replaced, never followed). Else: removed."""
        if self.check_errors is not None:
            self.check_errors.close()
            if complete:
                os.replace(self._check_part(), self.opts.errors or "errors.csv")
            else:
                self._check_part().unlink(missing_ok=True)
        try:
            if complete:
                self._finish_files()
        finally:
            for name, f in self.files.items():
                try:
                    f.close()
                except OSError:
                    complete = False
                if not complete and self.out is not None:
                    (self.out / f".{name}.part").unlink(missing_ok=True)
        if not complete or self.out is None:
            return
        try:
            for name in self.files:
                os.replace(self.out / f".{name}.part", self.out / name)
            if "errors.csv" not in self.files:
                (self.out / "errors.csv").unlink(missing_ok=True)  # from an earlier run; every row succeeded now
        except OSError as err:
            raise OutputProblem(f"cannot write into {self.out}: {err.strerror or err}") from None

    def _finish_files(self) -> None:
        self._close_html()
        if self.merge and self.out is not None:  # --limit never shrinks the manifest of an earlier run
            # (safe_csv_line again is a no-op on cells it escaped: they start with ' now)
            for values in rows_after(self.out / "manifest.csv", self.last, 7):
                self._write("manifest.csv", csvin.safe_csv_line(values))
                self.listed.add(values[5])
                self.recipients.setdefault(values[2].split("-", 1)[0], set()).add(values[2])
            for values in rows_after(self.out / "errors.csv", self.last, 3):
                self._error_row(values)
        for f in self.files.values():
            try:
                f.flush()
            except OSError as err:
                raise OutputProblem(f"cannot write into {self.out}: {err.strerror or err}") from None


MANIFEST = csvin.as_csv_line(["row", "attendee", "recipient_id", "recipient_name", "channel", "file", "sha256", "page"])


def _dataset(country: str) -> str:
    from advocate.opendata import store

    return store.dataset_for(country)


def rows_after(path: Path, last: int, width: int) -> list[list[str]]:
    """The rows of an earlier manifest.csv or errors.csv past row ``last``, as written (already escaped)."""
    try:
        with path.open(encoding="utf-8", newline="") as f:
            rows = list(csv.reader(f))[1:]
    except (OSError, csv.Error, UnicodeDecodeError):
        return []
    return [r for r in rows if len(r) >= width and r[0].isdigit() and int(r[0]) > last]
