"""``advocate data update`` and ``data reset``: refresh a dataset from its upstream files, never losing good data.

Each source file is downloaded with ``requests`` (one Session: connect/read timeouts, retries with backoff on
connection errors, 429 and 5xx, TLS verification, a size cap), streamed into a temp file in the user's data
folder, then parsed and checked by the importer — the same parser that builds the bundled copy. Only a dataset
that passes every check replaces the user's copy, atomically; the bundled copy is never touched and
``data reset`` goes back to it. Only the ``data update`` and ``data reset`` commands import this module (and so
``requests``); lookups, letters and batches never do.
"""

import datetime as dt
import os
import socket
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import requests
import urllib3.exceptions
from requests.adapters import HTTPAdapter
from urllib3.response import BaseHTTPResponse
from urllib3.util.retry import Retry

from advocate import __version__
from advocate.atomic import temp_file, write_atomic
from advocate.errors import DataError, InputProblem, OutputProblem
from advocate.importer.build import dataset_bytes, finish, load_sources, parse_dataset, spec_files
from advocate.opendata import sources, store
from advocate.resources import user_data_dir

CONNECT_TIMEOUT = 3.05
READ_TIMEOUT = 30.0
BACKOFF = 0.5  # seconds; urllib3 waits 0, 2×, 4× this between tries
MAX_RETRY_AFTER = 60.0  # a server's Retry-After beyond this is cut to it
CHUNK = 64 * 1024
RETRY_STATUSES = (429, 500, 502, 503, 504)

# ADVOCATE_HTTP_TIMEOUT (read timeout, seconds) and ADVOCATE_HTTP_BACKOFF override the two defaults above:
# for slow connections, and so that the tests of timeouts and retries stay fast.
TIMEOUT_ENV = "ADVOCATE_HTTP_TIMEOUT"
BACKOFF_ENV = "ADVOCATE_HTTP_BACKOFF"

Progress = Callable[[str, int, int | None], None]
"""progress(source name, bytes received so far, expected total or None)."""


@dataclass(frozen=True)
class Settings:
    timeout: tuple[float, float] = (CONNECT_TIMEOUT, READ_TIMEOUT)
    backoff: float = BACKOFF


