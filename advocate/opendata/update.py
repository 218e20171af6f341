"""``advocate data update`` and ``data reset``: refresh a dataset from its upstream files, never losing good data.

Each source file is downloaded by ``download`` (https only, redirects only to the same host, a size cap, the
Content-Length held, one overall deadline), streamed into a temp file in the user's data
folder, then parsed and checked by the importer — the same parser that builds the bundled copy. Only a dataset
that passes every check replaces the user's copy, atomically; the bundled copy is never touched and
``data reset`` goes back to it. Only the ``data update`` and ``data reset`` commands import this module (and so
``requests``); lookups, letters and batches never do.
"""

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests

from advocate.atomic import write_atomic
from advocate.errors import DataError, InputProblem, OutputProblem
from advocate.importer.build import dataset_bytes, finish, load_sources, parse_dataset, spec_files
from advocate.opendata import contacts, sources, store
from advocate.opendata.download import (  # re-exported: the names callers and tests use
    CONNECT_TIMEOUT,
    READ_TIMEOUT,
    Progress,
    Settings,
    address_problem,
    clean_stale,
    describe,
    download,
    make_session,
    settings_from_env,
    terminate_as_interrupt,
)
from advocate.resources import user_data_dir

__all__ = ["CONNECT_TIMEOUT", "READ_TIMEOUT", "Outcome", "Progress", "Settings", "describe", "download", "make_session"]


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
    changed: list[dict[str, Any]] = field(default_factory=list)  # contacts.Change.as_json()
    outside: list[dict[str, Any]] = field(default_factory=list)  # the changes outside the allow-list
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
            "changed": self.changed,
            "outside": self.outside,
            "notes": self.notes,
        }


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
        problem = address_problem(url)
        if problem is not None:
            raise InputProblem(f"--source {name}: {problem}")
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
    accept_changes: bool = False,
) -> list[Outcome]:
    """Update each dataset in ``keys`` independently; one failing leaves the others' new data in place.
    A copy with an e-mail or form outside the dataset's allow-list is refused unless ``accept_changes``."""
    overrides = overrides or {}
    settings = settings or settings_from_env()
    specs = load_sources()
    outcomes = []
    clean_stale(user_data_dir())  # what a killed run left behind
    with terminate_as_interrupt(), make_session(settings.backoff) as session:
        for key in keys:
            try:
                outcome = _update_one(key, specs[key], overrides, session, settings, progress, dry_run, accept_changes)
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
    accept_changes: bool = False,
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

    old_people = _old_people(key)
    left, joined = _diff(key, new["people"], old_people)
    user_path = store.paths(key)[0]
    outcome = Outcome(key, "checked" if dry_run else "updated", "", len(new["people"]), as_of, str(user_path))
    outcome.left, outcome.joined, outcome.notes = left, joined, notes
    changed = contacts.changes(old_people, new["people"], contacts.AllowList.of(spec))
    outcome.changed = [c.as_json() for c in changed]
    outcome.outside = [c.as_json() for c in changed if c.outside]
    outside = [c for c in changed if c.outside]
    if outside and not accept_changes and not dry_run:
        more = f" and {len(outside) - 1} more" if len(outside) > 1 else ""
        outcome.status = "failed"
        outcome.message = (
            f"{key}: {len(outside)} contact{'s' if len(outside) > 1 else ''} outside the allow-list in sources.yaml "
            f"({outside[0].line().removesuffix(' — outside the allow-list')}{more}); nothing replaced: see them with "
            "--dry-run, and install this copy only if they are right, with --accept-changes"
        )
        return outcome
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


def _old_people(key: str) -> list[dict[str, Any]]:
    """The people of the copy in use; none when it cannot be read (the new copy will replace it)."""
    try:
        found: list[dict[str, Any]] = store.load(key)["people"]
    except DataError:
        return []
    return found


def _diff(
    key: str, people: list[dict[str, Any]], old_people: list[dict[str, Any]] | None = None
) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    """Who is in the copy in use but not in the new one (left), and the reverse (joined)."""
    if old_people is None:
        old_people = _old_people(key)
    old = {str(p["id"]): str(p["name"]) for p in old_people}
    new = {str(p["id"]): str(p["name"]) for p in people}

    def listed(ids: set[str], names: dict[str, str]) -> list[dict[str, str]]:
        return [{"id": i, "name": names[i]} for i in sorted(ids, key=lambda i: (names[i], i))]

    return listed(old.keys() - new.keys(), old), listed(new.keys() - old.keys(), new)


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


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
