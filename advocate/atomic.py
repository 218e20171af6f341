"""Atomic file writes: a temp file in the same folder, fsync, then rename. Never clobber by default."""

import errno
import os
import tempfile
from pathlib import Path

from advocate.errors import OutputProblem


def write_atomic(path: Path, data: bytes, *, force: bool = False) -> None:
    """Write ``data`` to ``path`` so that readers see the old file or the whole new one, never half.

    Refuses to replace an existing file unless ``force``.
    """
    if path.exists() and not force:
        raise OutputProblem(f"{path} already exists; use --force to overwrite it, or choose another --out folder")
    fd, tmp = temp_file(path.parent, path.name, ".part")
    try:
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; give the file the usual mode
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        if force:
            os.replace(tmp, path)
        else:
            # link() fails if the name appeared meanwhile, so a race cannot clobber either.
            try:
                os.link(tmp, path)
            except FileExistsError:
                raise OutputProblem(f"{path} already exists; use --force to overwrite it") from None
            except OSError:
                os.replace(tmp, path)  # file systems without hard links
            finally:
                if os.path.exists(tmp):
                    os.unlink(tmp)
    except OSError as err:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise OutputProblem(f"cannot write {path}: {err.strerror or err}") from None
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def temp_file(folder: Path, name: str, suffix: str) -> tuple[int, str]:
    """A new temp file ``.<name>.XXXX<suffix>`` in ``folder`` (made if missing): (open descriptor, path)."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        return tempfile.mkstemp(dir=folder, prefix=f".{name}.", suffix=suffix)
    except OSError as err:
        raise OutputProblem(f"cannot write into {folder}: {err.strerror or err}") from None


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_new(path: Path, data: bytes) -> None:
    """Atomic but not durable, for a batch writing thousands of files into a folder of its own:
    a temp name in the same folder, then rename. Four system calls; the mode follows the umask."""
    tmp = f"{path.parent}/.{path.name}.{os.getpid()}.part"
    try:
        flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_NOFOLLOW", 0)
        try:
            fd = os.open(tmp, flags, 0o666)
        except OSError as err:
            if err.errno != errno.ELOOP:
                raise
            os.unlink(tmp)  # a link planted at the temp name is removed, never written through
            fd = os.open(tmp, flags | os.O_EXCL, 0o666)
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
        finally:
            os.close(fd)
        os.replace(tmp, path)
    except OSError as err:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise OutputProblem(f"cannot write {path}: {err.strerror or err}") from None
