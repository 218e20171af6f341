"""Shapes and helpers shared by the dataset parsers."""

import csv
import io
import json
from typing import Any

import yaml

from ..errors import DataError

Person = dict[str, Any]
Dataset = dict[str, Any]

# Version of the compiled dataset file format; bump when the shape changes.
FORMAT = 1


def load_yaml(raw: bytes, what: str) -> Any:
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        return yaml.load(raw, Loader=loader)  # noqa: S506 - a safe loader
    except yaml.YAMLError as err:
        raise DataError(f"{what}: not valid YAML ({_first_line(err)})") from None


def load_json(raw: bytes, what: str) -> Any:
    try:
        return json.loads(raw)
    except (ValueError, UnicodeDecodeError) as err:
        raise DataError(f"{what}: not valid JSON ({err})") from None


def read_csv(raw: bytes, what: str, required: list[str]) -> list[dict[str, str]]:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise DataError(f"{what}: not UTF-8 ({err.reason} at byte {err.start})") from None
    try:
        reader = csv.DictReader(io.StringIO(text, newline=""), strict=True)
        rows = list(reader)
    except csv.Error as err:
        raise DataError(f"{what}: not valid CSV ({err})") from None
    missing = [col for col in required if col not in (reader.fieldnames or [])]
    if missing:
        raise DataError(f"{what}: missing column(s) {', '.join(missing)}; the upstream format may have changed")
    return rows


def _first_line(err: Exception) -> str:
    return str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__


def need(record: Any, key: str, what: str) -> Any:
    """``record[key]``, or a DataError naming the dataset and the key."""
    if not isinstance(record, dict) or record.get(key) in (None, ""):
        raise DataError(f"{what}: a record has no '{key}'; the upstream format may have changed")
    return record[key]


def person(
    *,
    id: str,
    name: str,
    given_name: str | None = None,
    family_name: str | None = None,
    country: str,
    body: str,
    chamber: str | None,
    role: str,
    language: str,
    gender: str | None = None,
    honorific: str | None = None,
    display_name: str | None = None,
    state: str | None = None,
    district: str | None = None,
    district_name: str | None = None,
    party: str | None = None,
    mandate: str | None = None,
    email: str | None = None,
    email_confirmed: bool = True,
    email_note: str | None = None,
    contact_form: str | None = None,
    website: str | None = None,
    phone: str | None = None,
    postal: list[str] | None = None,
    offices: list[dict[str, Any]] | None = None,
    notes: str | None = None,
) -> Person:
    """One person or office in the stable output schema (documented in README.md)."""
    email_obj: dict[str, Any] | None = None
    if email:
        email_obj = {"address": email, "confirmed": email_confirmed}
        if email_note:
            email_obj["note"] = email_note
    return {
        "id": id,
        "name": name,
        "given_name": given_name,
        "family_name": family_name,
        "country": country,
        "body": body,
        "chamber": chamber,
        "role": role,
        "language": language,
        "gender": gender,
        "honorific": honorific,
        "display_name": display_name,
        "state": state,
        "district": district,
        "district_name": district_name,
        "party": party,
        "mandate": mandate,
        "channels": {
            "email": email_obj,
            "contact_form": contact_form,
            "website": website,
            "phone": phone,
            "postal": postal or [],
            "offices": offices or [],
        },
        "notes": notes,
    }


def encode_table(table: dict[str, list[str]]) -> str:
    """A key → values table as one string of "key<TAB>v1,v2" lines, framed by newlines.

    Stored as a single JSON string it loads in about a millisecond (a JSON object of 33,000 keys
    takes 15–20 ms), and ``advocate.opendata.store.table_get`` finds a key with one ``str.find``.
    """
    return "\n" + "".join(f"{key}\t{','.join(values)}\n" for key, values in sorted(table.items()))


def fill_postal(template: list[str], addressee: str) -> list[str]:
    """Generic parliament address lines with the ``[Name]``/``[Nom]`` placeholder filled in."""
    lines = []
    for line in template:
        if "[Name]" in line or "[Nom]" in line:
            line = addressee
        lines.append(line)
    return lines


def check_count(what: str, count: int, low: int, high: int) -> None:
    if not low <= count <= high:
        raise DataError(f"{what}: {count} members, outside the expected {low}–{high}; refusing this file")
