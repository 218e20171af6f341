"""Load the compiled datasets: the user's updated copy when there is one, else the bundled copy.

Each dataset is one JSON file (``advocate/data/<key>.json``), read with ``json`` — never the whole
representatives.yaml with PyYAML — and only when a command needs it.
"""

import datetime as dt
import json
import os
from functools import cache
from pathlib import Path
from typing import Any

from advocate.errors import DataError, LookupFailed
from advocate.records import DatasetMeta
from advocate.resources import DATA_DIR, user_data_dir
from advocate.resources import DATASETS as DATASETS  # re-exported: the one list of datasets

COUNTRY_DATASET = {"US": "us", "GB": "gb", "UK": "gb", "DE": "de", "FR": "fr", "INTL": "intl"}
STALE_AFTER_DAYS = 180

Dataset = dict[str, Any]


def dataset_for(country: str) -> str:
    key = COUNTRY_DATASET.get(country.strip().upper())
    if key is None:
        raise LookupFailed(f"unknown country {country!r}; use one of US, GB (or UK), DE, FR, INTL")
    return key


def datasets_for(countries: list[str] | None) -> list[str]:
    """The datasets of these countries, in the usual order; all of them when none are named."""
    if not countries:
        return list(DATASETS)
    return sorted({dataset_for(c) for c in countries}, key=DATASETS.index)


def paths(key: str) -> tuple[Path, Path]:
    """(user copy, bundled copy) of a dataset."""
    return user_data_dir() / f"{key}.json", DATA_DIR / f"{key}.json"


@cache
def load(key: str) -> Dataset:
    user, bundled = paths(key)
    if not user.is_file():
        return _bundled(key, bundled)
    data = _read(key, user)
    problem = damage(key, data)
    if problem:
        fix = f"advocate data reset --country {COUNTRY_OF[key]}"
        raise DataError(f"{user} is damaged ({problem}); run `{fix}` to go back to the bundled copy")
    return data


@cache
def _bundled(key: str, path: Path) -> Dataset:
    """The bundled copy, read once per process: it never changes under a running advocate, so clearing
    ``load`` (after an update or reset) need not parse it again. Checked when built (and by the tests)."""
    return _read(key, path)


def _read(key: str, path: Path) -> Dataset:
    try:
        data: Dataset = json.loads(path.read_bytes())
    except FileNotFoundError:
        raise DataError(f"{path} is missing; reinstall advocate (or `advocate data reset`)") from None
    except (OSError, ValueError) as err:
        raise DataError(f"{path} cannot be read ({err}); run `advocate data reset` to use the bundled copy") from None
    if not isinstance(data, dict) or data.get("dataset") != key or not isinstance(data.get("people"), list):
        raise DataError(f"{path} is not an advocate dataset file; run `advocate data reset` to use the bundled copy")
    return data


COUNTRY_OF = {"us": "US", "gb": "GB", "de": "DE", "fr": "FR", "intl": "INTL"}
# Keys every person has (their value may be null unless named in PERSON_TEXT), and each dataset's geo tables.
PERSON_KEYS = ("id", "name", "country", "body", "chamber", "role", "language", "state", "district", "district_name",
               "party", "channels")  # fmt: skip
PERSON_TEXT = ("id", "name", "country", "role")
GEO: dict[str, dict[str, type]] = {
    "us": {"zcta": str, "districts": list, "states": dict},
    "gb": {"councils": dict},
    "de": {"plz": str, "wahlkreise": dict},
    "fr": {"departments": dict},
    "intl": {"parliament_postal": dict},
}


