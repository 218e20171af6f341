"""What one letter may cost: memory, CPU time, the size of every text it builds, and which files it may include.

A user's letter is code. The sandbox keeps it away from Python's internals; this module keeps it from
exhausting the machine. Two layers:

- Checks before each operation that multiplies text or numbers (``*``, ``**``, ``%``, ``center``, ``indent``,
  ``format``, ``join``, ``replace``, ``lipsum``, ``range``, the str methods that pad): a clear message, on
  every platform.
- Around every render (``bounded``), on POSIX: the address space may grow by ``MEMORY`` bytes at most
  (``RLIMIT_AS``, Linux) and the render may use ``CPU_SECONDS`` of CPU (``ITIMER_PROF``); both are put back
  after the render, so they cost a few system calls and never touch a child process started later
  (Chromium). Whatever the checks miss (a loop nested in a loop, text doubled through a namespace), these stop.

No fork: `write` renders once and a batch renders once per recipient, and a process per render would cost
more than the render.
"""

import os
import re
import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from jinja2.exceptions import SecurityError

MEMORY = 160 * 2**20  # bytes the address space may grow by during one render
CPU_SECONDS = 2.0  # CPU time of one render; a real letter takes milliseconds
MAX_TEXT = 100_000  # characters one filter, method or `%` may make (a letter's own limit)
MAX_ITEMS = 100_000  # items `range` may make (as Jinja's sandbox)
MAX_BITS = 100_000  # bits of an integer `*` or `**` may make (about 30,000 digits)


class RenderTimeout(Exception):  # noqa: N818 - the name says what happened
    """The render used its CPU time."""


# ---------------------------------------------------------------- checks before each operation