@dataclass
class Outcome:
    """What happened to one dataset: updated, checked (dry run), skipped or failed."""

    dataset: str
    status: str
    message: str = ""
    members: int | None = None
    as_of: str | None = None
    path: str | None = None
    left: list[dict[str, str]] = field(default_factory=list)
    joined: list[dict[str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # e.g. a supplement kept from the copy in use

    def as_json(self) -> dict[str, Any]:
        return {
            "dataset": self.dataset,
            "status": self.status,
            "message": self.message or None,
            "members": self.members,
            "as_of": self.as_of,
            "path": self.path,
            "left": self.left,
            "joined": self.joined,
            "notes": self.notes,
        }


class _Retry(Retry):
    """urllib3's Retry, with a server's Retry-After capped so that a bad header cannot stall an update."""

    def get_retry_after(self, response: BaseHTTPResponse) -> float | None:
        seconds = super().get_retry_after(response)
        return None if seconds is None else min(seconds, MAX_RETRY_AFTER)


def settings_from_env() -> Settings:
    def number(name: str, default: float) -> float:
        raw = os.environ.get(name, "").strip()
        if not raw:
            return default
        try:
            value = float(raw)
        except ValueError:
            value = -1.0
        if not value >= 0:
            raise InputProblem(f"{name}={raw!r} is not a number of seconds")
        return value

    return Settings(timeout=(CONNECT_TIMEOUT, number(TIMEOUT_ENV, READ_TIMEOUT)), backoff=number(BACKOFF_ENV, BACKOFF))


def make_session(backoff: float = BACKOFF) -> requests.Session:
    """A Session that retries GETs on connection errors, read errors, 429 and 5xx, with exponential backoff."""
    retry = _Retry(
        total=3,
        connect=3,
        read=2,
        status=3,
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


# ---------------------------------------------------------------- choosing what to update


def parse_sources(pairs: Sequence[str]) -> dict[str, str]:
    """``--source NAME=URL`` values → {name: url}, checked against the source names in sources.yaml."""
    names = sources.owners(load_sources())
    out: dict[str, str] = {}
    for pair in pairs:
        name, sep, url = pair.partition("=")
        name, url = name.strip(), url.strip()
        if not sep or not name or not url:
            raise InputProblem(
                f"--source wants NAME=URL, e.g. us-legislators=https://…/legislators-current.yaml; got {pair!r}"
            )
        if name not in names:
            raise InputProblem(f"--source: unknown source {name!r}; the sources are {', '.join(names)}")
        if urlsplit(url).scheme not in ("http", "https"):
            raise InputProblem(f"--source {name}: {url!r} is not an http:// or https:// address")
        out[name] = url
    return out


def select(countries: Sequence[str], overrides: Mapping[str, str]) -> list[str]:
    """The datasets to update: those of --country; else those --source names; else all of them."""
    owner = sources.owners(load_sources())
    if countries:
        wanted = {store.dataset_for(c) for c in countries}
        for name in overrides:
            if owner[name] not in wanted:
                raise InputProblem(f"--source {name} is for {owner[name].upper()}, which --country does not include")
    elif overrides:
        wanted = {owner[name] for name in overrides}
    else:
        wanted = set(store.DATASETS)
    # intl first: the other datasets take the parliaments' postal addresses from it.
    return sorted(wanted, key=lambda k: (k != "intl", store.DATASETS.index(k)))


# ---------------------------------------------------------------- update


def update(
    keys: Sequence[str],
    overrides: Mapping[str, str] | None = None,
    *,
    dry_run: bool = False,
    progress: Progress | None = None,
    settings: Settings | None = None,
) -> list[Outcome]:
    """Update each dataset in ``keys`` independently; one failing leaves the others' new data in place."""
    overrides = overrides or {}
    settings = settings or settings_from_env()
    specs = load_sources()
    outcomes = []
    with make_session(settings.backoff) as session:
        for key in keys:
            try:
                outcome = _update_one(key, specs[key], overrides, session, settings, progress, dry_run)
            except (DataError, OutputProblem) as err:
                message = str(err)
                outcome = Outcome(key, "failed", message if message.startswith(f"{key}: ") else f"{key}: {message}")
            outcomes.append(outcome)
    store.load.cache_clear()
    return outcomes


def _update_one(
    key: str,
    spec: Mapping[str, Any],
    overrides: Mapping[str, str],
    session: requests.Session,
    settings: Settings,
    progress: Progress | None,
    dry_run: bool,
) -> Outcome:
    files: Mapping[str, Mapping[str, Any]] = spec["files"]
    urls = {name: overrides.get(name) or f.get("url") for name, f in files.items()}
    if not all(urls.values()):
        missing = " ".join(f"--source {name}=URL" for name, url in urls.items() if not url)
        return Outcome(key, "skipped", f"{key}: no upstream address; the {store.origin(key)} copy stays ({missing})")
    extra, kept = sources.supplement_urls(spec, overrides)
    urls.update(extra)
    folder = user_data_dir()
    raw: dict[str, bytes] = {}
    downloaded: dict[str, str] = {}
    for name, url in urls.items():
        assert url is not None
        f = spec_files(spec)[name]
        raw[name], urls[name] = _fetch(session, name, url, f, folder, settings, progress, name not in overrides)
        downloaded[name] = _now()

    as_of = store.today().isoformat()
    new = _build(key, spec, raw, as_of)
    notes = [sources.keep_supplement(key, name, new) for name in kept]
    meta = new["meta"]
    if meta.get("valid_until") and as_of >= meta["valid_until"]:
        meta["valid_until"] = None  # the bundled copy's end date; this copy was fetched after it
    meta["downloaded"] = max(downloaded.values())
    meta["sources"] = [
        sources.source_meta(key, name, f, urls, downloaded, as_of, meta) for name, f in spec_files(spec).items()
    ]

    left, joined = _diff(key, new["people"])
    user_path = store.paths(key)[0]
    outcome = Outcome(key, "checked" if dry_run else "updated", "", len(new["people"]), as_of, str(user_path))
    outcome.left, outcome.joined, outcome.notes = left, joined, notes
    if not dry_run:
        write_atomic(user_path, dataset_bytes(new), force=True)
        store.load.cache_clear()
    return outcome


# ---------------------------------------------------------------- sources: supplements, APIs, kept data


def _fetch(
    session: requests.Session,
    name: str,
    url: str,
    f: Mapping[str, Any],
    folder: Path,
    settings: Settings,
    progress: Progress | None,
    upstream: bool,
) -> tuple[bytes, str]:
    """(the file's bytes, the address they came from). A source with a ``dataset_api`` (France: data.gouv.fr)
    is resolved through it: the API names the newest CSV. A --source URL may be such an API answer too."""
    max_bytes = int(f["max_bytes"])
    if upstream and f.get("dataset_api"):
        url = str(f["dataset_api"])
    body = download(session, name, url, max_bytes, folder, settings, progress)
    if f.get("dataset_api") and body.lstrip()[:1] == b"{":
        from advocate.importer.fr import newest_csv_url

        try:
            csv_url = newest_csv_url(body)
        except DataError as err:
            raise DataError(f"{name}: {err}") from None
        return download(session, name, csv_url, max_bytes, folder, settings, progress), csv_url
    return body, url


def _build(key: str, spec: Mapping[str, Any], raw: Mapping[str, bytes], as_of: str) -> dict[str, Any]:
    """Parse and check the downloaded files with the importer; a DataError names the source, not the raw path."""
    intl_geo = store.load("intl")["geo"] if key != "intl" else {}
    try:
        parsed = parse_dataset(key, raw.__getitem__, intl_geo)
        return finish(key, parsed, spec, origin="updated", as_of=as_of)
    except DataError as err:
        message = str(err)
        labels = {**{str(f["raw"]): name for name, f in spec_files(spec).items() if f.get("raw")}, **sources.LABELS}
        for label, name in labels.items():
            if message.startswith(label):
                message = name + message[len(label) :]
                break
        raise DataError(message) from None
    except (KeyError, IndexError, TypeError, AttributeError, ValueError) as err:
        # The parsers check what they rely on; anything else odd in upstream data must not get through either.
        raise DataError(f"the files do not have the expected shape ({type(err).__name__}: {err})") from None


def _diff(key: str, people: list[dict[str, Any]]) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    """Who is in the copy in use but not in the new one (left), and the reverse (joined)."""
    try:
        old_people: list[dict[str, Any]] = store.load(key)["people"]
    except DataError:
        old_people = []
    old = {str(p["id"]): str(p["name"]) for p in old_people}
    new = {str(p["id"]): str(p["name"]) for p in people}

    def listed(ids: set[str], names: dict[str, str]) -> list[dict[str, str]]:
        return [{"id": i, "name": names[i]} for i in sorted(ids, key=lambda i: (names[i], i))]

    return listed(old.keys() - new.keys(), old), listed(new.keys() - old.keys(), new)


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


# ---------------------------------------------------------------- download


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
    fd, path = temp_file(folder, name, ".download")
    os.close(fd)
    tmp = Path(path)
    try:
        with tmp.open("wb") as out:
            received, length = _stream(session, name, url, max_bytes, settings, out, progress)
            out.flush()
            os.fsync(out.fileno())
        if length is not None and received != length:
            raise DataError(f"{name}: the download was cut off after {received:,} of {length:,} bytes ({url})")
        return tmp.read_bytes()
    except OSError as err:
        raise OutputProblem(f"cannot write {tmp}: {err.strerror or err}") from None
    finally:
        tmp.unlink(missing_ok=True)


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
        with session.get(url, stream=True, timeout=settings.timeout) as response:
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
    except requests.RequestException as err:
        raise DataError(f"{name}: {describe(err, url, settings, received, length)}") from None
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


# ---------------------------------------------------------------- reset


def reset(keys: Sequence[str]) -> list[str]:
    """Delete the user's updated copies of ``keys``: the bundled copies answer again. One line per dataset."""
    lines = []
    for key in keys:
        user, _ = store.paths(key)
        if user.is_file():
            try:
                user.unlink()
            except OSError as err:
                raise OutputProblem(f"{key}: cannot remove {user}: {err.strerror or err}") from None
            store.load.cache_clear()
            lines.append(f"{key}: removed the updated copy {user}; back to the bundled copy, as of {_as_of(key)}")
        else:
            lines.append(f"{key}: already the bundled copy, as of {_as_of(key)}")
    store.load.cache_clear()
    return lines


def _as_of(key: str) -> str:
    return str(store.meta(key).get("as_of"))
