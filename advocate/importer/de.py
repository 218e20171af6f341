"""Deutscher Bundestag: Wahlkreise and PLZ from bundestag_wks.json, membership and e-mail from
bundestag_emails.json (the membership truth)."""

import re
from typing import Any

from ..errors import DataError
from .common import Dataset, Person, check_count, encode_table, fill_postal, load_json, need, person

CONTACT_FORM = "https://www.bundestag.de/services/formular/contactform?mdbId={id}"
# A note saying the address was derived from the standard scheme, not published: keep it flagged.
_UNCONFIRMED = re.compile(r"Standardschema|nicht öffentlich bestätigt", re.IGNORECASE)
_LINK_ID = re.compile(r"-(\d+)/?$")


def display_name(raw: str) -> str:
    """ "Schmidt, Dr. Paul" → "Dr. Paul Schmidt"; also drops a trailing "(ausgeschieden)"."""
    raw = raw.replace("(ausgeschieden)", "").strip()
    last, _, first = raw.partition(",")
    return f"{first.strip()} {last.strip()}".strip()


def name_parts(raw: str) -> tuple[str, str]:
    """(given, family) from "Schmidt, Dr. Paul", without academic titles."""
    last, _, first = raw.replace("(ausgeschieden)", "").partition(",")
    given = " ".join(w for w in first.split() if w not in ("Dr.", "Prof.", "Dr.-Ing.", "h.", "c."))
    return given, last.strip()


def _mdb_id(entry: dict[str, Any]) -> str | None:
    match = _LINK_ID.search(entry.get("link") or "")
    return match.group(1) if match else None


def _walk(wks: Any) -> tuple[dict[str, dict[str, Any]], dict[str, list[str]], dict[str, Any]]:
    """Seats by MdB id, PLZ → Wahlkreis numbers, and Wahlkreis number → {name, state}."""
    what = "de/bundestag_wks.json"
    states = need(wks, "federalStates", what)
    seats: dict[str, dict[str, Any]] = {}
    plz: dict[str, set[str]] = {}
    wahlkreise: dict[str, Any] = {}

    def seat(entry: dict[str, Any], state: str, wk: str | None) -> None:
        mdb = _mdb_id(entry)
        if mdb and "ausgeschieden" not in (entry.get("name") or "") + (entry.get("statusName") or ""):
            seats[mdb] = {
                "state": state,
                "wk": wk,
                "party": entry.get("party"),
                "direct": bool(entry.get("first")),
                "link": entry.get("link"),
            }

    for state in states:
        state_name = need(state, "name", what)
        for entry in state.get("mdbs") or []:
            seat(entry, state_name, None)
        for wk in need(state, "constituencies", what):
            number = str(need(wk, "number", what)).zfill(3)
            wahlkreise[number] = {"name": need(wk, "name", what), "state": state_name}
            for entry in wk.get("mdbs") or []:
                seat(entry, state_name, number)
            for county in wk.get("counties") or []:
                codes = list(county.get("zipCodes") or [])
                for community in county.get("communities") or []:
                    codes += community.get("zipCodes") or []
                for code in codes:
                    plz.setdefault(str(code).zfill(5), set()).add(number)
    if len(wahlkreise) != 299:
        raise DataError(f"{what}: {len(wahlkreise)} Wahlkreise, expected 299; the upstream format may have changed")
    return seats, {k: sorted(v) for k, v in sorted(plz.items())}, dict(sorted(wahlkreise.items()))


def _member(key: str, raw: dict[str, Any], seat: dict[str, Any] | None, wahlkreise: dict[str, Any],
            postal: list[str]) -> Person:  # fmt: skip
    what = "de/bundestag_emails.json"
    name = display_name(need(raw, "name", what))
    note = raw.get("note")
    numeric = key.isdigit()
    wk = seat["wk"] if seat else None
    return person(
        id=f"de-{key}" if numeric else "de-" + re.sub(r"[^a-z0-9]+", "-", key.split(":", 1)[-1].lower()).strip("-"),
        name=name,
        given_name=name_parts(raw["name"])[0],
        family_name=name_parts(raw["name"])[1],
        country="DE",
        body="Deutscher Bundestag",
        chamber="bundestag",
        role="MdB",
        language="de",
        state=seat["state"] if seat else None,
        district=wk,
        district_name=f"Wahlkreis {wk} {wahlkreise[wk]['name']}" if wk else None,
        party=seat["party"] if seat else None,
        mandate=("direct" if seat["direct"] else "list") if seat else None,
        email=raw.get("email"),
        email_confirmed=not (note and _UNCONFIRMED.search(note)),
        email_note=note if note and _UNCONFIRMED.search(note) else None,
        contact_form=CONTACT_FORM.format(id=key) if numeric else None,
        website=seat["link"] if seat else None,
        postal=fill_postal(postal, f"{name}, MdB"),
    )


def parse_de(wks_raw: bytes, emails_raw: bytes, postal_template: list[str]) -> Dataset:
    wks = load_json(wks_raw, "de/bundestag_wks.json")
    emails = load_json(emails_raw, "de/bundestag_emails.json")
    if not isinstance(emails, dict):
        raise DataError("de/bundestag_emails.json: expected an object of MdB id → record")
    seats, plz, wahlkreise = _walk(wks)
    people = [_member(key, rec, seats.get(key), wahlkreise, postal_template) for key, rec in emails.items()]
    check_count("de/bundestag_emails.json", len(people), 590, 640)
    people.sort(key=lambda p: (p["district"] or "999", p["mandate"] != "direct", p["name"]))
    if len(plz) < 7000:
        raise DataError(f"de/bundestag_wks.json: only {len(plz)} PLZ, expected about 8,000; refusing this file")
    return {"people": people, "geo": {"plz": encode_table(plz), "wahlkreise": wahlkreise}}