def _big(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_TEXT


def _refuse(what: str) -> SecurityError:
    return SecurityError(f"{what} would make more than {MAX_TEXT:,} characters")


_PERCENT_SPEC = re.compile(r"%(?:\([^)]*\))?[-+ #0]*(\*|\d+)?(?:\.(\*|\d+))?")
_FORMAT_SPEC = re.compile(r"\{[^{}]*?:[^{}\d]*(\d+)")


def check_percent(text: str, args: Any) -> None:
    """``text % args`` (and the ``format`` filter): no width or precision past MAX_TEXT, given or by ``*``."""
    stars = False
    for match in _PERCENT_SPEC.finditer(text):
        for part in match.groups():
            if part == "*":
                stars = True
            elif part and int(part) > MAX_TEXT:
                raise _refuse(f"the width {part} in {text[:40]!r}")
    values = args if isinstance(args, tuple | list) else (args,)
    if stars and any(_big(v) for v in values):
        raise _refuse(f"a width given by * to {text[:40]!r}")


def check_format(text: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    """``str.format``: no field width past MAX_TEXT, written or passed (``'{:{}}'.format(x, 10**9)``)."""
    for match in _FORMAT_SPEC.finditer(text):
        if int(match.group(1)) > MAX_TEXT:
            raise _refuse(f"the width {match.group(1)} in {text[:40]!r}")
    if "{" in text and any(_big(v) for v in (*args, *kwargs.values())):
        raise _refuse(f"a width passed to {text[:40]!r}.format")


def check_power(left: Any, right: Any) -> None:
    if isinstance(right, int | float) and abs(right) > 100:
        raise SecurityError("a power this large is not allowed in a letter")
    if isinstance(left, int) and isinstance(right, int) and right > 0 and left.bit_length() * right > MAX_BITS:
        raise SecurityError("a number this large is not allowed in a letter")


def check_times(left: Any, right: Any, max_value: int) -> None:
    for seq, times in ((left, right), (right, left)):
        if isinstance(seq, str | list | tuple) and isinstance(times, int) and len(seq) * times > max_value:
            raise SecurityError(f"repeating text past {max_value:,} characters is not allowed in a letter")
    if isinstance(left, int) and isinstance(right, int) and left.bit_length() + right.bit_length() > MAX_BITS:
        raise SecurityError("a number this large is not allowed in a letter")


_PADDING = frozenset({"center", "ljust", "rjust", "zfill", "expandtabs"})


def check_method(obj: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    """The str methods that can make a long text from a short one, called from a letter."""
    method = getattr(obj, "__wrapped__", obj)  # the sandbox wraps str.format and format_map
    owner = getattr(method, "__self__", None)
    name = getattr(method, "__name__", "")
    if not isinstance(owner, str):
        return
    if name in _PADDING and any(_big(v) for v in (*args, *kwargs.values())):
        raise _refuse(f"{name}()")
    if name in ("format", "format_map"):
        check_format(owner, args, kwargs)
    elif name == "join" and args:
        check_join(owner, args[0])
    elif name == "replace" and len(args) >= 2:
        check_replace(owner, args[0], args[1])


def check_join(separator: Any, items: Any) -> None:
    if isinstance(items, list | tuple | str) and isinstance(separator, str):
        if len(separator) * len(items) + sum(len(str(x)) for x in items[:MAX_ITEMS]) > MAX_TEXT:
            raise _refuse("join")


def check_replace(text: Any, old: Any, new: Any) -> None:
    if isinstance(text, str) and isinstance(old, str) and isinstance(new, str):
        count = text.count(old) if old else len(text) + 1
        if len(text) + count * len(new) > MAX_TEXT:
            raise _refuse("replace")


def bounded_filters(filters: dict[str, Callable[..., Any]]) -> dict[str, Callable[..., Any]]:
    """Jinja's filters that can multiply text, each checked first."""
    center, indent, fmt, join, replace = (filters[k] for k in ("center", "indent", "format", "join", "replace"))

    def do_center(value: Any, width: int = 80) -> Any:
        if _big(width):
            raise _refuse("center")
        return center(value, width)

    def do_indent(s: Any, width: int | str = 4, *args: Any, **kwargs: Any) -> Any:
        lines = str(s).count("\n") + 1
        size = len(width) if isinstance(width, str) else width if isinstance(width, int) else 0
        if size * lines + len(str(s)) > MAX_TEXT:
            raise _refuse("indent")
        return indent(s, width, *args, **kwargs)

    def do_format(value: Any, *args: Any, **kwargs: Any) -> Any:
        check_percent(str(value), kwargs or args)
        return fmt(value, *args, **kwargs)

    def do_join(eval_ctx: Any, value: Any, d: str = "", attribute: Any = None) -> Any:
        if isinstance(value, list | tuple | str):
            check_join(str(d), value)
        return join(eval_ctx, value, d, attribute)

    def do_replace(eval_ctx: Any, s: Any, old: Any, new: Any, count: Any = None) -> Any:
        check_replace(str(s), str(old), str(new))
        return replace(eval_ctx, s, old, new, count)

    do_join.jinja_pass_arg = join.jinja_pass_arg  # type: ignore[attr-defined]
    do_replace.jinja_pass_arg = replace.jinja_pass_arg  # type: ignore[attr-defined]
    return {"center": do_center, "indent": do_indent, "format": do_format, "join": do_join, "replace": do_replace}


def bounded_globals(lipsum: Any) -> dict[str, Callable[..., Any]]:
    def letter_range(*args: int) -> range:
        made = range(*args)
        if len(made) > MAX_ITEMS:
            raise SecurityError(f"range() of more than {MAX_ITEMS:,} items is not allowed in a letter")
        return made

    def letter_lipsum(n: int = 5, html: bool = True, min: int = 20, max: int = 100) -> Any:  # noqa: A002 - Jinja's
        if not all(isinstance(v, int) for v in (n, min, max)) or n * max > MAX_TEXT // 5:
            raise _refuse("lipsum")
        return lipsum(n, html, min, max)

    return {"range": letter_range, "lipsum": letter_lipsum}


# ---------------------------------------------------------------- memory and CPU time around a render


_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096
_state = threading.local()


_statm: dict[int, int] = {}  # pid → an open /proc/<pid>/statm (re-opened in a forked child)


def _address_space() -> int | None:
    """Bytes of address space in use (Linux), or None where /proc is not there. One pread of a file kept open."""
    pid = os.getpid()
    try:
        fd = _statm.get(pid)
        if fd is None:
            fd = _statm[pid] = os.open(f"/proc/{pid}/statm", os.O_RDONLY)
        return int(os.pread(fd, 128, 0).split()[0]) * _PAGE
    except (OSError, ValueError, IndexError, AttributeError):
        return None


def _on_timer(signum: int, frame: Any) -> None:
    if getattr(_state, "active", False):
        raise RenderTimeout(f"the letter used more than {CPU_SECONDS:g} s of CPU time; check its loops")


@contextmanager
def bounded(wanted: bool = True) -> Iterator[None]:
    """Run the block under the memory and CPU limits (nested use keeps the outer limits). The bundled letters,
    which the tests render in full, pass ``wanted=False``: a batch renders them thousands of times."""
    if not wanted or getattr(_state, "active", False):
        yield
        return
    memory = _limit_memory()
    timer = _start_timer()
    _state.active = True
    try:
        yield
    finally:
        _state.active = False
        if timer is not None:
            signal.setitimer(signal.ITIMER_PROF, 0)
            signal.signal(signal.SIGPROF, timer)
        if memory is not None:
            import resource

            resource.setrlimit(resource.RLIMIT_AS, memory)


def _limit_memory() -> tuple[int, int] | None:
    """Lower RLIMIT_AS's soft limit to what is in use plus MEMORY; the old limits, to put back."""
    try:
        import resource
    except ImportError:  # Windows
        return None
    used = _address_space()
    if used is None:
        return None
    old = resource.getrlimit(resource.RLIMIT_AS)
    soft, hard = old
    want = used + MEMORY
    if hard != resource.RLIM_INFINITY:
        want = min(want, hard)
    if soft != resource.RLIM_INFINITY and soft <= want:
        return None  # already tighter
    try:
        resource.setrlimit(resource.RLIMIT_AS, (want, hard))
    except (ValueError, OSError):
        return None
    return old


def _start_timer() -> Any:
    """Start a CPU-time alarm (main thread, POSIX); the handler it replaced, to put back, or None."""
    if not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread():
        return None
    try:
        previous = signal.signal(signal.SIGPROF, _on_timer)
    except (ValueError, OSError):
        return None
    signal.setitimer(signal.ITIMER_PROF, CPU_SECONDS)
    return previous if previous is not None else signal.SIG_DFL


# ---------------------------------------------------------------- include, extends, import


def folders() -> list[Path]:
    """Where included files may come from: the user's letters folder, then the bundled letters."""
    from advocate.resources import bundled, user_letters_dir

    found = []
    for folder in (user_letters_dir(), bundled("letters")):
        try:
            found.append(folder.resolve())
        except OSError:
            continue
    return found


def find_included(name: str) -> tuple[str, str, Callable[[], bool]]:
    """(text, file name, still fresh?) of a file a letter includes, extends or imports; only from the letters
    folders, never through ``..`` or a symlink that leads out of them. The front matter of a letter file is
    dropped (its lines kept empty, so line numbers stay the file's)."""
    from jinja2.exceptions import TemplateNotFound

    pieces = [p for p in name.replace("\\", "/").split("/") if p and p != "."]
    if not pieces or ".." in pieces:
        raise TemplateNotFound(name)
    places = folders()
    for folder in places:
        candidate = folder.joinpath(*pieces)
        try:
            real = candidate.resolve(strict=True)
        except (OSError, RuntimeError):
            continue
        if not real.is_relative_to(folder) or not real.is_file():
            continue
        try:
            text = real.read_text(encoding="utf-8")
            mtime = real.stat().st_mtime_ns
        except (OSError, UnicodeDecodeError):
            continue
        text = _without_front_matter(text)

        def fresh(real: Path = real, mtime: int = mtime, places: list[Path] = places) -> bool:
            try:
                return folders() == places and real.stat().st_mtime_ns == mtime
            except OSError:
                return False

        return text, str(candidate), fresh
    raise TemplateNotFound(name)


def _without_front_matter(text: str) -> str:
    lines = text.splitlines(keepends=True)
    if lines and lines[0].strip() == "---":
        end = next((i for i in range(1, len(lines)) if lines[i].strip() == "---"), None)
        if end is not None:
            return "\n" * (end + 1) + "".join(lines[end + 1 :])
    return text
