"""Download one source file safely: the HTTP rules of ``advocate data update``.

- One Session: connect/read timeouts, retries with backoff on connection errors, 429 and 5xx, TLS verification.
- Only ``https://`` addresses, and ``http://`` to loopback (the tests); a bad address is one line.
- Redirects are followed by hand, at most ``MAX_REDIRECTS``, and only to the same host over the same scheme.
- A size cap; a body shorter than its Content-Length is refused (urllib3 counts the bytes on the wire).
- One overall deadline per download (``ADVOCATE_HTTP_DEADLINE``), so a server that sends a byte now and then
  cannot hold an update open: a SIGALRM timer in the main thread, else a check after every chunk.
- The body goes to ``.<name>.<pid>.XXXX.download`` in the user's data folder, removed on every way out;
  ``clean_stale`` removes those a killed run left behind (their process is gone).
- The environment overrides (``ADVOCATE_HTTP_TIMEOUT``, ``ADVOCATE_HTTP_BACKOFF``, ``ADVOCATE_HTTP_DEADLINE``)
  are checked: a bad value is one line.
"""

import contextlib
import ipaddress
import math
import os
import signal
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import requests
import urllib3.exceptions
from requests.adapters import HTTPAdapter
from urllib3.response import BaseHTTPResponse
from urllib3.util.retry import Retry

from advocate import __version__
from advocate.atomic import temp_file
from advocate.errors import DataError, InputProblem, OutputProblem

CONNECT_TIMEOUT = 3.05
READ_TIMEOUT = 30.0
DEADLINE = 300.0  # seconds for one whole download, retries included
BACKOFF = 0.5  # seconds; urllib3 waits 0, 2×, 4× this between tries
MAX_RETRY_AFTER = 60.0  # a server's Retry-After beyond this is cut to it
MAX_REDIRECTS = 5
CHUNK = 64 * 1024
RETRY_STATUSES = (429, 500, 502, 503, 504)
SUFFIX = ".download"

# ADVOCATE_HTTP_TIMEOUT (read timeout), ADVOCATE_HTTP_BACKOFF and ADVOCATE_HTTP_DEADLINE (seconds) override the
# defaults above: for slow connections, and so that the tests of timeouts and retries stay fast.
TIMEOUT_ENV = "ADVOCATE_HTTP_TIMEOUT"
BACKOFF_ENV = "ADVOCATE_HTTP_BACKOFF"
DEADLINE_ENV = "ADVOCATE_HTTP_DEADLINE"
# name: (default, smallest, largest, whether 0 is allowed)
LIMITS = {
    TIMEOUT_ENV: (READ_TIMEOUT, 0.01, 3600.0),
    BACKOFF_ENV: (BACKOFF, 0.0, 60.0),
    DEADLINE_ENV: (DEADLINE, 0.1, 86400.0),
}

Progress = Callable[[str, int, int | None], None]
"""progress(source name, bytes received so far, expected total or None)."""


@dataclass(frozen=True)
class Settings:
    timeout: tuple[float, float] = (CONNECT_TIMEOUT, READ_TIMEOUT)
    backoff: float = BACKOFF
    deadline: float = DEADLINE


class _Retry(Retry):
    """urllib3's Retry, with a server's Retry-After capped so that a bad header cannot stall an update."""

    def get_retry_after(self, response: BaseHTTPResponse) -> float | None:
        seconds = super().get_retry_after(response)
        return None if seconds is None else min(seconds, MAX_RETRY_AFTER)


def settings_from_env() -> Settings:
    def number(name: str) -> float:
        default, low, high = LIMITS[name]
        raw = os.environ.get(name, "").strip()
        if not raw:
            return default
        try:
            value = float(raw)
        except ValueError:
            value = math.nan
        if not (math.isfinite(value) and low <= value <= high):
            raise InputProblem(
                f"{name}={raw!r} is not a number of seconds from {low:g} to {high:g}; unset it or fix it"
            )
        return value

    return Settings(
        timeout=(CONNECT_TIMEOUT, number(TIMEOUT_ENV)), backoff=number(BACKOFF_ENV), deadline=number(DEADLINE_ENV)
    )


