"""The output folder of a batch: which files are a batch's, the lock, the state file that makes a re-run
resume, the check of an earlier run's letters, the roll-back, and the one jsonl file a run may create — and
removes again when the run fails or is interrupted. What goes into the folder row by row is ``output``."""

import hashlib
import json
import os
import re
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from advocate.atomic import write_atomic
from advocate.batch.output import Output, rows_after
from advocate.batch.state import STATE, changes, completed
from advocate.errors import OutputProblem

LOCK = ".advocate-batch.lock"
SINGLE = ("letters.html", "letters.jsonl")
OURS = frozenset(("manifest.csv", "errors.csv", *SINGLE, STATE, LOCK))  # what a batch writes, besides letters
_LETTER_FILE = re.compile(r"^\d{5,}-[a-z0-9-]*-[A-Za-z0-9-]+\.(txt|eml)$")
_SPLIT_HTML = re.compile(r"^letters-\d{3,}\.html$")  # --split N


def is_ours(name: str) -> bool:
    """A name a batch writes: its files, its letters, and the temp files of either."""
    if name.startswith(".") and name.endswith(".part"):
        base = name[1:-5]
        return any(b in OURS or _LETTER_FILE.match(b) or _SPLIT_HTML.match(b) for b in (base, base.rsplit(".", 1)[0]))
    return name in OURS or bool(_LETTER_FILE.match(name) or _SPLIT_HTML.match(name))


def _is_part(name: str) -> bool:
    return name.endswith(".part") and is_ours(name)


def refuse_inputs(out: Path, inputs: list[Path]) -> None:
    """``--out`` may be neither an input (the CSV, a letter file) nor a folder holding one: never written over."""
    target = out.resolve()
    for path in inputs:
        real = path.resolve()
        same = real == target or (out.exists() and path.exists() and os.path.samefile(out, path))
        if same:
            raise OutputProblem(f"--out {out} is an input of this batch ({path}); give --out a new file or folder")
        if target in real.parents:
            raise OutputProblem(
                f"--out {out} holds an input of this batch ({path}); give the letters a folder of their own"
            )


