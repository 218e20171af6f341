"""A batch's side of the local record: one entry per letter, one transaction per chunk, each letter once.

Each entry carries a key ``<where>@<run>#<row>:<recipient>`` (``<run>``: the hash of the batch's state — CSV,
letters, options), so a re-run of an interrupted batch adds exactly the letters its first run did not record,
and the record agrees with the manifest; another batch into the same folder (``--force``) is a new run.
Entries are written as the run goes, 200 a transaction, and the rest when it ends; a run rolled back (bad
input) writes no more. A record that cannot be written (locked, corrupt, a full disk) never stops the letters:
recording stops, and its one error line comes after the run — unless the run has an error of its own.
"""

import hashlib
import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from advocate.batch.options import Done, Options
from advocate.errors import AdvocateError
from advocate.templates import letters as templates

if TYPE_CHECKING:
    from advocate.record import Entry, Log

CHUNK = 200  # letters per transaction
CHANNEL = {"email": "email-draft", "post": "postal", "html": "postal", "jsonl": "email-draft"}


class Logbook:
    def __init__(self, opts: Options, where: Path, letters: list[templates.Letter], state: dict[str, Any]) -> None:
        from advocate.record import stamp

        self.opts, self.letters = opts, letters
        self.root = str(where.resolve())
        run = hashlib.sha256(json.dumps(state, sort_keys=True).encode("utf-8")).hexdigest()[:16]
        self.prefix = f"{self.root}@{run}#"
        self.folder = where.is_dir()
        self.when = stamp()  # one time of day per chunk
        self.pending: list[Entry] = []
        self.languages: dict[str, str] = {}
        self.log: Log | None = None
        self.failed: AdvocateError | None = None

    def add(self, done: Done) -> None:
        from advocate.record import Entry

        if done.problem is not None or self.failed is not None:
            return
        for rid, rname, channel, file, sha, _, _ in done.entries:
            path = f"{self.root}{os.sep}{file}" if self.folder else self.root
            key = f"{self.prefix}{done.number}:{rid}"
            entry = Entry(self.when, self.opts.template, self._language(rid), rid, rname, CHANNEL.get(channel, channel),
                          path, sha, key)  # fmt: skip
            self.pending.append(entry)
        if len(self.pending) >= CHUNK:
            self._flush()

    def close(self, keep: bool, quiet: bool = False) -> None:
        """Record what is left (``keep``) and close the file; ``quiet``: on the way out of a failed run, whose
        own error is the one to report."""
        if keep:
            self._flush()
        self.pending = []
        if self.log is not None:
            self.log.close()
            self.log = None
        if self.failed is not None and not quiet:
            raise self.failed

    def _flush(self) -> None:
        from advocate.record import log, open_log, stamp

        try:
            if self.log is None:
                self.log = open_log(timeout=log.TIMEOUT)
            while self.pending and self.failed is None:
                chunk, self.pending = self.pending[:CHUNK], self.pending[CHUNK:]
                self.log.record(chunk)
        except AdvocateError as problem:
            self.failed, self.pending = problem, []
        self.when = stamp()

    def _language(self, rid: str) -> str:
        """The language of the letter the worker picked for this recipient (the same rule, in this process)."""
        if rid not in self.languages:
            from advocate.lookup import people

            self.languages[rid] = templates.pick(self.opts.template, people.show(rid), letters=self.letters).language
        return self.languages[rid]