def make_session(backoff: float = BACKOFF) -> requests.Session:
    """A Session that retries GETs on connection errors, read errors, 429 and 5xx, with exponential backoff."""
    retry = _Retry(
        total=3,
        connect=3,
        read=2,
        status=3,
        redirect=0,
        backoff_factor=backoff,
        status_forcelist=RETRY_STATUSES,
        allowed_methods=frozenset({"GET"}),
        respect_retry_after_header=True,
        raise_on_status=False,  # the last answer comes back, and raise_for_status names its status
    )
    session = requests.Session()
    adapter = HTTPAdapter(max_retries=retry)
    session.mount("https://", adapter)
    session.mount("http://", adapter)
    session.headers["User-Agent"] = f"advocate/{__version__} (data update)"
    return session


# ---------------------------------------------------------------- addresses


def is_loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def address_problem(url: str) -> str | None:
    """Why ``url`` cannot be downloaded from, or None: https only (http to loopback), a host, a valid port."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as err:
        return f"{url!r} is not a usable address ({err})"
    host = parts.hostname or ""
    if parts.scheme not in ("http", "https"):
        return f"{url!r} is not an http:// or https:// address"
    if not host:
        return f"{url!r} names no server"
    if port == 0:
        return f"{url!r}: port 0 is not a port"
    if parts.scheme == "http" and not is_loopback(host):
        return f"{url!r} is plain http://, which anyone on the way can change; use https://"
    return None


def check_address(url: str, what: str) -> None:
    """An InputProblem "<what>: <why>" for an address that cannot be used."""
    problem = address_problem(url)
    if problem is not None:
        raise InputProblem(f"{what}: {problem}")


# ---------------------------------------------------------------- temp files


def clean_stale(folder: Path) -> list[Path]:
    """Remove the ``.download`` files that runs which are no longer alive left in ``folder``."""
    removed: list[Path] = []
    try:
        found = list(folder.glob(f".*{SUFFIX}"))
    except OSError:
        return removed
    for path in found:
        parts = path.name.split(".")  # ["", name, pid, rest…]
        pid = int(parts[2]) if len(parts) > 3 and parts[2].isdigit() else None
        if pid is not None and pid != os.getpid() and _alive(pid):
            continue
        if pid == os.getpid():
            continue  # this process's own, in use
        with contextlib.suppress(OSError):
            path.unlink()
            removed.append(path)
    return removed


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # PermissionError: someone else's process
        return True
    return True


@contextlib.contextmanager
def terminate_as_interrupt() -> Iterator[None]:
    """While the block runs, SIGTERM (``kill``) stops it like Ctrl-C does: temp files are removed on the way out."""
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "SIGTERM"):
        yield
        return

    def interrupt(signum: int, frame: Any) -> None:
        raise KeyboardInterrupt

    try:
        previous = signal.signal(signal.SIGTERM, interrupt)
    except (ValueError, OSError):
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


# ---------------------------------------------------------------- download


class _DeadlinePassed(Exception):  # noqa: N818 - an internal signal, never shown
    pass


def download(
    session: requests.Session,
    name: str,
    url: str,
    max_bytes: int,
    folder: Path,
    settings: Settings,
    progress: Progress | None = None,
) -> bytes:
    """The body at ``url``, streamed into a temp file in ``folder``; DataError "<name>: <cause>" on any failure."""
    problem = address_problem(url)
    if problem is not None:
        raise DataError(f"{name}: {problem}")
    fd, path = temp_file(folder, f"{name}.{os.getpid()}", SUFFIX)
    tmp = Path(path)
    try:
        with os.fdopen(fd, "wb") as out, _deadline(settings.deadline):
            try:
                received, length = _stream(session, name, url, max_bytes, settings, out, progress)
            except _DeadlinePassed:
                raise DataError(
                    f"{name}: the download took longer than {settings.deadline:g} s overall; stopped "
                    f"(a slow or stalling server; {DEADLINE_ENV} sets the limit) ({url})"
                ) from None
            out.flush()
            os.fsync(out.fileno())
        if length is not None and received != length:
            raise DataError(f"{name}: the download was cut off after {received:,} of {length:,} bytes ({url})")
        return tmp.read_bytes()
    except OSError as err:
        raise OutputProblem(f"cannot write {tmp}: {err.strerror or err}") from None
    finally:
        tmp.unlink(missing_ok=True)


_clock = threading.local()


@contextlib.contextmanager
def _deadline(seconds: float) -> Iterator[None]:
    """Raise _DeadlinePassed in the block after ``seconds`` of wall time, even inside a blocking read
    (SIGALRM, main thread on POSIX); elsewhere ``_stream`` checks the clock after each chunk."""
    _clock.end = time.monotonic() + seconds
    use_alarm = hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    previous: Any = None
    if use_alarm:

        def ring(signum: int, frame: Any) -> None:
            raise _DeadlinePassed

        try:
            previous = signal.signal(signal.SIGALRM, ring)
            signal.setitimer(signal.ITIMER_REAL, seconds)
        except (ValueError, OSError):
            use_alarm = False
    try:
        yield
    finally:
        if use_alarm:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous if previous is not None else signal.SIG_DFL)
        _clock.end = None


def _past_deadline() -> bool:
    end = getattr(_clock, "end", None)
    return end is not None and time.monotonic() > end


def _get(session: requests.Session, name: str, url: str, settings: Settings) -> requests.Response:
    """GET, following redirects by hand: only to the same host, by the same scheme, at most MAX_REDIRECTS."""
    origin = urlsplit(url)
    current = url
    for _ in range(MAX_REDIRECTS + 1):
        response = session.get(current, stream=True, timeout=settings.timeout, allow_redirects=False)
        if not response.is_redirect:
            return response
        location = response.headers.get("Location", "")
        response.close()
        target = urljoin(current, location)
        try:
            moved = urlsplit(target)
            same = (moved.scheme, moved.hostname, moved.port) == (origin.scheme, origin.hostname, origin.port)
        except ValueError:
            same = False
        if not same:
            raise DataError(
                f"{name}: {url} redirects to another server ({target[:200]}); not following it — "
                "check the address, or give the new one with --source"
            )
        current = target
    raise DataError(f"{name}: too many redirects from {url}")


def _stream(
    session: requests.Session,
    name: str,
    url: str,
    max_bytes: int,
    settings: Settings,
    out: Any,
    progress: Progress | None,
) -> tuple[int, int | None]:
    """Write the body into ``out``; (bytes received, expected length when the body is not compressed)."""
    received = 0
    length: int | None = None
    try:
        with _get(session, name, url, settings) as response:
            response.raise_for_status()
            header = response.headers.get("Content-Length", "").strip()
            announced = int(header) if header.isdigit() else None
            if announced is not None and announced > max_bytes:
                raise DataError(f"{name}: {url} is {announced:,} bytes, more than the {max_bytes:,} allowed")
            # With Content-Encoding (gzip) the header counts compressed bytes; the body is counted decoded.
            if response.headers.get("Content-Encoding", "identity").strip().lower() not in ("", "identity"):
                announced = None
            length = announced
            for chunk in response.iter_content(CHUNK):
                received += len(chunk)
                if received > max_bytes:
                    raise DataError(f"{name}: {url} is more than the {max_bytes:,} bytes allowed; stopped")
                out.write(chunk)
                if progress is not None:
                    progress(name, received, length)
                if _past_deadline():
                    raise _DeadlinePassed
    except requests.RequestException as err:
        raise DataError(f"{name}: {describe(err, url, settings, received, length)}") from None
    except (ValueError, OverflowError) as err:  # an address urllib3 could not use after all
        raise DataError(f"{name}: not a usable address: {url} ({err})") from None
    return received, length


def describe(err: requests.RequestException, url: str, settings: Settings, received: int, length: int | None) -> str:
    """One line saying why a download failed, in words a user can act on."""
    parts = urlsplit(url)
    host = parts.hostname or url
    where = f"{host}:{parts.port}" if parts.port else host
    causes = list(_causes(err))
    if isinstance(err, requests.HTTPError) and err.response is not None:
        reason = f" {err.response.reason}" if err.response.reason else ""
        return f"HTTP {err.response.status_code}{reason} from {url}"
    # Before the timeouts: urllib3's NewConnectionError is a ConnectTimeoutError too.
    if _has(causes, ConnectionRefusedError):
        return f"connection refused by {where} ({url})"
    if _has(causes, socket.gaierror):
        return f"cannot find the server {host} (no DNS answer); are you online? ({url})"
    connect_timeout = any(
        isinstance(c, urllib3.exceptions.ConnectTimeoutError)
        and not isinstance(c, urllib3.exceptions.NewConnectionError)
        for c in causes
    )
    if isinstance(err, requests.ConnectTimeout) or connect_timeout:
        return f"connection to {where} timed out after {settings.timeout[0]:g} s ({url})"
    if isinstance(err, requests.ReadTimeout) or _has(causes, urllib3.exceptions.ReadTimeoutError, TimeoutError):
        return f"read timeout: {where} sent nothing for {settings.timeout[1]:g} s ({url})"
    if isinstance(err, requests.exceptions.SSLError):
        return f"TLS certificate check failed for {host} ({_root(causes)}); not downloading without it"
    if isinstance(err, requests.exceptions.ChunkedEncodingError) or _has(causes, urllib3.exceptions.ProtocolError):
        if isinstance(err, requests.exceptions.ChunkedEncodingError) or received:
            for c in causes:  # urllib3 counts the bytes on the wire, also those not yet handed out in a chunk
                if isinstance(c, urllib3.exceptions.IncompleteRead) and isinstance(c.partial, int):
                    received, length = c.partial, c.partial + c.expected
                    break
            expected = f" of {length:,}" if length is not None else ""
            return f"the download was cut off after {received:,}{expected} bytes ({url})"
    if isinstance(err, requests.exceptions.ContentDecodingError):
        return f"the compressed body from {url} is damaged ({_root(causes)})"
    if isinstance(err, requests.TooManyRedirects):
        return f"too many redirects from {url}"
    if isinstance(err, requests.exceptions.InvalidURL | requests.exceptions.MissingSchema):
        return f"not a usable address: {url}"
    if isinstance(err, requests.ConnectionError):
        return f"cannot connect to {where}: {_root(causes)} ({url})"
    return f"download failed: {_root(causes)} ({url})"


def _causes(err: BaseException) -> Iterator[BaseException]:
    """``err`` and every exception behind it: args, ``reason`` (urllib3), ``__cause__`` and ``__context__``."""
    seen: set[int] = set()
    todo: list[BaseException] = [err]
    while todo:
        current = todo.pop(0)
        if id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        todo += [a for a in current.args if isinstance(a, BaseException)]
        for linked in (getattr(current, "reason", None), current.__cause__, current.__context__):
            if isinstance(linked, BaseException):
                todo.append(linked)


def _has(causes: list[BaseException], *kinds: type[BaseException]) -> bool:
    return any(isinstance(c, kinds) for c in causes)


def _root(causes: list[BaseException]) -> str:
    """The innermost cause's message, shortened to one line."""
    for cause in reversed(causes):
        if isinstance(cause, OSError) and cause.strerror:
            return cause.strerror
    text = str(causes[-1]).strip().splitlines()
    return text[0][:200] if text else type(causes[-1]).__name__
