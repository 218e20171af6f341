"""US Congress: unitedstates/congress-legislators (members, district offices) and ZCTA → district."""

import csv
import io
import re
from typing import Any

from ..errors import DataError
from ..places import STATE_NAMES, TERRITORIES, district_key, district_name
from .common import Dataset, Person, check_count, encode_table, load_yaml, need, person
from .openstates import choose_form, parse_openstates

_DC_ADDRESS = re.compile(r"^(?P<street>.*?),?\s+Washington,?\s+DC,?\s+(?P<zip>\d{5}(?:-\d{4})?)$", re.IGNORECASE)


def _postal(name: str, chamber: str, address: str | None) -> list[str]:
    body = "United States Senate" if chamber == "senate" else "United States House of Representatives"
    lines = [f"The Honorable {name}", body]
    if address:
        match = _DC_ADDRESS.match(address.strip())
        if match:
            lines += [match["street"].strip(), f"Washington, DC {match['zip']}"]
        else:
            lines.append(address.strip())
    return lines


def _office(raw: dict[str, Any]) -> dict[str, Any]:
    lines = [str(raw[k]) for k in ("building", "address", "suite") if raw.get(k)]
    city = ", ".join(str(raw[k]) for k in ("city", "state") if raw.get(k))
    lines.append(f"{city} {raw.get('zip') or ''}".strip())
    return {"city": raw.get("city"), "lines": lines, "phone": raw.get("phone")}


def _member(raw: dict[str, Any], offices: dict[str, list[dict[str, Any]]], forms: dict[str, str | None]) -> Person:
    what = "us/legislators-current.yaml"
    bioguide = need(need(raw, "id", what), "bioguide", what)
    names = need(raw, "name", what)
    name = names.get("official_full") or f"{need(names, 'first', what)} {need(names, 'last', what)}"
    term = need(raw, "terms", what)[-1]
    state = need(term, "state", what)
    kind = need(term, "type", what)
    if kind == "sen":
        chamber, role, body = "senate", "Senator", "United States Senate"
        district = dname = None
    elif kind == "rep":
        chamber, body = "house", "United States House of Representatives"
        role = "Resident Commissioner" if state == "PR" else "Delegate" if state in TERRITORIES else "Representative"
        number = int(term.get("district") or 0)
        district, dname = district_key(state, number), district_name(state, number)
    else:
        raise DataError(f"{what}: member {bioguide} has unknown term type {kind!r}")
    return person(
        id=f"us-{bioguide}",
        name=name,
        given_name=names.get("nickname") or names.get("first"),
        family_name=names.get("last"),
        country="US",
        body=body,
        chamber=chamber,
        role=role,
        language="en",
        gender=(raw.get("bio") or {}).get("gender"),
        state=state,
        district=district,
        district_name=dname,
        party=term.get("party"),
        contact_form=choose_form(term.get("contact_form"), forms.get(bioguide)),
        website=term.get("url"),
        phone=term.get("phone"),
        postal=_postal(name, chamber, term.get("address")),
        offices=offices.get(bioguide, []),
    )


def parse_zccd(raw: bytes) -> dict[str, list[str]]:
    """ZCTA → sorted district keys ("NY-12"), from zccd.csv (state_fips,state_abbr,zcta,cd)."""
    what = "us/zccd.csv"
    try:
        reader = csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline=""), strict=True)
        table: dict[str, set[str]] = {}
        for row in reader:
            zcta, state, cd = row.get("zcta"), row.get("state_abbr"), row.get("cd")
            if not zcta or not state or cd is None or not cd.strip().isdigit():
                raise DataError(f"{what}:{reader.line_num}: expected columns zcta, state_abbr, cd")
            table.setdefault(zcta.zfill(5), set()).add(district_key(state, int(cd)))
    except (UnicodeDecodeError, csv.Error) as err:
        raise DataError(f"{what}: not valid UTF-8 CSV ({err})") from None
    if len(table) < 30000:
        raise DataError(f"{what}: only {len(table)} ZCTAs, expected at least 30,000; refusing this file")
    return {z: sorted(ds) for z, ds in sorted(table.items())}


def parse_us(legislators: bytes, offices: bytes, zccd: bytes, openstates: bytes | None = None) -> Dataset:
    """``openstates``: the Open States archive for contact forms (without it, congress-legislators' own)."""
    members_raw = load_yaml(legislators, "us/legislators-current.yaml")
    offices_raw = load_yaml(offices, "us/legislators-district-offices.yaml")
    if not isinstance(members_raw, list):
        raise DataError("us/legislators-current.yaml: expected a list of members")
    office_map: dict[str, list[dict[str, Any]]] = {}
    for entry in offices_raw if isinstance(offices_raw, list) else []:
        bioguide = (entry.get("id") or {}).get("bioguide")
        if bioguide:
            office_map[bioguide] = [_office(o) for o in entry.get("offices") or []]
    forms = parse_openstates(openstates) if openstates is not None else {}
    people = [_member(m, office_map, forms) for m in members_raw]
    check_count("us/legislators-current.yaml", len(people), 530, 545)
    people.sort(key=lambda p: (p["state"], p["chamber"] != "senate", p["district"] or "", p["name"]))
    zctas = parse_zccd(zccd)
    districts = sorted({d for ds in zctas.values() for d in ds} | {p["district"] for p in people if p["district"]})
    return {
        "people": people,
        "geo": {
            "zcta": encode_table(zctas),
            "districts": districts,
            "states": {code: STATE_NAMES[code] for code in sorted(STATE_NAMES)},
        },
    }
