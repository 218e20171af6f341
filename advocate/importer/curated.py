"""The project's curated files (advocate/importer/curated/): office-holders and ministries, merged into a dataset.

- ``officeholders.yaml``: the office a member holds (``office``, ``office_title`` in the member's language; None
  on everyone else), set on the person; the official page that confirms it is in ``meta.curated.offices``.
- ``government.yaml``: ministries as recipients (chamber "government"), in the dataset's ``government`` list,
  with only the channels an official page printed.

Both go stale like the datasets: ``meta.curated`` carries ``as_of`` and ``valid_until``, the earliest
entry-level ``valid_until`` before the file-level one (the Speaker of the House: 2027-01-03), which
``opendata.store.stale_warning`` checks.
"""

from functools import cache
from typing import Any

from ..errors import DataError
from ..resources import PACKAGE_DIR
from .common import Dataset, load_yaml

FOLDER = PACKAGE_DIR / "importer" / "curated"
OFFICES = ("head_of_government", "foreign_minister", "interior_minister", "presiding_officer")
MINISTRIES = ("foreign_ministry", "interior_ministry")
LANGUAGE = {"US": "en", "GB": "en", "DE": "de", "FR": "fr"}


@cache
def _file(name: str) -> dict[str, Any]:
    what = f"advocate/importer/curated/{name}"
    data = load_yaml((FOLDER / name).read_bytes(), what)
    if not isinstance(data, dict):
        raise DataError(f"{what}: expected a mapping with as_of, valid_until and entries")
    for key in ("as_of", "valid_until"):
        if not data.get(key):
            raise DataError(f"{what}: no file-level {key}; add it (YYYY-MM-DD)")
    return data


def _need(entry: dict[str, Any], key: str, what: str) -> Any:
    value = entry.get(key)
    if value in (None, "", [], {}):
        raise DataError(f"{what}: entry {entry.get('person_id') or entry.get('id')!r} has no {key}; add it")
    return value


def officeholders(country: str) -> list[dict[str, Any]]:
    """The office-holders of one country, checked: person id, a known office, a title, source URL and as_of."""
    what = "advocate/importer/curated/officeholders.yaml"
    out = []
    for entry in _file("officeholders.yaml").get("officeholders") or []:
        if entry.get("country") != country:
            continue
        for key in ("person_id", "office", "office_title", "source_url", "as_of"):
            _need(entry, key, what)
        if entry["office"] not in OFFICES:
            raise DataError(f"{what}: office {entry['office']!r} of {entry['person_id']}; use one of {OFFICES}")
        out.append(entry)
    return out


def ministries(country: str) -> list[dict[str, Any]]:
    """The ministries of one country as recipients (CONTRACT.md's shape), checked."""
    what = "advocate/importer/curated/government.yaml"
    out = []
    for entry in _file("government.yaml").get("recipients") or []:
        if entry.get("country") != country:
            continue
        for key in ("id", "name", "office", "sources", "as_of"):
            _need(entry, key, what)
        if entry["office"] not in MINISTRIES or entry.get("chamber") != "government":
            raise DataError(f"{what}: {entry['id']}: chamber must be government and office one of {MINISTRIES}")
        out.append(entry)
    return out


def _recipient(entry: dict[str, Any]) -> dict[str, Any]:
    ch = entry.get("channels") or {}
    email = ch.get("email")
    return {
        "id": entry["id"],
        "name": entry["name"],
        "given_name": None,
        "family_name": None,
        "country": entry["country"],
        "body": entry.get("body") or entry["name"],
        "chamber": "government",
        "role": entry.get("role") or entry["name"],
        "language": entry.get("language") or LANGUAGE.get(entry["country"], "en"),
        "gender": None,
        "honorific": None,
        "display_name": None,
        "state": None,
        "district": None,
        "district_name": None,
        "party": None,
        "mandate": None,
        "office": entry["office"],
        "office_title": "",
        "minister": entry.get("minister"),
        "channels": {
            # an e-mail only where the ministry's own page publishes it (the curated file records no other)
            "email": {"address": str(email), "confirmed": True} if email else None,
            "contact_form": ch.get("contact_form"),
            "website": ch.get("website"),
            "phone": ch.get("phone"),
            "postal": [str(line) for line in ch.get("postal") or []],
            "offices": [],
        },
        "sources": [str(s) for s in entry["sources"]],
        "as_of": str(entry["as_of"]),
        "notes": entry.get("note"),
    }


def _address_by_office(person: dict[str, Any]) -> None:
    """A French office-holder's postal block names the office: "Madame Yaël Braun-Pivet / Présidente de
    l'Assemblée nationale / 126 rue de l'Université / …", not "Madame la Députée …" (every view shows it)."""
    civility = {"F": "Madame", "M": "Monsieur"}.get(str(person.get("gender")))
    channels = person.get("channels") or {}
    postal = channels.get("postal") or []
    if person.get("country") != "FR" or person.get("language") != "fr" or not civility or not postal:
        return
    rest = [line for line in postal[1:] if line != person.get("body")]
    channels["postal"] = [f"{civility} {person['name']}", str(person["office_title"]), *rest]


def merge(country: str, dataset: Dataset, strict: bool = False) -> Dataset:
    """Set office and office_title on the office-holders of parsed ``dataset``, add its ministries as
    ``government`` and the curated files' dates as ``meta.curated``. A curated person id missing from the data
    is an error when ``strict`` (the bundled build); in a data update the entry is left out (the member has left:
    the office is never given to anyone else) and named in ``meta.curated.missing``."""
    holders = officeholders(country)
    government = [_recipient(e) for e in ministries(country)]
    dataset["government"] = government
    if not holders and not government:
        for p in dataset["people"]:
            p["office"], p["office_title"] = None, None
        return dataset
    by_id = {p["id"]: p for p in dataset["people"]}
    for p in dataset["people"]:  # every person has the keys (a stable schema), most of them None
        p["office"], p["office_title"] = None, None
    valid: list[str] = []
    offices = []
    missing = []
    for entry in holders:
        person = by_id.get(entry["person_id"])
        if person is None and not strict:
            missing.append(str(entry["person_id"]))
            continue
        if person is None:
            raise DataError(
                f"advocate/importer/curated/officeholders.yaml: {entry['person_id']} ({entry.get('name')}) is not in "
                f"the {country} data; fix the id or remove the entry"
            )
        titles = entry["office_title"]
        language = person.get("language") or "en"
        person["office"] = entry["office"]
        person["office_title"] = titles.get(language) or titles.get("en") or ""
        _address_by_office(person)
        own = {"person_id": entry["person_id"], "office": entry["office"], "source_url": entry["source_url"],
               "as_of": str(entry["as_of"])}  # fmt: skip
        if entry.get("valid_until"):
            own["valid_until"] = str(entry["valid_until"])
            valid.append(str(entry["valid_until"]))
        offices.append(own)
    files = [_file(name) for name, used in (("officeholders.yaml", holders), ("government.yaml", government)) if used]
    valid += [str(f["valid_until"]) for f in files]
    dataset.setdefault("meta", {})["curated"] = {
        "name": "office-holders and ministries (curated from official pages)",
        "as_of": min(str(f["as_of"]) for f in files),
        "valid_until": min(valid),
        "offices": offices,
        "missing": missing,
        "ministries": len(government),
    }
    return dataset
