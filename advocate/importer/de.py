"""Deutscher Bundestag: Wahlkreise and PLZ from bundestag_wks.json, membership and e-mail from
bundestag_emails.json (the membership truth)."""

import io
import re
import zipfile
from typing import Any
from xml.etree import ElementTree

from ..errors import DataError
from .common import Dataset, Person, check_count, encode_table, fill_postal, load_json, need, person

CONTACT_FORM = "https://www.bundestag.de/services/formular/contactform?mdbId={id}"
# A note saying the address was derived from the standard scheme, not published: keep it flagged.
_UNCONFIRMED = re.compile(r"Standardschema|nicht öffentlich bestätigt", re.IGNORECASE)
_LINK_ID = re.compile(r"-(\d+)/?$")


GENDERS = {"w": "F", "m": "M", "d": "D"}
# Particles that follow the given names in the list form "Notz, Dr. Konstantin von" (the Stammdaten's PRAEFIX and,
# expanded, ADEL): they belong to the surname ("von Notz").
PARTICLES = ("von", "van", "de", "dos", "der", "den", "zu", "vom", "zum", "Freiherr", "Freifrau", "Graf", "Gräfin")
ADEL = {"Frhr.": "Freiherr", "Freifr.": "Freifrau", "Gf.": "Graf", "Gfn.": "Gräfin"}
STAMMDATEN_WP = "21"
_ORTSZUSATZ = re.compile(r"\s*\([^)]*\)\s*$")  # the Wahlperiode of the 21st Bundestag


def split_name(raw: str) -> tuple[str, str, str, str]:
    """(titles, given, particle, surname) from the list form "Notz, Dr. Konstantin von", single-spaced.

    Titles are the words ending in "." before the given names ("Prof. Dr.-Ing. habil."); the particle is the run of
    particle words after them ("Christian Freiherr von" → "Freiherr von"). "(ausgeschieden)" is dropped, and so is
    the Bundestag's place suffix that tells two namesakes apart ("Brand (Fulda)" → "Brand"; the Stammdaten's
    ORTSZUSATZ): it is not part of the name, and the Wahlkreis tells them apart here.
    """
    last, _, first = raw.replace("(ausgeschieden)", "").partition(",")
    last = _ORTSZUSATZ.sub("", last)
    words = first.split()
    titles = []
    while words and words[0].endswith("."):
        titles.append(words.pop(0))
    particle: list[str] = []
    while len(words) > 1 and words[-1] in PARTICLES:
        particle.insert(0, words.pop())
    return " ".join(titles), " ".join(words), " ".join(particle), " ".join(last.split())


def parse_genders(raw: bytes) -> dict[str, str]:
    """bundestag.de MdB id → "F" | "M" | "D", from genders.json ({id: {name, gender: "w"|"m"|"d"}})."""
    what = "de/bundestag_genders.json"
    data = load_json(raw, what)
    if not isinstance(data, dict):
        raise DataError(f"{what}: expected an object of MdB id → record")
    out = {}
    for key, record in data.items():
        gender = need(record, "gender", what)
        if gender not in GENDERS:
            raise DataError(f"{what}: {key}: gender {gender!r}, expected one of w, m, d")
        out[key] = GENDERS[gender]
    if len(out) < 590:
        raise DataError(f"{what}: only {len(out)} MdBs, expected about 630; refusing this file")
    return out


def parse_stammdaten(raw: bytes) -> dict[tuple[str, str], list[dict[str, str]]]:
    """The MdBs of the 21st Wahlperiode from the Bundestag's MdB-Stammdaten.zip (MDB_STAMMDATEN.XML), by join key
    (surname, first given name), each {surname, given, adel, praefix, anrede, akad} from the current NAME."""
    what = "de/MdB-Stammdaten.zip"
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            names = [n for n in archive.namelist() if n.upper().endswith(".XML")]
            if len(names) != 1:
                raise DataError(f"{what}: expected one XML file in the archive, found {len(names)}")
            if archive.getinfo(names[0]).file_size > 100_000_000:
                raise DataError(f"{what}: {names[0]} is larger than 100 MB; not the Stammdaten")
            xml = archive.read(names[0])
    except (zipfile.BadZipFile, OSError) as err:
        raise DataError(f"{what}: not a zip archive ({err})") from None
    if b"<!ENTITY" in xml:
        raise DataError(f"{what}: the XML declares entities; the Stammdaten declare none, refusing this file")
    try:
        # Entity declarations are refused above and the DOCTYPE (an external DTD) is cut: nothing to expand.
        root = ElementTree.fromstring(_without_doctype(xml))  # noqa: S314
    except ElementTree.ParseError as err:
        raise DataError(f"{what}: not valid XML ({err})") from None
    out: dict[tuple[str, str], list[dict[str, str]]] = {}
    for mdb in root.iter("MDB"):
        if not any(wp.findtext("WP") == STAMMDATEN_WP for wp in mdb.iterfind("WAHLPERIODEN/WAHLPERIODE")):
            continue
        versions = mdb.findall("NAMEN/NAME")
        current = [n for n in versions if not (n.findtext("HISTORIE_BIS") or "").strip()] or versions[-1:]
        if not current:
            continue
        name = {tag: " ".join((current[-1].findtext(tag) or "").split()) for tag in _NAME_TAGS}
        record = {"surname": name["NACHNAME"], "given": name["VORNAME"], "adel": name["ADEL"],
                  "praefix": name["PRAEFIX"], "anrede": name["ANREDE_TITEL"], "akad": name["AKAD_TITEL"]}  # fmt: skip
        out.setdefault(join_key(record["surname"], record["given"]), []).append(record)
    if sum(len(v) for v in out.values()) < 590:
        raise DataError(f"{what}: only {sum(len(v) for v in out.values())} MdBs of the 21st Wahlperiode; refusing")
    return out


