"""A batch's side of the local record: one entry per letter, one transaction per chunk, each letter once.

Each entry carries a key ``<where>@<run>#<row>:<recipient>`` (``<run>``: the hash of the batch's state — CSV,
letters, options), so a re-run of an interrupted batch adds exactly the letters its first run did not record,
and the record agrees with the manifest; another batch into the same folder (``--force``) is a new run.
Letters in their own files (txt, eml) are recorded as the run goes; a single-file output (html, jsonl) only
once the file is complete.
"""

import hashlib
import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from advocate.batch.options import Done, Options
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
        self.per_file = opts.fmt in ("txt", "eml")
        self.pending: list[Entry] = []
        self.languages: dict[str, str] = {}
        self.log: Log | None = None

    def add(self, done: Done) -> None:
        from advocate.record import Entry

        if done.problem is not None:
            return
        for rid, rname, channel, file, sha, _ in done.entries:
            path = f"{self.root}{os.sep}{file}" if self.folder else self.root
            key = f"{self.prefix}{done.number}:{rid}"
            entry = Entry(self.when, self.opts.template, self._language(rid), rid, rname, CHANNEL.get(channel, channel),
                          path, sha, key)  # fmt: skip
            self.pending.append(entry)
        if self.per_file and len(self.pending) >= CHUNK:
            self._flush()

    def close(self, complete: bool) -> None:
        """Record what is left (all of it when the run completed; for txt/eml also after an interruption)."""
        try:
            if complete or self.per_file:
                self._flush()
        finally:
            if self.log is not None:
                self.log.close()

    def _flush(self) -> None:
        from advocate.record import open_log, stamp

        if self.log is None:
            self.log = open_log()
        while self.pending:
            chunk, self.pending = self.pending[:CHUNK], self.pending[CHUNK:]
            self.log.record(chunk)
        self.when = stamp()

    def _language(self, rid: str) -> str:
        """The language of the letter the worker picked for this recipient (the same rule, in this process)."""
        if rid not in self.languages:
            from advocate.lookup import people

            self.languages[rid] = templates.pick(self.opts.template, people.show(rid), letters=self.letters).language
        return self.languages[rid]
