"""The local record of letters written: one SQLite file in the user's folder, nothing leaves the machine.

WAL mode and a busy timeout let two ``advocate`` processes write at once; every write is one
``BEGIN IMMEDIATE`` transaction, so a killed process leaves the file as it was before or after it.
``PRAGMA user_version`` is the schema version; ``MIGRATIONS[n]`` takes a file from version n to n+1.
A file SQLite cannot read is moved aside (never deleted) and reported in one line.
"""

import builtins
import datetime as dt
import os
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from ..errors import LookupFailed, OutputProblem, RecordProblem
from .entry import COLUMNS, Entry, Row, csv_cell, parse_date, today

FILENAME = "letters.sqlite3"
TIMEOUT = 15.0  # seconds a write waits for another process's transaction
_BUSY, _LOCKED, _CORRUPT, _NOTADB = 5, 6, 11, 26  # SQLite's primary result codes

# MIGRATIONS[n] takes a file at schema version n to n + 1; append, never edit a released step.
MIGRATIONS: list[tuple[str, ...]] = [
    (
        """CREATE TABLE letters (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            written_at TEXT NOT NULL,
            template TEXT NOT NULL,
            language TEXT NOT NULL,
            recipient_id TEXT NOT NULL,
            recipient_name TEXT NOT NULL,
            channel TEXT NOT NULL,
            file TEXT NOT NULL,
            sha256 TEXT NOT NULL,
            batch_key TEXT UNIQUE,
            sent_on TEXT,
            reply_on TEXT
        )""",
        "CREATE INDEX letters_written_at ON letters (written_at)",
    ),
    ("ALTER TABLE letters ADD COLUMN follows INTEGER",),  # the letter a follow-up follows up
]

_FIELDS = ", ".join(COLUMNS)
_INSERT = f"INSERT OR IGNORE INTO letters ({', '.join(COLUMNS[1:-2])}) VALUES ({', '.join('?' * (len(COLUMNS) - 3))})"  # noqa: S608


def schema_version() -> int:
    return len(MIGRATIONS)


def default_path() -> Path:
    from ..resources import user_home

    return user_home() / FILENAME


def open_log(path: Path | str | None = None, timeout: float = TIMEOUT) -> "Log":
    """The record at ``path`` (default: ``letters.sqlite3`` in the user's folder); opened on first use."""
    return Log(Path(path) if path is not None else default_path(), timeout)