class Folder:
    """The output folder of one run: made or found, locked (one run at a time), checked against the run
    that wrote it; at the end finished (the state of a complete run, stale letters removed) or rolled back."""

    def __init__(self, out: Path, force: bool) -> None:
        self.out, self.force = out, force
        self.created = False
        self.lock_fd: int | None = None
        self.previous: bytes | None = None  # the state file as it was
        self.resume: bool | str = False
        self.before: set[str] = set()  # what the folder held, for a roll-back
        self.opened = False  # checked and locked by this run

    def open(self, state: dict[str, Any]) -> bool | str:
        """Make the folder ready; returns the worker's resume mode (False, True or "compare")."""
        out = self.out
        if out.exists() and not out.is_dir():
            raise OutputProblem(f"{out} is a file, not a folder; give --out a folder")
        if not out.exists():
            try:
                out.mkdir(parents=True)
                self.created = True
            except FileExistsError:
                pass
            except OSError as err:
                raise OutputProblem(f"cannot create {out}: {err.strerror}") from None
        self._lock()
        try:
            self.resume = self._check(state)
            self.before = set(os.listdir(out))
            self.opened = True
            for leftover in out.iterdir():  # temp files of a run that was killed mid-write
                if _is_part(leftover.name):
                    leftover.unlink()
        except OSError as err:
            self._unmake()
            raise OutputProblem(f"cannot write into {out}: {err.strerror}") from None
        except BaseException:
            self._unmake()  # refused: the folder stays exactly as it was
            raise
        write_atomic(out / STATE, json.dumps(state, indent=2).encode("utf-8"), force=True)
        return self.resume

    def _lock(self) -> None:
        """One run per folder: an flock on .advocate-batch.lock, which dies with the process that holds it
        (and its workers), so a killed run never leaves a stale lock. The file is removed when the run ends."""
        try:
            import fcntl
        except ImportError:  # no flock (Windows): no lock
            return
        path = self.out / LOCK
        for _ in range(10):
            try:
                fd = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0), 0o666)
            except OSError as err:
                raise OutputProblem(f"cannot write into {self.out}: {err.strerror}") from None
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                os.close(fd)
                raise OutputProblem(
                    f"{self.out} is in use by another batch; wait for it to finish, or choose another --out folder"
                ) from None
            try:
                if os.stat(path, follow_symlinks=False).st_ino == os.fstat(fd).st_ino:
                    self.lock_fd = fd
                    return
            except FileNotFoundError:
                pass
            os.close(fd)  # the run that held it removed it meanwhile: lock the new one
        raise OutputProblem(f"{self.out} is in use by another batch; wait for it to finish, or choose another --out")

    def _check(self, state: dict[str, Any]) -> bool | str:
        out, force = self.out, self.force
        entries = sorted(p.name for p in out.iterdir() if not _is_part(p.name) and p.name != LOCK)
        if not entries:
            return False
        foreign = [n for n in entries if not is_ours(n)]
        try:
            self.previous = (out / STATE).read_bytes()
            previous = json.loads(self.previous)
            assert isinstance(previous, dict)
        except (OSError, ValueError, AssertionError):
            previous = None
        if previous is None and not force:
            raise OutputProblem(f"{out} is not empty and holds no earlier run of a batch ({_few(entries)}); "
                                "use an empty folder or --force")  # fmt: skip
        if foreign and not force:
            raise OutputProblem(
                f"{out} is not empty: {_few(foreign)} is not from a batch, and a batch writes only into an empty "
                "folder or an earlier run's; move it out, or use --force to write beside it"
            )
        if previous is None:
            return False
        changed = changes(previous, state)
        if changed:
            if not force:
                raise OutputProblem(
                    f"{out} holds an earlier run made from other input ({'; '.join(changed)}); "
                    "use --force to rewrite the letters that differ, or another --out folder"
                )
            return "compare"
        damaged = self._damaged()
        if damaged and not force:
            raise OutputProblem(
                f"{out}: {len(damaged)} letter(s) no longer match their SHA-256 in manifest.csv ({_few(damaged)}: "
                "edited, cut or empty); use --force to write them again, or move them out"
            )
        for name in damaged:  # --force: exactly these are written again
            (out / name).unlink()
        return True

    def _damaged(self) -> list[str]:
        """Letter files listed in manifest.csv whose bytes no longer match (a missing one is just written)."""
        damaged = []
        for values in rows_after(self.out / "manifest.csv", 0, 7):
            name, sha = values[5], values[6]
            if not _LETTER_FILE.match(name):
                continue  # letters.html/jsonl are written whole every run
            path = self.out / name
            try:
                if not stat.S_ISREG(os.lstat(path).st_mode):
                    damaged.append(name)
                elif hashlib.sha256(path.read_bytes()).hexdigest() != sha:
                    damaged.append(name)
            except FileNotFoundError:
                continue
        return sorted(set(damaged))

    def finish(self, state: dict[str, Any], output: Output) -> None:
        """A complete run: its state (datasets used, their recipients' fingerprints); in compare mode the
        letters of the earlier run that are no longer in the manifest are removed."""
        write_atomic(self.out / STATE, json.dumps(completed(state, output.recipients), indent=2).encode(), force=True)
        if self.resume != "compare":
            return
        for path in self.out.iterdir():
            stale = _LETTER_FILE.match(path.name) or _SPLIT_HTML.match(path.name) or path.name in SINGLE
            if stale and path.name not in output.listed:
                if path.name not in output.files:
                    path.unlink(missing_ok=True)

    def roll_back(self) -> None:
        """A run failed on bad input: remove what it added (its letters and files, the state, the lock, the
        folder if it made it); what was there before stays."""
        out = self.out
        try:
            for name in os.listdir(out):
                if is_ours(name) and (name not in self.before or _is_part(name)) and name not in (STATE, LOCK):
                    (out / name).unlink(missing_ok=True)
            if self.previous is not None:
                write_atomic(out / STATE, self.previous, force=True)
            else:
                (out / STATE).unlink(missing_ok=True)
        except OSError:
            pass  # the error being raised says what went wrong
        self._unmake()

    def clean_parts(self) -> None:
        """After a full disk, a dead worker or Ctrl-C: the temp files go, the whole letters and the state stay."""
        if not self.opened:
            return  # the folder was never ours in this run (refused, or in use by another)
        try:
            for name in os.listdir(self.out):
                if _is_part(name):
                    (self.out / name).unlink(missing_ok=True)
        except OSError:
            pass

    def _unmake(self) -> None:
        """Remove the lock file, and the folder if this run made it."""
        self.release()
        if self.created:
            try:
                self.out.rmdir()
            except OSError:
                pass

    def release(self) -> None:
        """Unlock: the lock file is removed while still held, so no other run can hold a lock on it."""
        if self.lock_fd is not None:
            (self.out / LOCK).unlink(missing_ok=True)
            os.close(self.lock_fd)
            self.lock_fd = None


def _few(names: list[str]) -> str:
    return ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")


def open_jsonl(path: Path, force: bool) -> tuple[IO[str], Path | None]:
    """Open a file (or /dev/null) for ``--format jsonl``; also returns the path if this call created it."""
    if path.is_symlink():
        raise OutputProblem(f"{path} is a symbolic link; batch never writes through one: give another --out")
    if path.is_file() and not force:
        raise OutputProblem(f"{path} already exists; use --force to overwrite it, or choose another --out")
    created = None if path.exists() else path
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_NOFOLLOW", 0), 0o666)
        return os.fdopen(fd, "w", encoding="utf-8"), created
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