def damage(key: str, data: Dataset) -> str | None:
    """What is wrong with a dataset file's shape, or None: the checks a copy written by an older or broken
    advocate, or edited by hand, must pass before a lookup relies on it. Cheap (one pass over the people)."""
    meta = data.get("meta")
    if not isinstance(meta, dict):
        return "no meta"
    for name in ("as_of", "valid_until"):
        value = meta.get(name)
        if value is None and name == "valid_until":
            continue
        try:
            dt.date.fromisoformat(str(value))
        except ValueError:
            return f"meta.{name} {value!r} is not a date like 2026-11-24"
    if not isinstance(meta.get("name"), str):
        return "meta.name is missing"
    geo = data.get("geo")
    if not isinstance(geo, dict):
        return f"geo is {type(geo).__name__ if geo is not None else 'null'}, not a table"
    for table, kind in GEO[key].items():
        if not isinstance(geo.get(table), kind):
            return f"geo.{table} is missing or not a {kind.__name__}"
    if not isinstance(data.get("vacancies", []), list):
        return "vacancies is not a list"
    for number, person in enumerate(data["people"], start=1):
        if not isinstance(person, dict):
            return f"person {number} is not a record"
        missing = [k for k in PERSON_KEYS if k not in person]
        if missing:
            return f"person {number} ({person.get('id', '?')}) lacks {', '.join(missing)}"
        wrong = [k for k in PERSON_TEXT if not isinstance(person[k], str) or not person[k]]
        channels = person["channels"]
        if wrong or not isinstance(channels, dict):
            return f"person {number} ({person.get('id', '?')}): {', '.join(wrong) or 'channels'} is not usable"
        email = channels.get("email")
        if email is not None and not (isinstance(email, dict) and isinstance(email.get("address"), str)):
            return f"person {number} ({person['id']}): channels.email is not an address"
        postal = channels.get("postal")
        if postal is not None and not (isinstance(postal, list) and all(isinstance(x, str) for x in postal)):
            return f"person {number} ({person['id']}): channels.postal is not a list of lines"
        for text in ("contact_form", "phone", "website"):
            if channels.get(text) is not None and not isinstance(channels[text], str):
                return f"person {number} ({person['id']}): channels.{text} is not text"
    return None


def meta(key: str) -> DatasetMeta:
    """A dataset's metadata: name, as-of and valid-until dates, licence, credit, sources."""
    found: DatasetMeta = load(key)["meta"]
    return found


def origin(key: str) -> str:
    return "updated" if paths(key)[0].is_file() else "bundled"


def today() -> dt.date:
    """Today's date; ``ADVOCATE_TODAY=YYYY-MM-DD`` pins it (tests, reproducible output)."""
    pinned = os.environ.get("ADVOCATE_TODAY", "").strip()
    if pinned:
        try:
            return dt.date.fromisoformat(pinned)
        except ValueError:
            raise DataError(f"ADVOCATE_TODAY={pinned!r} is not a date like 2026-11-24") from None
    return dt.date.today()


def staleness(meta: DatasetMeta, on: dt.date) -> str | None:
    """Why a dataset is stale on ``on``, or None while it is fresh."""
    valid_until = meta.get("valid_until")
    if valid_until and on >= dt.date.fromisoformat(valid_until):
        return f"past its valid-until date {valid_until}"
    as_of = meta.get("as_of")
    if as_of and (on - dt.date.fromisoformat(as_of)).days > STALE_AFTER_DAYS:
        return f"{(on - dt.date.fromisoformat(as_of)).days} days old (as of {as_of})"
    return None


def stale_warning(key: str, members: bool = True) -> str | None:
    """The one warning line for a stale dataset; ``members=False`` (letters to ministries only) checks only
    the curated ministries and office-holders, since the members' age says nothing about them."""
    info = meta(key)
    on = today()
    why = staleness(info, on) if members else None
    if why is not None:
        return (
            f"Warning: the {info['name']} data is {why}; members may have changed since: "
            "run `advocate data update`, or check before you send."
        )
    curated = info.get("curated")
    why = staleness(curated, on) if curated else None
    if why is None:
        return None
    return (
        f"Warning: the {info['name']} office-holders and ministries (curated) are {why.replace('its ', 'their ')}; "
        "offices may have changed "
        "since: check the official pages before you send."
    )


def office_entry(person_id: str, country: str) -> dict[str, Any] | None:
    """The curated entry behind a person's office (office, source_url, as_of, valid_until?), or None."""
    if country not in COUNTRY_DATASET:
        return None
    curated: Any = meta(dataset_for(country)).get("curated") or {}
    return next((e for e in curated.get("offices") or [] if e.get("person_id") == person_id), None)


def table_get(table: str, key: str) -> list[str]:
    """Values for ``key`` in a table made by ``importer.common.encode_table``; [] when absent.

    The lines are sorted by key, so this is a binary search over the string itself: about 17
    steps for 33,000 ZIPs, a few microseconds, and no dict of 33,000 entries in memory.
    """
    lo, hi = 0, len(table) - 1  # each a newline: the lines starting in [lo, hi) are candidates
    while lo < hi:
        start = table.rfind("\n", lo, (lo + hi) // 2 + 1)
        tab = table.find("\t", start + 1)
        end = table.find("\n", tab)
        if tab < 0 or end < 0:
            break
        found = table[start + 1 : tab]
        if found == key:
            return table[tab + 1 : end].split(",")
        if found < key:
            lo = end
        else:
            hi = start
    return []


def table_items(table: str) -> dict[str, list[str]]:
    """The whole table as a dict (for tests and checks, not for lookups)."""
    pairs = (line.split("\t") for line in table.strip("\n").split("\n"))
    return {key: values.split(",") for key, values in pairs}
