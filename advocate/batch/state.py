"""What a batch folder was made from (the state file): the CSV, the letter templates, the options, and
the datasets — each one's as-of date and content hash, and, once the run is complete, a fingerprint of
every lawmaker its letters went to. A re-run compares and says what changed ("GB data: 1 member changed
since this folder was written")."""

import hashlib
import json
from pathlib import Path
from typing import Any

from advocate.batch.options import Options
from advocate.errors import AdvocateError
from advocate.templates import letters as templates

STATE = ".advocate-batch.json"
VERSION = 2


def file_sha(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def datasets() -> dict[str, dict[str, str]]:
    """Every dataset's content hash as this run would read it (the user's updated copy if there is one, else
    the bundled one). Hashing 2.5 MB takes about 2 ms; the files are not parsed, so a batch still loads
    only the datasets its rows need."""
    from advocate.opendata import store

    found = {}
    for key in store.DATASETS:
        user, bundled = store.paths(key)
        try:
            found[key] = {"sha256": file_sha(user if user.is_file() else bundled)}
        except OSError:
            continue  # a dataset that cannot be read is reported by the row that needs it
    return found


def _as_of(key: str) -> str:
    from advocate.opendata import store

    try:
        return str(store.meta(key).get("as_of", ""))
    except (AdvocateError, KeyError, TypeError):
        return ""


def state_of(csv_path: Path, letters: list[templates.Letter], opts: Options) -> dict[str, Any]:
    letter_digest = hashlib.sha256()
    for letter in sorted(letters, key=lambda x: x.variant):
        letter_digest.update(letter.path.read_bytes())
    return {
        "advocate_batch": VERSION,
        "csv": str(csv_path.resolve()),
        "csv_sha256": file_sha(csv_path),
        "letters_sha256": letter_digest.hexdigest(),
        "options": {"template": opts.template, "format": opts.fmt, "country": opts.country,
                    "ambiguous": opts.ambiguous, "paper": opts.paper},
        "data": datasets(),
        "complete": False,
    }  # fmt: skip


def person_hash(person: Any) -> str:
    text = json.dumps(person, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def completed(state: dict[str, Any], recipients: dict[str, set[str]]) -> dict[str, Any]:
    """The state of a complete run: the datasets its letters used, each with its recipients' fingerprints."""
    from advocate.opendata import store

    data = {}
    for key, ids in sorted(recipients.items()):
        if key not in state["data"]:
            continue
        people = {p["id"]: p for p in store.load(key)["people"]}
        members = {rid: person_hash(people[rid]) for rid in sorted(ids) if rid in people}
        data[key] = {**state["data"][key], "as_of": _as_of(key), "members": members}
    return {**state, "data": data, "complete": True}


def changes(previous: dict[str, Any], state: dict[str, Any]) -> list[str]:
    """What differs between the run that wrote the folder and this one, in words; [] when nothing."""
    named = {"csv_sha256": "the CSV changed", "letters_sha256": "the letter templates changed",
             "options": "the options changed"}  # fmt: skip
    found = [text for key, text in named.items() if previous.get(key) != state.get(key)]
    before = previous.get("data")
    if not isinstance(before, dict):
        return found  # a folder written before datasets were recorded
    for key, then in sorted(before.items()):
        now = state["data"].get(key)
        if not isinstance(then, dict) or now is None or then.get("sha256") == now["sha256"]:
            continue
        as_of = _as_of(key)
        dates = f" (as of {then['as_of']} then, {as_of} now)" if then.get("as_of") not in (None, as_of) else ""
        members = then.get("members")
        n = _members_changed(key, members) if isinstance(members, dict) else None
        if n:
            found.append(f"{key.upper()} data: {n} member{'s' if n != 1 else ''} changed since this folder was "
                         f"written{dates}")  # fmt: skip
        else:
            found.append(f"{key.upper()} data changed since this folder was written{dates}")
    return found


def _members_changed(key: str, members: dict[str, str]) -> int:
    from advocate.opendata import store

    people = {p["id"]: p for p in store.load(key)["people"]}
    return sum(1 for rid, digest in members.items() if rid not in people or person_hash(people[rid]) != digest)