_NAME_TAGS = ("NACHNAME", "VORNAME", "ADEL", "PRAEFIX", "ANREDE_TITEL", "AKAD_TITEL")


def _without_doctype(xml: bytes) -> bytes:
    """The XML without its <!DOCTYPE …> line (it names an external DTD; no entity is needed or resolved)."""
    start = xml.find(b"<!DOCTYPE")
    if start < 0:
        return xml
    end = xml.find(b">", start)
    return xml[:start] + xml[end + 1 :]


def join_key(surname: str, given: str) -> tuple[str, str]:
    """Surname + first given name, case-folded: the join the data README describes (619 of 630 match)."""
    first = given.split()[0] if given.split() else ""
    return surname.casefold(), first.casefold()


def honorific(record: dict[str, str] | None, titles: str) -> str | None:
    """ "Professor" (AKAD_TITEL "Prof." / "Prof. Dr.") or "Dr." (ANREDE_TITEL); without a Stammdaten record, the
    titles the member list itself writes in the name ("Prof. Dr." → "Professor", "Dr. jur." → "Dr.")."""
    if record is not None:
        if record["akad"].startswith("Prof.") or record["anrede"].startswith("Prof."):
            return "Professor"
        return "Dr." if record["anrede"].startswith("Dr.") else None
    if "Prof." in titles.split():
        return "Professor"
    return "Dr." if any(t.startswith("Dr.") for t in titles.split()) else None


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
            postal: list[str], gender: str | None, official: dict[str, str] | None) -> Person:  # fmt: skip
    what = "de/bundestag_emails.json"
    titles, given, particle, surname = split_name(need(raw, "name", what))
    if official is not None:
        # The Stammdaten's particle (PRAEFIX, and ADEL written out: "Frhr." → "Freiherr") belongs to the surname.
        adel = ADEL.get(official["adel"], official["adel"])
        particle = " ".join(w for w in (adel, official["praefix"]) if w) or particle
    family = f"{particle} {surname}".strip()
    name = " ".join(f"{titles} {given} {family}".split())
    note = raw.get("note")
    numeric = key.isdigit()
    wk = seat["wk"] if seat else None
    return person(
        id=f"de-{key}" if numeric else "de-" + re.sub(r"[^a-z0-9]+", "-", key.split(":", 1)[-1].lower()).strip("-"),
        name=name,
        given_name=given,
        family_name=family,
        gender=gender,
        honorific=honorific(official, titles),
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


def join(emails: dict[str, Any], stammdaten: dict[tuple[str, str], list[dict[str, str]]]) -> dict[str, dict[str, str]]:
    """MdB id → its Stammdaten record, joined by surname + first given name; a key two MdBs share is left out."""
    out = {}
    for key, record in emails.items():
        _, given, _, surname = split_name(str(record.get("name") or ""))
        found = stammdaten.get(join_key(surname, given), [])
        if len(found) == 1:
            out[key] = found[0]
    return out


def parse_de(
    wks_raw: bytes,
    emails_raw: bytes,
    postal_template: list[str],
    genders_raw: bytes | None = None,
    stammdaten_raw: bytes | None = None,
) -> Dataset:
    """``genders_raw``: genders.json (gender by MdB id); ``stammdaten_raw``: MdB-Stammdaten.zip (titles, particles)."""
    wks = load_json(wks_raw, "de/bundestag_wks.json")
    emails = load_json(emails_raw, "de/bundestag_emails.json")
    if not isinstance(emails, dict):
        raise DataError("de/bundestag_emails.json: expected an object of MdB id → record")
    seats, plz, wahlkreise = _walk(wks)
    genders = parse_genders(genders_raw) if genders_raw is not None else {}
    official = join(emails, parse_stammdaten(stammdaten_raw)) if stammdaten_raw is not None else {}
    people = [
        _member(key, rec, seats.get(key), wahlkreise, postal_template, genders.get(key), official.get(key))
        for key, rec in emails.items()
    ]
    check_count("de/bundestag_emails.json", len(people), 590, 640)
    people.sort(key=lambda p: (p["district"] or "999", p["mandate"] != "direct", p["name"]))
    if len(plz) < 7000:
        raise DataError(f"de/bundestag_wks.json: only {len(plz)} PLZ, expected about 8,000; refusing this file")
    return {"people": people, "geo": {"plz": encode_table(plz), "wahlkreise": wahlkreise}}