class Log:
    def __init__(self, path: Path, timeout: float = TIMEOUT) -> None:
        self.path = path
        self.timeout = timeout
        self._db: sqlite3.Connection | None = None

    def __enter__(self) -> "Log":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None

    # -- writing ---------------------------------------------------------------------------------

    def record(self, entries: Iterable[Entry]) -> int:
        """Store entries in one transaction; returns how many were new (a known batch_key is skipped)."""
        params = [
            (e.written_at, e.template, e.language, e.recipient_id, e.recipient_name, e.channel, e.file, e.sha256,
             e.batch_key, e.follows)
            for e in entries
        ]  # fmt: skip
        if not params:
            return 0
        with self._write() as db:
            before = db.total_changes
            db.executemany(_INSERT, params)
            return db.total_changes - before

    def mark_sent(self, id: int, date: str | dt.date | None = None) -> Row:
        return self._mark(id, "sent_on", date)

    def mark_reply(self, id: int, date: str | dt.date | None = None) -> Row:
        return self._mark(id, "reply_on", date)

    def _mark(self, id: int, column: str, date: str | dt.date | None) -> Row:
        day = (today() if date is None else parse_date(date, "--date")).isoformat()
        if self._missing():
            raise self._unknown([id])
        with self._write() as db:
            if db.execute(f"UPDATE letters SET {column} = ? WHERE id = ?", (day, id)).rowcount == 0:  # noqa: S608
                raise self._unknown([id])
        return self.get(id)

    def forget(self, ids: Sequence[int] | None = None, before: str | dt.date | None = None) -> int:
        """Delete the given ids (all must exist) or every letter written before a date; returns how many."""
        if (ids is None) == (before is None):
            raise ValueError("forget takes either ids or before, not both or neither")
        if self._missing():
            if before is not None:
                parse_date(before, "--before")
                return 0
            if wanted := sorted(set(ids or ())):
                raise self._unknown(wanted)
            return 0
        with self._write() as db:
            if before is not None:
                day = parse_date(before, "--before").isoformat()
                gone = db.execute("DELETE FROM letters WHERE substr(written_at, 1, 10) < ?", (day,)).rowcount
            else:
                wanted = sorted(set(ids or ()))
                if not wanted:
                    return 0
                known = {r[0] for r in self._select(db, "id", wanted)}
                if missing := [i for i in wanted if i not in known]:
                    raise self._unknown(missing)
                gone = db.execute(f"DELETE FROM letters WHERE id IN ({','.join('?' * len(wanted))})", wanted).rowcount  # noqa: S608
        with self._guard() as db:  # secure_delete zeroed the rows; this empties the WAL that still held them
            db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return gone

    # -- reading ---------------------------------------------------------------------------------

    def get(self, id: int) -> Row:
        if self._missing():
            raise self._unknown([id])
        with self._guard() as db:
            rows = self._select(db, _FIELDS, [id])
        if not rows:
            raise self._unknown([id])
        return _row(rows[0])

    def list(
        self, since: str | dt.date | None = None, to: str | None = None, template: str | None = None
    ) -> builtins.list[Row]:
        """Letters newest first; ``since`` a date written on or after, ``to`` a recipient id, ``template`` a name."""
        where: builtins.list[str] = []
        args: builtins.list[str] = []
        if since is not None:
            where.append("substr(written_at, 1, 10) >= ?")
            args.append(parse_date(since, "--since").isoformat())
        if to is not None:
            where.append("recipient_id = ?")
            args.append(to)
        if template is not None:
            where.append("template = ?")
            args.append(template)
        sql = f"SELECT {_FIELDS} FROM letters {'WHERE ' + ' AND '.join(where) if where else ''}"  # noqa: S608
        if self._missing():
            return []
        with self._guard() as db:
            return [_row(r) for r in db.execute(sql + " ORDER BY written_at DESC, id DESC", args)]

    def due(self, on: str | dt.date | None = None, days: int = 14) -> builtins.list[Row]:
        """Letters waiting for a reply: none recorded for the letter or for any letter in its chain of follow-ups,
        no follow-up written to it yet (then that one waits instead), and sent (or written, if never marked)
        ``days`` or more before ``on``; oldest first."""
        if days < 0:
            raise ValueError(f"days must be 0 or more, not {days}")
        cutoff = (today() if on is None else parse_date(on)) - dt.timedelta(days=days)
        if self._missing():
            return []
        sql = (
            f"SELECT {_FIELDS} FROM letters WHERE reply_on IS NULL"  # noqa: S608
            " AND coalesce(sent_on, substr(written_at, 1, 10)) <= ?"
            " ORDER BY coalesce(sent_on, substr(written_at, 1, 10)), id"
        )
        with self._guard() as db:  # only the links of every letter; whole rows only for the candidates
            follows: dict[int, int | None] = dict(db.execute("SELECT id, follows FROM letters"))
            replied = [i for (i,) in db.execute("SELECT id FROM letters WHERE reply_on IS NOT NULL")]
            candidates = [_row(r) for r in db.execute(sql, (cutoff.isoformat(),))]
        followed = {f for f in follows.values() if f in follows}
        answered = {_first(i, follows) for i in replied}
        return [r for r in candidates if r.id not in followed and _first(r.id, follows) not in answered]

    def export_csv(self, target: Path | str | IO[str]) -> int:
        """Every letter as CSV (oldest first, spreadsheet-safe cells) to a path or a text stream; returns rows."""
        import csv

        rows = list(reversed(self.list()))

        def write(stream: IO[str]) -> None:
            out = csv.writer(stream, lineterminator="\r\n")
            out.writerow(COLUMNS)
            out.writerows([csv_cell(getattr(r, c)) for c in COLUMNS] for r in rows)

        if isinstance(target, str | Path):
            try:
                with open(target, "w", encoding="utf-8", newline="") as f:
                    write(f)
            except OSError as err:
                raise OutputProblem(f"cannot write {target}: {err.strerror}; choose another file") from None
        else:
            write(target)
        return len(rows)

    # -- the connection --------------------------------------------------------------------------

    @staticmethod
    def _select(db: sqlite3.Connection, columns: str, ids: builtins.list[int]) -> builtins.list[Any]:
        marks = ",".join("?" * len(ids))
        return db.execute(f"SELECT {columns} FROM letters WHERE id IN ({marks})", ids).fetchall()  # noqa: S608

    def _missing(self) -> bool:
        """No record yet: reading it, or marking a letter in it, must not create the file."""
        return self._db is None and not os.path.lexists(self.path)

    def _unknown(self, ids: builtins.list[int]) -> LookupFailed:
        which = ", ".join(str(i) for i in ids)
        return LookupFailed(f"no letter with id {which} in {self.path}; `advocate log` lists the ids")

    def _connect(self) -> sqlite3.Connection:
        if self._db is None:
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                os.close(os.open(self.path, os.O_CREAT | os.O_RDWR, 0o600))  # the record is private: mode 600
            except OSError as err:
                raise RecordProblem(
                    f"cannot create {self.path}: {err.strerror}; set ADVOCATE_HOME to a writable folder"
                ) from None
            self._db = self._set_up()
        return self._db

    def _set_up(self) -> sqlite3.Connection:
        """A connection in WAL mode with the schema current. Switching a new file to WAL can answer "busy" at once,
        without SQLite's busy handler, while another process does the same: retried until the timeout."""
        import time

        deadline = time.monotonic() + self.timeout
        while True:
            db = sqlite3.connect(self.path, timeout=self.timeout, isolation_level=None)
            try:
                db.execute(f"PRAGMA busy_timeout = {int(self.timeout * 1000)}")
                db.execute("PRAGMA journal_mode = WAL")
                db.execute("PRAGMA synchronous = NORMAL")  # WAL + NORMAL: atomic and safe from a killed process
                db.execute("PRAGMA secure_delete = ON")  # forget really forgets
                self._migrate(db)
                return db
            except sqlite3.OperationalError as err:
                db.close()
                busy = getattr(err, "sqlite_errorcode", 0) & 0xFF in (_BUSY, _LOCKED)
                if not busy or time.monotonic() > deadline:
                    raise
                time.sleep(0.02)
            except BaseException:
                db.close()
                raise

    def _migrate(self, db: sqlite3.Connection) -> None:
        version: int = db.execute("PRAGMA user_version").fetchone()[0]
        if version == schema_version():
            return
        if version > schema_version():
            raise RecordProblem(
                f"{self.path} is from a newer advocate (schema {version}, this one knows {schema_version()});"
                " upgrade advocate to read it"
            )
        db.execute("BEGIN IMMEDIATE")
        try:
            version = db.execute("PRAGMA user_version").fetchone()[0]  # another process may have migrated it
            for steps in MIGRATIONS[version:]:
                for sql in steps:
                    db.execute(sql)
            db.execute(f"PRAGMA user_version = {schema_version()}")
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise

    @contextmanager
    def _guard(self) -> Iterator[sqlite3.Connection]:
        """The connection, with SQLite's errors turned into one RecordProblem line naming the file."""
        try:
            yield self._connect()
        except sqlite3.DatabaseError as err:
            code = getattr(err, "sqlite_errorcode", 0) & 0xFF
            if code in (_CORRUPT, _NOTADB):
                aside = self._move_aside()
                raise RecordProblem(
                    f"{self.path} is corrupt ({err}); moved it to {aside.name} beside it and starting a new record"
                    " — copy a backup back to restore"
                ) from None
            if code in (_BUSY, _LOCKED):
                raise RecordProblem(
                    f"{self.path} is locked by another program (waited {self.timeout:g} s); close it and try again"
                ) from None
            raise RecordProblem(f"{self.path} cannot be used ({err}); check the file and its folder") from None

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        with self._guard() as db:
            db.execute("BEGIN IMMEDIATE")
            try:
                yield db
            except BaseException:
                if db.in_transaction:
                    db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")

    def _move_aside(self) -> Path:
        self.close()
        when = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
        aside = self.path.with_name(f"{self.path.name}.corrupt-{when}")
        n = 1
        while aside.exists():
            n += 1
            aside = self.path.with_name(f"{self.path.name}.corrupt-{when}-{n}")
        for suffix in ("-wal", "-shm", ""):  # the main file last: its name is what the next open looks for
            part = Path(f"{self.path}{suffix}")
            if part.exists():
                os.replace(part, f"{aside}{suffix}")
        return aside


def _first(id: int, follows: dict[int, int | None]) -> int:
    """The id of the first letter in the chain of follow-ups a letter belongs to (a forgotten one ends it)."""
    seen = {id}
    while (earlier := follows.get(id)) in follows and earlier not in seen:
        id = earlier
        seen.add(id)
    return id


def _row(values: Sequence[Any]) -> Row:
    return Row(**dict(zip(COLUMNS, values, strict=True)))
